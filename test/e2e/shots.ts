// Screenshots of the Chromium walks, kept as test artifacts (issue 18): every walk writes under
// test-output/ (git-ignored), named with the window size so the 1024×768 and 1280×800 walks of one
// screen sit side by side instead of overwriting each other. test/globalSetup.ts prints the folder
// once at the end of a run, for CI to keep.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../../src/host/launch';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-output');
export const SCREENS_DIR = join(ARTIFACTS_DIR, 'e2e');

let made = false;

/** A screenshot of the page as it is now: SCREENS_DIR/NAME-WxH.png. */
export async function keepShot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  if (!made) mkdirSync(SCREENS_DIR, { recursive: true });
  made = true;
  const size = page.viewportSize();
  const path = join(SCREENS_DIR, `${name}${size ? `-${size.width}x${size.height}` : ''}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}

/**
 * After a failed test, the page as it was (a screenshot, and its text on stderr for CI's log): what a
 * timed-out wait never says — which screen, which refusal. Nothing when the test passed.
 */
export async function shotIfFailed(page: Page | null | undefined, ctx: { task: { name: string; result?: { state?: string } } }, prefix: string): Promise<void> {
  if (!page || ctx.task.result?.state !== 'fail') return;
  await keepShot(page, `${prefix}-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
  console.error(`${prefix}: page text at failure:`, await page.textContent('body').catch(() => null));
}

// The member kiosk through a day (issue 18), in Chromium against the real kiosk host with the fake
// printer, at 1024×768 and 1280×800: the page is drawn in the bundled Chinese face; 20 s before the
// idle time-out closes a member's page the kiosk asks "still there?", a big Stay keeps the page (WCAG
// 2.2.1), and unanswered the page closes at the configured idle time, not 20 s after it — the page's
// clock is driven by playwright's fake clock, so nobody waits 30 real seconds; every touch target is 44 px at least; axe-core finds no serious or critical
// violation on the time-out warning, the slip printed and a refusal. Screens: test-output/e2e/kiosk-*.png.
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchKiosk, type KioskLaunch } from '../../src/host/kioskLaunch';
import { RENDERER_DIR, REPO_ROOT } from '../../src/host/launch';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { cardCode, hqKeyOf } from '../scan/fixtures';
import { seriousViolations } from './axeCheck';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { renderedFaces } from './fontCheck';
import { keepShot } from './shots';
import { smallTargets } from './touchTargets';
import { scanWedgeClockHeld } from '../../src/bench/wedgeScanner';
import { VIEWPORTS } from './layoutCheck';

/** kiosk.json's idleSeconds for this folder: the whole time a page stays without a touch. */
const IDLE_MS = 30_000;
/** The warning's share of it (renderer/kiosk/useIdle.ts timeoutWarningMs). */
const WARNING_MS = 20_000;

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let kiosk: KioskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;
const small: string[] = [];
const axe: string[] = [];

async function atBoth(label: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  for (const vp of VIEWPORTS) {
    await page.setViewportSize(vp);
    small.push(...(await smallTargets(page, `${label} ${vp.width}x${vp.height}`)));
    await keepShot(page, `kiosk-${label}`);
  }
}

async function showMember(): Promise<void> {
  const m = kiosk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number };
  await scanWedgeClockHeld(page, cardCode(hqKeyOf(dataDir), m.id, m.card_serial, Date.now()));
  await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]');
}

/** Stops the page's clock where it is now: from here on only runFor moves it. */
async function freezeClock(): Promise<void> {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1000);
}

/** The warning as drawn: null when none shows, else its seconds left. */
async function warningSeconds(): Promise<number | null> {
  const el = await page.$('[data-testid="kiosk-timeout"] [data-testid="kiosk-closing"]');
  return el ? Number(await el.getAttribute('data-seconds')) : null;
}

/** Moves the page's clock (its animation frames are frozen with it: React draws on its own queue). */
async function runFor(ms: number): Promise<void> {
  await page.clock.runFor(ms);
}

beforeAll(async () => {
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-kioskday-');
  dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 40, seed: 'e2e-kioskday' });
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  kiosk = await launchKiosk({ dataDir, printerUri: printer.uri, kiosk: { idleSeconds: IDLE_MS / 1000 } });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: VIEWPORTS[0] });
  // The page's timers and clocks are playwright's: they run in real time until a test freezes them.
  await browser.clock.install();
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await printer?.close();
  tmp?.cleanup();
});

describe('the member kiosk through a day', () => {
  it('draws its Chinese in the bundled face, with touch targets of 44 px at least', async () => {
    await page.goto(kiosk.host.launchUrl());
    await page.waitForSelector('[data-screen="attract"]');
    await page.evaluate(() => document.fonts.ready);
    const faces = await renderedFaces(page, '[data-testid="attract-prompt"]');
    expect(faces[0]?.familyName).toMatch(/^Noto Sans SC\b/);
    expect(faces[0]?.isCustomFont).toBe(true);
    await atBoth('attract');
    expect(small).toEqual([]);
  });

  it('asks "still there?" 20 s before a page closes; Stay keeps the page; unanswered, the page goes at the idle time', async () => {
    await showMember();
    await freezeClock();
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      await page.mouse.click(3, 3); // a touch: the idle time starts again from here
      await runFor(IDLE_MS - WARNING_MS - 1000);
      await page.waitForTimeout(100); // a moment for a wrongly early warning to be drawn
      expect(await warningSeconds()).toBeNull();
      await runFor(1000);
      await page.waitForSelector('[data-testid="kiosk-timeout"]');
      expect(await warningSeconds()).toBe(WARNING_MS / 1000);
      expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe('kiosk-stay');
      small.push(...(await smallTargets(page, `timeout ${vp.width}x${vp.height}`)));
      await keepShot(page, 'kiosk-timeout-warning');
      // Most of the 20 s go by: the page is still there, and Stay keeps it.
      await runFor(WARNING_MS - 2000);
      await expect.poll(warningSeconds).toBe(2);
      expect(await page.$('[data-screen="member"] [data-testid="kiosk-points"]')).not.toBeNull();
      await page.click('[data-testid="kiosk-stay"]');
      await page.waitForSelector('[data-testid="kiosk-timeout"]', { state: 'detached' });
      await runFor(5000);
      expect(await page.$('[data-screen="member"] [data-testid="kiosk-points"]')).not.toBeNull();
    }
    // axe runs on its own timers: the page's clock flows while it looks at the warning.
    await page.mouse.click(3, 3);
    await runFor(IDLE_MS - WARNING_MS);
    await page.waitForSelector('[data-testid="kiosk-timeout"]');
    await page.clock.resume();
    axe.push(...(await seriousViolations(page, 'kiosk-timeout-warning')));
    await page.click('[data-testid="kiosk-stay"]');
    await freezeClock();
    // Nobody answers: the page goes at the configured idle time (within one 250 ms tick of the
    // clock), and nothing of the member stays.
    await page.mouse.click(3, 3);
    await runFor(IDLE_MS - 500);
    await expect.poll(warningSeconds).toBe(1);
    expect(await page.$('[data-screen="member"]')).not.toBeNull();
    await runFor(750);
    await page.waitForSelector('[data-screen="attract"]', { timeout: 2000 });
    expect(await page.$('[data-testid="kiosk-points"]')).toBeNull();
    await page.clock.resume();
    expect(small).toEqual([]);
    expect(axe).toEqual([]);
  });

  it('keeps targets of 44 px and passes axe on the member page, the slip printed and a refusal', async () => {
    // The page's clock flows here (30 s to the warning, ample): axe and the slip's polling use its timers.
    await showMember();
    await atBoth('member');
    await page.click('[data-testid="kiosk-print"]');
    await page.waitForSelector('[data-testid="kiosk-slip-state"][data-state="printed"]');
    await atBoth('slip-printed');
    axe.push(...(await seriousViolations(page, 'kiosk-slip-printed')));
    await page.click('[data-testid="kiosk-done"]');
    await page.waitForSelector('[data-screen="attract"]');
    // A plain card number: the kiosk refuses it with a sentence (and would go back after 8 s).
    const card = kiosk.terminal.db.prepare("SELECT card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { card_no: string };
    await scanWedgeClockHeld(page, card.card_no);
    await page.waitForSelector('[data-screen="refused"]');
    await freezeClock();
    await atBoth('refused');
    await page.clock.resume();
    axe.push(...(await seriousViolations(page, 'kiosk-refusal')));
    expect(small).toEqual([]);
    expect(axe).toEqual([]);
  });
});

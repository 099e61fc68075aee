// Issue 18, "a desk that holds up through a day's work", in Debian's Chromium (playwright-core)
// against the real web host and a seeded demo database, at 1024×768 and 1280×800 (screenshots in
// test-output/e2e/daywork-*.png): a manager's approval never swaps the signed-in clerk; the lockout
// says how long is left and a manager's PIN lifts it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { deskConfigSchema, scannerConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { tempDir } from '../helpers/demoDb';
import { layoutProblems } from './layoutCheck';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
] as const;
const zh = createTranslator('zh-CN');

let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;

async function expectFits(label: string): Promise<void> {
  await page.waitForSelector('[data-testid="statusbar"] [data-testid="status-printer"]');
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `daywork-${label}.png`) });
  expect(await layoutProblems(page), label).toEqual([]);
}

async function pin(digits: string): Promise<void> {
  await page.keyboard.type(digits);
  await page.keyboard.press('Enter');
}

interface AuditRow {
  actor: string;
  content_json: string;
}
function lastAudit(action: string): { actor: string; data: Record<string, unknown> } | null {
  const r = desk.terminal.db.prepare('SELECT actor, content_json FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1').get(action) as AuditRow | undefined;
  return r ? { actor: r.actor, data: JSON.parse(r.content_json).data as Record<string, unknown> } : null;
}

async function signInClerk(): Promise<void> {
  await page.goto(desk.host.launchUrl());
  await page.waitForSelector('[data-screen="sign-in"]');
  await pin('1234'); // 王芳, a clerk
  await page.waitForSelector('[data-screen="scan"]');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-daywork-');
  const dataDir = join(tmp.dir, 'data');
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 60, seed: 'e2e-daywork', now: Date.now() });
  writeConfig(dataDir, {
    ...deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }),
    scanner: scannerConfigSchema.parse({ wedge: { maxInterKeyMs: 120, minLength: 8 } }),
  });
  desk = await launchDesk({ dataDir, printerUri: null });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: VIEWPORTS[0] });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  tmp?.cleanup();
});

describe.each(VIEWPORTS.map((v) => [`${v.width}x${v.height}`, v] as const))('at %s', (size, viewport) => {
  it("a manager's approval keeps the clerk signed in; manager work is the clerk's with the approval", async () => {
    await page.setViewportSize(viewport);
    desk.terminal.db.prepare("DELETE FROM lockouts WHERE scope = 'terminal'").run();
    await signInClerk();
    const clerkLabel = zh.t('ui.top.signedIn', { name: '王芳', role: zh.t('ui.top.role.clerk') });
    expect(await page.textContent('[data-testid="signed-in"]')).toBe(clerkLabel);

    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    // A clerk's PIN is no approval, and is refused as any wrong PIN is.
    await pin('2345');
    await expect.poll(() => page.textContent('[data-screen="manager-gate"] [data-testid="error"]')).toBe(zh.error('MANAGER_PIN_WRONG', { left: 4 }));
    await expectFits(`${size}-01-approval-wrong-pin`);
    await pin('9999'); // 李娜, the manager
    await page.waitForSelector('[data-screen="manager"]');
    expect(await page.textContent('[data-testid="signed-in"]')).toBe(clerkLabel);
    expect(await page.textContent('[data-testid="approved-by"]')).toBe(zh.t('manager.approvedBy', { manager: '李娜', clerk: '王芳' }));
    await expectFits(`${size}-02-manager-approved`);

    // Something the manager area records: a new clerk.
    await page.click('[data-testid="tab-staff"]');
    const name = `新员工${viewport.width}`;
    await page.fill('[data-testid="staff-name"]', name);
    await page.fill('[data-testid="staff-pin"]', String(5000 + viewport.width));
    await page.click('[data-testid="staff-add"]');
    await page.waitForSelector(`[data-testid="staff"] td:text("${name}")`);
    expect(lastAudit('staff.add')).toMatchObject({ actor: 'clerk-01', data: { name, approvedBy: 'mgr-01' } });

    // Back at the desk: still the clerk, and the approval is over.
    await page.click('[data-testid="manager-back"]');
    await page.waitForSelector('[data-screen="scan"]');
    expect(await page.textContent('[data-testid="signed-in"]')).toBe(clerkLabel);
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await page.click('[data-testid="manager-back"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-screen="sign-in"]');
  });

  it("five wrong PINs lock the desk, the time left shows, and a manager's PIN lifts it at once", async () => {
    await page.setViewportSize(viewport);
    desk.terminal.db.prepare("DELETE FROM lockouts WHERE scope = 'terminal'").run();
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    for (let i = 0; i < 5; i++) {
      await pin('0000');
      if (i < 4) await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(zh.error('WRONG_PIN', { left: 4 - i }));
    }
    await page.waitForSelector('[data-testid="locked"]');
    const remaining = (await page.textContent('[data-testid="lock-remaining"]'))!;
    expect(remaining).toMatch(/^还需等待 [45]:\d\d$/);
    await expectFits(`${size}-03-locked`);
    // The countdown moves.
    await expect.poll(() => page.textContent('[data-testid="lock-remaining"]'), { timeout: 3000 }).not.toBe(remaining);

    // A clerk's PIN is no key, and counts.
    await pin('1234');
    await expect.poll(() => page.textContent('[data-testid="locked"] [data-testid="error"]')).toBe(zh.error('UNLOCK_PIN_WRONG', { left: 4 }));
    await expectFits(`${size}-04-locked-wrong-pin`);
    await pin('9999');
    await page.waitForSelector('[data-testid="unlocked"]');
    expect(await page.textContent('[data-testid="unlocked"]')).toBe(zh.t('ui.lock.lifted', { name: '李娜' }));
    expect(lastAudit('pin.unlocked')).toMatchObject({ actor: 'mgr-01', data: { unlockTries: 1 } });
    await expectFits(`${size}-05-unlocked`);
    await pin('1234');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-screen="sign-in"]');
  });
});

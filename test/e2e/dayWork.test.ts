// Issue 18, "a desk that holds up through a day's work", in Debian's Chromium (playwright-core)
// against the real web host and a seeded demo database, at 1024×768 and 1280×800 (screenshots in
// test-output/e2e/daywork-*.png): a manager's approval never swaps the signed-in clerk; the lockout
// says how long is left and a manager's PIN lifts it; the day-end asks first and says what it will
// do, ends at 100 %, shows the closed day when the tab opens again, and later work carries the next
// business day, which the status bar says; the receipt screen follows the event stream (a receipt
// that waited for paper shows as printed once it prints, however late); one error at a time on the
// scan screen and in the void dialog, which names the operation and the approver, as the on-screen
// void receipt does.
import { mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator, formatInstant } from '../../src/i18n';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { businessDate, DAY_MS } from '../../src/loyalty/time';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { layoutProblems, VIEWPORTS } from './layoutCheck';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
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

/** An advanced member's signed code scanned, and a benefit that needs no amount redeemed, up to the receipt. */
async function redeemFreeBenefit(at: DeskLaunch): Promise<void> {
  const m = at.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'advanced' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number };
  const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(at.prepared.dir, HQ_KEY_FILE), 'utf8')));
  await scanWedge(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
  await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
  const benefit = at.terminal.service.memberCard({ memberId: m.id }).benefits.find((b) => b.eligible && !b.needsAmount)!;
  await page.locator(`[data-testid="benefit-${benefit.id}"] [data-testid="redeem"]`).scrollIntoViewIfNeeded();
  await page.click(`[data-testid="benefit-${benefit.id}"] [data-testid="redeem"]`);
  await page.click('[data-testid="confirm-redeem"]');
  await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-daywork-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 60, seed: 'e2e-daywork' });
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

describe('the day-end', () => {
  it('asks first and says what it will do, ends at 100 %, shows the closed day again, and later work carries the next day', async () => {
    await page.setViewportSize(VIEWPORTS[0]);
    desk.terminal.db.prepare("DELETE FROM lockouts WHERE scope = 'terminal'").run();
    const tz = desk.terminal.service.deps.identity.tz;
    const today = businessDate(Date.now(), tz);
    const next = businessDate(Date.now() + DAY_MS, tz);
    await signInClerk();
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await pin('9999');
    await page.waitForSelector('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-start"]');
    await page.waitForSelector('[data-testid="dayend-confirm-dialog"]');
    expect(await page.textContent('[data-testid="dayend-confirm-dialog"] h2')).toBe(zh.t('manager.dayEnd.confirmTitle', { date: today }));
    expect(await page.textContent('[data-testid="dayend-what"]')).toContain(zh.t('manager.dayEnd.what.after', { next }));
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      await expectFits(`${vp.width}x${vp.height}-06-dayend-confirm`);
    }
    // Cancel closes nothing.
    await page.click('[data-testid="dayend-cancel"]');
    expect(desk.terminal.db.prepare('SELECT count(*) AS n FROM business_days').get()).toEqual({ n: 0 });

    await page.click('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-confirm"]');
    await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 30_000 });
    expect(await page.getAttribute('[data-testid="dayend-progress"]', 'data-pct')).toBe('100');
    expect(await page.textContent('[data-testid="dayend-step"]')).toBe(`${zh.t('manager.dayEnd.steps.done')} 100%`);
    const closedAt = (desk.terminal.db.prepare('SELECT closed_at AS at FROM business_days WHERE date = ?').get(today) as { at: number }).at;
    const closedText = zh.t('manager.dayEnd.closedInfo', {
      date: today,
      at: formatInstant(closedAt, tz),
      by: zh.t('manager.dayEnd.closedByApproved', { name: '王芳', manager: '李娜' }),
      number: 1,
      next,
    });
    expect(await page.textContent('[data-testid="dayend-closed"]')).toBe(closedText);
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      await page.evaluate(() => document.querySelector('[data-screen="manager"]')?.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `daywork-${vp.width}x${vp.height}-07-dayend-done.png`) });
    }

    // Coming back later: the tab says the day is closed, by whom and its number; no start button.
    await page.click('[data-testid="manager-back"]');
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await pin('9999');
    await page.waitForSelector('[data-testid="dayend-closed"]');
    expect(await page.textContent('[data-testid="dayend-closed"]')).toBe(closedText);
    expect(await page.$('[data-testid="dayend-start"]')).toBeNull();
    await page.screenshot({ path: join(SHOTS, 'daywork-1280x800-08-dayend-reopened.png') });

    // The desk says where new work goes, and a redemption now carries the next business day.
    await page.click('[data-testid="manager-back"]');
    await page.waitForSelector('[data-screen="scan"]');
    await expect.poll(() => page.textContent('[data-testid="status-day"]')).toBe(zh.t('ui.status.dayClosed', { date: next }));
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      await expectFits(`${vp.width}x${vp.height}-09-after-close`);
    }
    await redeemFreeBenefit(desk);
    const op = desk.terminal.db.prepare("SELECT id, business_date FROM operations WHERE kind = 'redeem' ORDER BY at DESC LIMIT 1").get() as { id: string; business_date: string };
    expect(op.business_date).toBe(next);
    const event = desk.terminal.db.prepare('SELECT payload_json FROM outbox WHERE op_id = ?').get(op.id) as { payload_json: string };
    expect(JSON.parse(event.payload_json)).toMatchObject({ businessDate: next, dayClosed: true });
    // The closed day's report is final: the redemption is not in it.
    expect(desk.terminal.db.prepare('SELECT count(*) AS n FROM operations WHERE business_date = ?').get(today)).toEqual({ n: 0 });
    // The window's session outlives a new launch link: sign out for the walks after this one.
    await page.click('[data-testid="next-member"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-screen="sign-in"]');
  }, 90_000);
});

describe('live state', () => {
  let live: DeskLaunch;
  let printer: FakePrinter;
  beforeAll(async () => {
    const dataDir = join(tmp.dir, 'live');
    prepareDeskFolder(dataDir, { members: 30, seed: 'e2e-live' });
    printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'live-printer'), fault: { fault: 'paper-out' } });
    allowPrinter(dataDir, printer.allow);
    live = await launchDesk({ dataDir, printerUri: printer.uri });
  }, 60_000);
  afterAll(async () => {
    await live?.close();
    await printer?.close();
  });

  it('the receipt screen says it waits for paper, then that it printed once the printer is back — long after', async () => {
    await page.setViewportSize(VIEWPORTS[1]);
    await page.goto(live.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await pin('1234');
    await page.waitForSelector('[data-screen="scan"]');
    await redeemFreeBenefit(live);
    await expect.poll(() => page.textContent('[data-screen="receipt"] h1'), { timeout: 15_000 }).toBe(zh.t('ui.receipt.titleWaiting'));
    expect(await page.getAttribute('[data-testid="print-state"]', 'data-status')).toBe('pending');
    await page.screenshot({ path: join(SHOTS, 'daywork-1280x800-10-receipt-waits-for-paper.png') });

    // Past the screen's quick look-agains, then paper back: the queue prints it on its next try.
    await new Promise((r) => setTimeout(r, 11_000));
    const before = printer.receipts.length;
    printer.setFault({ fault: 'none' });
    await expect.poll(() => printer.receipts.length, { timeout: 40_000, interval: 250 }).toBeGreaterThan(before);
    const printedAt = Date.now();
    await expect.poll(() => page.getAttribute('[data-testid="print-state"]', 'data-status'), { timeout: 3_000, interval: 100 }).toBe('printed');
    expect(Date.now() - printedAt).toBeLessThan(3_000);
    expect(await page.textContent('[data-screen="receipt"] h1')).toBe(zh.t('ui.receipt.titlePrinted'));
    expect(await page.textContent('[data-testid="print-state"]')).toBe(zh.t('ui.receipt.printed'));
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      await expectFits(`${vp.width}x${vp.height}-11-receipt-printed-late`);
    }
  }, 90_000);
});

describe.each(VIEWPORTS.map((v, i) => [`${v.width}x${v.height}`, v, i] as const))('one error at a time, at %s', (size, viewport, i) => {
  it('the scan screen shows only the newest error; the void dialog names the operation and approver and shows its error once', async () => {
    await page.setViewportSize(viewport);
    desk.terminal.db.prepare("DELETE FROM lockouts WHERE scope = 'terminal'").run();
    await signInClerk();
    // A code that is no member code, then a card number too short: one red box, the newest.
    await scanWedge(page, 'LD1C.not-a-member-code');
    await expect.poll(() => page.textContent('[data-screen="scan"] [data-testid="error"]')).toBe(zh.error('MALFORMED'));
    await page.fill('[data-testid="card-input"]', '123');
    await page.click('[data-testid="card-submit"]');
    await expect.poll(() => page.textContent('[data-screen="scan"] [data-testid="error"]')).toBe(zh.t('ui.scan.cardInvalid'));
    expect(await page.locator('[data-testid="error"]').count()).toBe(1);
    await expectFits(`${size}-12-scan-one-error`);

    // An operation to void.
    const m = desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'core' ORDER BY id LIMIT 1 OFFSET ?").get(i) as { id: string; card_serial: number };
    const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    await page.fill('[data-testid="card-input"]', '');
    await page.locator('body').click({ position: { x: 5, y: 200 } });
    await scanWedge(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
    await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
    const benefit = desk.terminal.service.memberCard({ memberId: m.id }).benefits.find((b) => b.eligible && !b.needsAmount)!;
    await page.locator(`[data-testid="benefit-${benefit.id}"] [data-testid="redeem"]`).scrollIntoViewIfNeeded();
    await page.click(`[data-testid="benefit-${benefit.id}"] [data-testid="redeem"]`);
    await page.click('[data-testid="confirm-redeem"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    const op = desk.terminal.db.prepare("SELECT id FROM operations WHERE kind = 'redeem' AND member_id = ? ORDER BY at DESC LIMIT 1").get(m.id) as { id: string };

    await page.click('[data-testid="nav-ops"]');
    await page.click(`[data-testid="op-${op.id}"] [data-testid="op-void"]`);
    await page.waitForSelector('[data-testid="void-dialog"]');
    expect(await page.textContent('[data-testid="void-dialog"] h2')).toBe(zh.t('ui.ops.voidTitleKind', { kind: zh.t('opKind.redeem') }));
    expect(await page.textContent('[data-testid="void-op-id"]')).toBe(op.id);
    expect(await page.textContent('[data-testid="void-approver"]')).toBe(zh.t('ui.ops.voidNeedsManager', { name: '王芳' }));
    await pin('0000');
    await expect.poll(() => page.textContent('[data-testid="void-dialog"] [data-testid="error"]')).toBe(zh.error('MANAGER_PIN_WRONG', { left: 4 }));
    expect(await page.locator('[data-testid="error"]').count(), 'the void error shows once, inside the dialog').toBe(1);
    await expectFits(`${size}-13-void-dialog-error`);
    await pin('9999');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    const paper = (await page.textContent('[data-testid="receipt-preview"]'))!;
    expect(paper).toContain(`${zh.t('ui.receipt.voidedOp')}${zh.t('opKind.redeem')} · ${op.id}`);
    expect(paper).toContain(`${zh.t('ui.receipt.approvedBy')}李娜`);
    await expectFits(`${size}-14-void-receipt`);
    await page.click('[data-testid="next-member"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-screen="sign-in"]');
  });
});

// Earning at the desk end to end (issue 15 item 4 and 5, the two desk cases): Debian's Chromium
// against the real web host, a seeded demo database and the fake printer. (a) ¥2,580,000 is refused
// with the core's sentence and nothing changes; ¥30,000 asks for the manager's PIN in the
// confirmation and goes through with it; ¥300 is confirmed and goes through. (b) After the manager
// voids that large approved earn, the member can still redeem the free gift wrap and spend points.
import { mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator, formatYuan } from '../../src/i18n';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { snapshot } from '../helpers/snapshot';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const zh = createTranslator('zh-CN');
const en = createTranslator('en');
// Printing and the PIN lockouts move on their own; everything else stays put after a refusal.
const MOVING = ['print_jobs', 'lockouts'];

let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;
let member: { id: string; card_serial: number };
let bigEarn: string;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const db = () => desk.terminal.db;

/** The member's signed card code, typed as a keyboard-wedge scanner types it. */
async function scanMember(): Promise<void> {
  const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
  await scanWedge(page, mintCardCode(hq, { mid: member.id, cs: member.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
  await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
}

async function askToEarn(yuan: string): Promise<void> {
  await page.fill('[data-testid="earn-amount"]', yuan);
  await page.click('[data-testid="earn-submit"]');
}

/** The dialog lies wholly inside the window and shows all of itself without scrolling. */
async function expectDialogFits(width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  const dialog = page.locator('[data-testid="earn-dialog"]');
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(width);
  expect(box.y + box.height).toBeLessThanOrEqual(height);
  expect(await dialog.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await shot(`earn-dialog-${width}x${height}`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-earn-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 200, seed: 'e2e-earn' });
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  desk = await launchDesk({ dataDir, printerUri: printer.uri });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  // A basic member with the least activity: ¥30,000 lifts them to premium, ¥300 alone does not.
  member = db()
    .prepare(
      "SELECT id, card_serial FROM members m WHERE status = 'active' AND tier = 'basic' ORDER BY (SELECT coalesce(sum(visits), 0) FROM member_months WHERE member_id = m.id), id LIMIT 1",
    )
    .get() as never;
});

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  await printer?.close();
  tmp?.cleanup();
});

describe('earning at the desk in Chromium', () => {
  it('refuses ¥2,580,000 with the sentence in the UI language, and nothing changes', async () => {
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('1234'); // 王芳, a clerk
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await scanMember();
    await page.click('[data-testid="go-earn"]');

    const before = snapshot(db(), MOVING);
    const params = { capFen: DEFAULT_RULES.earn.refuseAboveFen };
    await askToEarn('2580000');
    await expect.poll(() => page.textContent('[data-screen="earn"] [data-testid="error"]')).toBe(zh.error('EARN_AMOUNT_CAP', params));
    expect(await page.locator('[data-testid="earn-dialog"]').count()).toBe(0);
    await shot('earn-01-refused');
    await page.selectOption('[data-testid="lang"]', 'en');
    await askToEarn('2580000');
    await expect.poll(() => page.textContent('[data-screen="earn"] [data-testid="error"]')).toBe(en.error('EARN_AMOUNT_CAP', params));
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    expect(snapshot(db(), MOVING)).toEqual(before);
  });

  it('asks for the manager\'s PIN for ¥30,000 in the confirmation, showing amount, points and 基础 → 尊享', async () => {
    const lines = [{ category: 'general', amountFen: 3_000_000 }];
    const expected = desk.terminal.service.earnPreview({ memberId: member.id, lines });
    await askToEarn('30000');
    await page.waitForSelector('[data-testid="earn-dialog"] [data-testid="earn-manager-pin"]');
    expect(await page.textContent('[data-testid="earn-confirm-amount"]')).toBe('¥30,000.00');
    expect(await page.textContent('[data-testid="earn-confirm-points"]')).toBe(`+${expected.points.toLocaleString('en-US')}`);
    expect(await page.textContent('[data-testid="earn-confirm-tier"]')).toBe('基础 → 尊享');
    expect(await page.textContent('[data-testid="earn-dialog"]')).toContain(`消费超过 ${formatYuan(DEFAULT_RULES.earn.approvalAboveFen)}，需店长输入 PIN 批准。`);
    await expectDialogFits(1280, 800);
    await expectDialogFits(1024, 768);

    // A clerk's PIN is no approval: the dialog says it is not a manager's PIN (as for a wrong one) and nothing is written.
    const before = snapshot(db(), MOVING);
    await page.keyboard.type('2345');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="earn-dialog"] [data-testid="error"]')).toMatch(/^这不是店长的 PIN。/);
    expect(snapshot(db(), MOVING)).toEqual(before);

    await page.keyboard.type('9999'); // 李娜, the manager
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    const op = db().prepare("SELECT id, approved_by, staff_id, points, amount_fen FROM operations WHERE member_id = ? AND kind = 'earn'").get(member.id) as {
      id: string;
      approved_by: string;
      staff_id: string;
      points: number;
      amount_fen: number;
    };
    expect(op).toMatchObject({ approved_by: 'mgr-01', staff_id: 'clerk-01', points: expected.points, amount_fen: 3_000_000 });
    bigEarn = op.id;
    expect(await page.textContent('[data-testid="receipt-preview"]')).toMatch(/批准人\s*李娜/);
    expect((db().prepare('SELECT tier FROM members WHERE id = ?').get(member.id) as { tier: string }).tier).toBe('premium');
    await shot('earn-02-approved-receipt');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('asks for confirmation for ¥300 (Escape cancels, nothing written) and goes through on confirm', async () => {
    await page.click('[data-testid="back-to-member"]');
    await page.click('[data-testid="go-earn"]');
    const before = snapshot(db(), MOVING);
    await askToEarn('300');
    await page.waitForSelector('[data-testid="earn-dialog"] [data-testid="confirm-earn"]');
    expect(await page.locator('[data-testid="earn-manager-pin"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="earn-confirm-amount"]')).toBe('¥300.00');
    expect(await page.locator('[data-testid="earn-confirm-tier"]').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="earn-dialog"]', { state: 'detached' });
    expect(snapshot(db(), MOVING)).toEqual(before);

    await askToEarn('300');
    await page.waitForSelector('[data-testid="earn-dialog"] [data-testid="confirm-earn"]');
    await shot('earn-03-confirm');
    await page.click('[data-testid="confirm-earn"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect(await page.textContent('[data-testid="receipt-preview"]')).toContain('¥300.00');
    const small = db().prepare("SELECT approved_by FROM operations WHERE member_id = ? AND kind = 'earn' AND amount_fen = 30000").get(member.id) as { approved_by: string | null };
    expect(small.approved_by).toBeNull();
  });

  it('after the manager voids the large earn, the member can still redeem the free gift wrap and spend points', async () => {
    await page.click('[data-testid="nav-ops"]');
    await page.click(`[data-testid="op-${bigEarn}"] [data-testid="op-void"]`);
    await page.waitForSelector('[data-testid="void-dialog"]');
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect((db().prepare('SELECT voided_by_op FROM operations WHERE id = ?').get(bigEarn) as { voided_by_op: string | null }).voided_by_op).not.toBeNull();

    await page.click('[data-testid="next-member"]');
    await page.waitForSelector('[data-screen="scan"]');
    await scanMember();
    await page.click('[data-testid="benefit-B-SVC-WRAP"] [data-testid="redeem"]');
    await page.click('[data-testid="confirm-redeem"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect(db().prepare("SELECT count(*) AS n FROM operations WHERE member_id = ? AND benefit_id = 'B-SVC-WRAP'").get(member.id)).toEqual({ n: 1 });
    await shot('earn-04-wrap-after-void');

    // Points the member does spend offline are counted from here, not the voided earn's take-back.
    await page.click('[data-testid="back-to-member"]');
    await page.click('[data-testid="go-donate"]');
    await page.fill('[data-testid="donate-points"]', '100');
    await page.click('[data-testid="donate-submit"]');
    await page.click('[data-testid="confirm-donate"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect(db().prepare("SELECT count(*) AS n FROM operations WHERE member_id = ? AND kind = 'donate'").get(member.id)).toEqual({ n: 1 });
  });
});

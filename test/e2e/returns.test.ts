// 退货 at the desk end to end (issue 17 item 2): Debian's Chromium against the real web host, a
// seeded demo database and the fake printer. A purchase of two days ago is returned in part from the
// member card (两 taps: 退货, then the purchase), the confirmation shows the points the core says it
// takes back, the return receipt prints; the rest is then returned by scanning the purchase
// receipt's QR; a refusal is the core's sentence in the UI language and changes nothing.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { DAY_MS } from '../../src/loyalty/time';
import { setMeta } from '../../src/store/meta';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { snapshot } from '../helpers/snapshot';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const zh = createTranslator('zh-CN');
const en = createTranslator('en');
const MOVING = ['print_jobs', 'lockouts'];

let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;
let member: { id: string; card_serial: number };
let purchase: string;
/** A purchase of a basic member whose points are then spent: returned while HQ's rules allow owing. */
let owing: { memberId: string; opId: string };

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const db = () => desk.terminal.db;

async function scan(code: string, screen: string): Promise<void> {
  await scanWedge(page, code);
  await page.waitForSelector(`[data-screen="${screen}"]`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-returns-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 100, seed: 'e2e-returns' });
  // The purchase, two days ago at this terminal: the same data folder, an earlier clock.
  const earlier = openTerminal(join(dataDir, 'desk.db'), { clock: () => Date.now() - 2 * DAY_MS });
  member = earlier.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'core' ORDER BY id LIMIT 1").get() as never;
  purchase = earlier.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'cosmetics', amountFen: 30_000 }, { category: 'general', amountFen: 20_000 }] }).opId;
  const basic = (earlier.db.prepare("SELECT id FROM members WHERE status = 'active' AND tier = 'basic' ORDER BY id LIMIT 1").get() as { id: string }).id;
  owing = { memberId: basic, opId: earlier.service.earn({ memberId: basic, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 50_000 }] }).opId };
  const all = Math.floor(earlier.service.memberCard({ memberId: basic }).points.balance / 100) * 100;
  earlier.service.cashDeduct({ memberId: basic, staffId: 'clerk-01', points: all, amountFen: all * 10 });
  earlier.close();
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
});

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  await printer?.close();
  tmp?.cleanup();
});

describe('returns at the desk in Chromium', () => {
  it('returns ¥100 of cosmetics two taps from the member card, confirmed with the points taken back, and prints the return receipt', async () => {
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    await scan(mintCardCode(hq, { mid: member.id, cs: member.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }), 'member');
    const balance = Number(await page.getAttribute('[data-testid="points-balance"]', 'data-points'));

    await page.click('[data-testid="go-return"]');
    await page.click(`[data-testid="purchase-${purchase}"] [data-testid="return-pick"]`);
    await page.waitForSelector('[data-screen="return-form"]');
    expect(await page.textContent('[data-testid="return-left"]')).toContain('¥500.00');
    await page.click('[data-testid="return-mode-lines"]');
    await page.fill('[data-testid="return-line-cosmetics"]', '100');
    const expected = desk.terminal.service.returnQuote({ opId: purchase, lines: [{ category: 'cosmetics', amountFen: 10_000 }] }).plan!;
    await page.click('[data-testid="return-preview"]');
    await page.waitForSelector('[data-testid="return-dialog"]');
    expect(await page.textContent('[data-testid="return-points"]')).toBe(expected.takenBack.toLocaleString('en-US'));
    expect(expected.takenBack).toBe(200);
    await shot('returns-01-confirm');

    const printed = printer.receipts.length;
    await page.click('[data-testid="confirm-return"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    const preview = (await page.textContent('[data-testid="receipt-preview"]')) ?? '';
    expect(preview).toContain('退货');
    expect(preview).toContain(purchase);
    const row = db().prepare("SELECT points, amount_fen, target_op_id FROM operations WHERE kind = 'return' AND member_id = ?").get(member.id);
    expect(row).toEqual({ points: -200, amount_fen: 10_000, target_op_id: purchase });
    await expect.poll(() => printer.receipts.length, { timeout: 20_000 }).toBeGreaterThan(printed);
    const paper = printer.receipts.at(-1)!.lines.join('\n');
    expect(paper).toContain('退货');
    expect(paper).toMatch(/退回积分\s+200/);
    await shot('returns-02-receipt');
    await page.click('[data-testid="back-to-member"]');
    await expect.poll(async () => Number(await page.getAttribute('[data-testid="points-balance"]', 'data-points'))).toBe(balance - 200);
  });

  it('opens the purchase from its receipt QR; too much is refused in the UI language and nothing changes; the rest goes back', async () => {
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await scan(purchase, 'return-form');
    await page.click('[data-testid="return-mode-amount"]');
    await page.fill('[data-testid="return-amount"]', '401');
    const before = snapshot(db(), MOVING);
    await page.click('[data-testid="return-preview"]');
    const params = { requestedFen: 40_100, remainingFen: 40_000 };
    await expect.poll(() => page.textContent('[data-screen="return-form"] [data-testid="error"]')).toBe(zh.error('RETURN_EXCEEDS_PURCHASE', params));
    await page.selectOption('[data-testid="lang"]', 'en');
    await page.click('[data-testid="return-preview"]');
    await expect.poll(() => page.textContent('[data-screen="return-form"] [data-testid="error"]')).toBe(en.error('RETURN_EXCEEDS_PURCHASE', params));
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    expect(snapshot(db(), MOVING)).toEqual(before);

    await page.click('[data-testid="return-mode-whole"]');
    await page.click('[data-testid="return-preview"]');
    await page.waitForSelector('[data-testid="return-dialog"]');
    await page.click('[data-testid="confirm-return"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    const total = db().prepare("SELECT sum(amount_fen) AS a, sum(points) AS p FROM operations WHERE kind = 'return' AND target_op_id = ?").get(purchase);
    expect(total).toEqual({ a: 50_000, p: -800 });
    await shot('returns-03-whole-by-qr');
  });

  it("with HQ's rules allowing owing, the quote shows what the member will owe and the balance below zero after the return", async () => {
    setMeta(db(), 'rules_json', JSON.stringify({ ...DEFAULT_RULES, version: 2, returns: { windowDays: 30, allowNegative: true, negativeLimitPoints: 300 } }));
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await scan(owing.opId, 'return-form');
    await page.click('[data-testid="return-mode-whole"]');
    const expected = desk.terminal.service.returnQuote({ opId: owing.opId, whole: true }).plan!;
    expect(expected.owed).toBe(300);
    await page.click('[data-testid="return-preview"]');
    await page.waitForSelector('[data-testid="return-dialog"]');
    expect(await page.textContent('[data-testid="return-owed"]')).toContain('300');
    expect(await page.textContent('[data-testid="return-balance"]')).toContain(`${expected.pointsBefore.toLocaleString('en-US')} → -300`);
    await shot('returns-04-owing-quote');
    await page.click('[data-testid="confirm-return"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect(desk.terminal.service.memberCard({ memberId: owing.memberId }).points.balance).toBe(-300);
    // The desk's result and the paper both say what the member now owes.
    const preview = (await page.textContent('[data-testid="receipt-preview"]')) ?? '';
    expect(preview).toContain(`${zh.t('ui.owing.owed')}300`);
    await expect.poll(() => printer.receipts.at(-1)?.lines.join('\n') ?? '', { timeout: 20_000 }).toMatch(/本次欠分\s+300\n/);
    const paper = printer.receipts.at(-1)!.lines.join('\n');
    expect(paper).toMatch(/现有积分\s+-300/);
    expect(paper.replace(/\s+/g, '')).toContain(zh.t('receipt.owedNote'));
    await shot('returns-05-owing-receipt');

    // The manager's Z-report view of the day lists the returns and the points they left owing.
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"] [data-testid="manager-pin"]');
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    await page.click('[data-testid="tab-zReport"]');
    const returns = (db().prepare("SELECT count(*) AS n FROM operations WHERE kind = 'return'").get() as { n: number }).n;
    await expect.poll(() => page.textContent('[data-testid="zreport-tab"] [data-testid="z-returns-owed"]')).toContain('300');
    expect(await page.textContent('[data-testid="zreport-tab"]')).toContain(zh.t('zreport.owed'));
    expect(await page.textContent('[data-testid="zreport-tab"] [data-testid="z-returns"]')).toContain(String(returns));
    // No redemption that day: the by-staff heading says so, as the other empty sections do.
    expect(await page.textContent('[data-testid="zreport-tab"] [data-testid="z-staff-none"]')).toBe(zh.t('manager.z.none'));
    await page.locator('[data-testid="z-returns-owed"]').scrollIntoViewIfNeeded();
    await shot('returns-06-owing-z-report');
  });
});

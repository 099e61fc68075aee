// The desk UI end to end: Debian's Chromium (playwright-core) against the real web host, a seeded
// demo database and the fake printer (a real TCP server). Sign in → scan a member code typed as a
// wedge burst → redeem in 2 taps → the receipt reaches the printer; refusals show their sentences;
// the language switches at runtime; every screen is saved under test-output/e2e/.
import { mkdirSync, readFileSync } from 'node:fs';
import { prepareDeskFolder } from './deskFolder';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { setSyncState } from '../../src/store/syncState';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { createTranslator } from '../../src/i18n';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { otherPhone } from '../helpers/demoPhones';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // A synthetic camera (a test pattern, no QR in it) so the viewfinder can start headless.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

let phones: Map<string, string>;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;
let taps = 0;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function tap(selector: string): Promise<void> {
  taps++;
  await page.click(selector);
}

function member(where: string): { id: string; card_no: string; phone: string; card_serial: number; tier: string } {
  const row = desk.terminal.db.prepare(`SELECT id, card_no, card_serial, tier FROM members WHERE ${where} ORDER BY id LIMIT 1`).get() as { id: string; card_no: string; card_serial: number; tier: string };
  return { ...row, phone: phones.get(row.id)! };
}

/** Taps digits on a PIN pad, as a clerk does (taps are not keystrokes: the scanner detector never sees them). */
async function tapDigits(pad: string, digits: string): Promise<void> {
  for (const d of digits) await page.click(`[data-testid="${pad}"] .pin-keys button[aria-label="${d}"]`);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-');
  const dataDir = join(tmp.dir, 'data');
  phones = prepareDeskFolder(dataDir, { members: 300, seed: 'e2e' });
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  desk = await launchDesk({ dataDir, printerUri: printer.uri });
  // A fresh profile of its own (playwright passes it as --user-data-dir).
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

describe('the desk in Chromium', () => {
  it('signs in with typed digits and Enter, after a wrong PIN says how many tries are left', async () => {
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await shot('01-sign-in');
    // A card scanned at the PIN pad is a scan, not a PIN: it asks for sign-in and uses up no tries.
    await scanWedge(page, '8860000000000010');
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(createTranslator('zh-CN').error('NOT_SIGNED_IN', {}));
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(createTranslator('zh-CN').error('WRONG_PIN', { left: 4 }));
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    expect(await page.textContent('[data-testid="signed-in"]')).toContain('王芳');
    await shot('02-scan');
  });

  it('shows the sentence for refused codes', async () => {
    const tr = createTranslator('zh-CN');
    await scanWedge(page, 'LD1C.bm90LWEtY29kZQ.c2lnbmF0dXJl');
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(tr.error('MALFORMED', {}));
    await scanWedge(page, '8869999999999999');
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(tr.error('UNKNOWN_MEMBER', { ref: '8869999999999999' }));
    await shot('03-scan-refused');
  });

  it('warns in the status bar when the last sync found this PC\'s clock minutes off HQ\'s', async () => {
    expect(await page.locator('[data-testid="status-clock"]').count()).toBe(0);
    setSyncState(desk.terminal.db, 'clock_skew_ms', String(-5 * 60_000));
    await expect.poll(() => page.textContent('[data-testid="status-clock"]'), { timeout: 10_000 }).toBe('本机时钟与总部相差约 5 分钟');
    setSyncState(desk.terminal.db, 'clock_skew_ms', String(30_000)); // within 2 minutes: no warning
    await expect.poll(() => page.locator('[data-testid="status-clock"]').count(), { timeout: 10_000 }).toBe(0);
  });

  it('starts the camera viewfinder and says what it is doing', async () => {
    await browser.grantPermissions(['camera'], { origin: desk.host.origin });
    await page.click('[data-testid="camera-toggle"]');
    await page.waitForSelector('[data-testid="camera-state"][data-state="scanning"]');
    expect(await page.textContent('[data-testid="camera-state"]')).toBe('请将会员码对准摄像头。');
    await shot('03b-scan-camera');
    await page.click('[data-testid="camera-toggle"]');
    await page.waitForSelector('[data-testid="camera-state"]', { state: 'detached' });
  });

  it('checks the whole phone number for a typed card number before showing the member, and shows only its last four digits', async () => {
    const m = member("status = 'active' AND tier = 'advanced'");
    await scanWedge(page, m.card_no);
    await page.waitForSelector('[data-testid="phone-check"]');
    await shot('04-phone-check');
    await tapDigits('phone', otherPhone(m.phone));
    await page.click('[data-testid="phone-submit"]');
    await expect.poll(() => page.textContent('[data-testid="phone-check"] [data-testid="error"]')).toBe(createTranslator('zh-CN').error('PHONE_MISMATCH', { left: 2 }));
    await tapDigits('phone', m.phone);
    await page.click('[data-testid="phone-submit"]');
    await page.waitForSelector('[data-screen="member"]');
    expect(await page.textContent('[data-testid="verified"]')).toBe('已核对手机号');
    const text = (await page.textContent('[data-screen="member"]')) ?? '';
    expect(text).toContain(`****${m.phone.slice(-4)}`);
    expect(text).not.toContain(m.phone.slice(0, 7));
  });

  it('finds a member by the phone number typed into the lookup field: the card opens, unverified until a code is scanned', async () => {
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    const m = member("status = 'active' AND tier = 'core'");
    await page.fill('[data-testid="card-input"]', `${m.phone.slice(0, 3)} ${m.phone.slice(3, 7)} ${m.phone.slice(7)}`);
    await page.click('[data-testid="card-submit"]');
    await page.waitForSelector('[data-screen="member"]');
    expect(await page.textContent('[data-testid="verified"]')).toBe('按手机号找到，未验证');
    expect(await page.textContent('[data-testid="member-name"]')).not.toBe('');
    await shot('04b-found-by-phone');
  });

  it('scans a signed member code as a wedge burst and redeems in 2 taps; the receipt prints', async () => {
    const m = member("status = 'active' AND tier = 'advanced' AND id <> 'M00000001'");
    const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    const code = mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 });
    const receiptsBefore = printer.receipts.length;
    taps = 0;
    await scanWedge(page, code);
    await page.waitForSelector(`[data-screen="member"] [data-testid="verified"]:text("已通过会员码验证")`);
    const card = desk.terminal.service.memberCard({ memberId: m.id });
    expect(await page.getAttribute('[data-testid="points-balance"]', 'data-points')).toBe(String(card.points.balance));
    expect(await page.textContent('[data-testid="tier-badge"]')).toBe('进阶');
    // A refused benefit says why not, in the catalog's words.
    const refused = card.benefits.find((b) => b.reason !== null)!;
    expect(await page.textContent(`[data-testid="benefit-${refused.id}"] [data-testid="why-not"]`)).toBe(
      createTranslator('zh-CN', 'Asia/Shanghai').error(refused.reason!.code, refused.reason!.params),
    );
    // Every sentence is filled in: no placeholder the catalog and the core disagree on.
    expect(await page.textContent('[data-screen="member"]')).not.toContain('{{');
    await shot('05-member');

    await tap('[data-testid="benefit-B-VOUCHER-20"] [data-testid="redeem"]');
    await page.waitForSelector('[data-testid="redeem-dialog"]');
    await shot('06-redeem-confirm');
    await tap('[data-testid="confirm-redeem"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect(taps).toBeLessThanOrEqual(3);
    const op = desk.terminal.db.prepare("SELECT id FROM operations WHERE member_id = ? AND benefit_id = 'B-VOUCHER-20' AND kind = 'redeem'").get(m.id) as { id: string };
    expect(op).toBeTruthy();
    const job = () => desk.terminal.db.prepare('SELECT status FROM print_jobs WHERE op_id = ? ORDER BY id').get(op.id) as { status: string };
    await expect.poll(() => job().status, { timeout: 10_000 }).toBe('printed');
    await expect.poll(() => printer.receipts.length).toBeGreaterThan(receiptsBefore);
    await expect.poll(() => page.getAttribute('[data-testid="print-state"]', 'data-status'), { timeout: 15_000 }).toBe('printed');
    expect(await page.textContent('[data-testid="receipt-preview"]')).toContain(op.id);
    await shot('07-receipt');
  });

  it('switches the language at runtime, errors from the core included', async () => {
    await page.selectOption('[data-testid="lang"]', 'en');
    await page.waitForSelector('h1:text("Done — the receipt is printed")');
    await shot('08-receipt-en');
    await page.click('[data-testid="next-member"]');
    await page.waitForSelector(`h1:text("Scan the member's code")`);
    await scanWedge(page, 'NOT-A-MEMBER-CODE');
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(createTranslator('en').error('MALFORMED', {}));
    await page.selectOption('[data-testid="lang"]', 'zh-TW');
    await page.waitForSelector('h1:text("請掃描會員條碼")');
    await shot('09-scan-zh-TW');
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    await page.waitForSelector('h1:text("请扫描会员码")');
  });

  it('exchanges, earns and donates points, and voids with a manager PIN', async () => {
    const m = member("status = 'active' AND tier IN ('core', 'premium')");
    const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    await scanWedge(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
    await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');

    // A refused redemption keeps the dialog open with the core's sentence, and writes nothing.
    const opsBefore = (desk.terminal.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n;
    await page.click('[data-testid="benefit-B-THRESHOLD-100-10"] [data-testid="redeem"]');
    await page.fill('[data-testid="amount"]', '50');
    await page.click('[data-testid="confirm-redeem"]');
    await expect
      .poll(() => page.textContent('[data-testid="redeem-dialog"] [data-testid="error"]'))
      .toBe(createTranslator('zh-CN').error('BELOW_THRESHOLD', { thresholdFen: 10_000, amountFen: 5_000 }));
    await shot('09b-redeem-refused');
    expect(await page.textContent('[data-screen="member"]')).not.toContain('{{');
    expect((desk.terminal.db.prepare('SELECT COUNT(*) AS n FROM operations').get() as { n: number }).n).toBe(opsBefore);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="redeem-dialog"]', { state: 'detached' });

    await page.click('[data-testid="go-exchange"]');
    await page.waitForSelector('[data-testid="item-C-COFFEE"]');
    await shot('10-catalog');
    await page.click('[data-testid="item-C-COFFEE"] button');
    await page.click('[data-testid="confirm-exchange"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    await page.click('[data-testid="back-to-member"]');

    await page.click('[data-testid="go-earn"]');
    await page.fill('[data-testid="earn-amount"]', '258.50');
    await shot('11-earn');
    await page.click('[data-testid="earn-submit"]');
    // Every earn is confirmed first (test/e2e/earn.test.ts has the limits and the manager's PIN).
    await page.waitForSelector('[data-testid="earn-dialog"]');
    expect(await page.textContent('[data-testid="earn-confirm-amount"]')).toBe('¥258.50');
    await page.click('[data-testid="confirm-earn"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    expect(await page.textContent('[data-testid="receipt-preview"]')).toContain('¥258.50');
    await page.click('[data-testid="back-to-member"]');

    await page.click('[data-testid="go-donate"]');
    await page.fill('[data-testid="donate-points"]', '100');
    await page.click('[data-testid="donate-submit"]');
    await page.waitForSelector('[data-testid="donate-dialog"]');
    await shot('12-donate');
    await page.click('[data-testid="confirm-donate"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');

    await page.click('[data-testid="nav-ops"]');
    await page.waitForSelector('[data-screen="operations"] [data-testid="op-void"]');
    await shot('13-operations');
    const last = desk.terminal.db.prepare("SELECT id FROM operations WHERE member_id = ? AND kind = 'donate'").get(m.id) as { id: string };
    await page.click(`[data-testid="op-${last.id}"] [data-testid="op-void"]`);
    await page.waitForSelector('[data-testid="void-dialog"]');
    await page.keyboard.type('2345');
    await page.keyboard.press('Enter');
    // A clerk's PIN is told as a wrong manager's PIN, the same sentence a mistyped one gets (counted).
    await expect.poll(() => page.textContent('[data-testid="void-dialog"] [data-testid="error"]')).toBe(createTranslator('zh-CN').error('MANAGER_PIN_WRONG', { left: 4 }));
    await page.keyboard.type('9999');
    await shot('14-void-manager-pin');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    const voided = desk.terminal.db.prepare('SELECT voided_by_op FROM operations WHERE id = ?').get(last.id) as { voided_by_op: string | null };
    expect(voided.voided_by_op).not.toBeNull();
    await shot('15-void-receipt');
    // Once the void's receipt has printed: a reprint while it still waits adds nothing (docs/print.md).
    await page.waitForSelector('[data-testid="print-state"][data-status="printed"]');
    await page.click('[data-testid="reprint"]');
    await page.waitForSelector('text=已发送重印小票。');
  });
});

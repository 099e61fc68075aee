// The member kiosk end to end: Debian's Chromium (playwright-core) against the web host in kiosk
// mode, a seeded demo folder and the fake printer (a real TCP server). Attract → a signed code as a
// wedge burst → the member page (tier, points) → a slip with the card code in its QR → the idle
// timeout → attract with nothing of the member left; refused codes; a staff endpoint refused by
// the core; the page never holds the phone number or full name. Screens in both orientations go to
// test-output/kiosk/.
import { mkdirSync } from 'node:fs';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchKiosk, type KioskLaunch } from '../../src/host/kioskLaunch';
import { RENDERER_DIR, REPO_ROOT } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { createTranslator } from '../../src/i18n';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { appCode, cardCode, hqKeyOf } from '../scan/fixtures';
import { scanWedge } from '../../src/bench/wedgeScanner';
import { shotIfFailed } from './shots';

const SHOTS = join(REPO_ROOT, 'test-output', 'kiosk');
const IDLE_SECONDS = 4;
const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };

let phones: Map<string, string>;
let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let kiosk: KioskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;
const zh = createTranslator('zh-CN');

interface Member {
  id: string;
  name: string;
  phone: string;
  card_no: string;
  card_serial: number;
}

async function shot(name: string, size: { width: number; height: number }, touch: boolean): Promise<void> {
  await page.setViewportSize(size);
  // A touch in the page margin keeps a member page open while the screen is captured.
  if (touch) await page.mouse.click(3, 3);
  await page.screenshot({ path: join(SHOTS, `${name}-${size.width > size.height ? 'landscape' : 'portrait'}.png`), fullPage: false });
}

async function bothShots(name: string, touch = true): Promise<void> {
  await shot(name, PORTRAIT, touch);
  await shot(name, LANDSCAPE, touch);
  await page.setViewportSize(PORTRAIT);
}

function member(where: string): Member {
  const row = kiosk.terminal.db.prepare(`SELECT id, name, card_no, card_serial FROM members WHERE ${where} ORDER BY id LIMIT 1`).get() as Omit<Member, 'phone'>;
  return { ...row, phone: phones.get(row.id)! };
}

async function expectNothingPrivate(m: Member): Promise<void> {
  const html = await page.content();
  expect(html).not.toContain(m.phone);
  expect(html).not.toContain(m.name);
  expect(html).not.toContain(m.card_no);
  expect(html).not.toContain(m.id);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-kiosk-');
  dataDir = join(tmp.dir, 'data');
  phones = prepareDeskFolder(dataDir, { members: 300, seed: 'e2e-kiosk' });
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  kiosk = await launchKiosk({ dataDir, printerUri: printer.uri, kiosk: { idleSeconds: IDLE_SECONDS } });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: PORTRAIT });
  // No fake clock here (the idle time is short: 4 s, the warning its last 2 s): playwright's clock
  // replaces Event.timeStamp with when the page read the key, so a page stalled mid-burst (CI, two
  // test files at once) saw a scanner's keys as typing and the scan never happened. The wedge
  // detector judges by when keys were pressed, as a real page reports it.
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
});

afterEach((ctx) => shotIfFailed(page, ctx, 'kiosk'));

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await printer?.close();
  tmp?.cleanup();
});

describe('the member kiosk in Chromium', () => {
  let shown: Member;
  let code: string;

  it('shows the attract screen with the prompt in zh-CN, switchable by a tap', async () => {
    await page.goto(kiosk.host.launchUrl());
    await page.waitForSelector('[data-screen="attract"]');
    expect(await page.textContent('[data-testid="attract-prompt"]')).toBe('请扫描您的会员码');
    await bothShots('01-attract');
    await page.click('[data-testid="lang-en"]');
    await expect.poll(() => page.textContent('[data-testid="attract-prompt"]')).toBe('Scan your member code');
    await bothShots('01b-attract-en');
    await page.click('[data-testid="lang-zh-CN"]');
    await expect.poll(() => page.textContent('[data-testid="attract-prompt"]')).toBe('请扫描您的会员码');
    // Every touch target is at least 48 px.
    const small = await page.$$eval('button', (bs) => bs.filter((b) => b.getBoundingClientRect().height < 48 || b.getBoundingClientRect().width < 48).length);
    expect(small).toBe(0);
  });

  it('opens the member page for a signed card code scanned as a wedge burst', async () => {
    shown = member("status = 'active' AND length(name) >= 2 AND tier <> 'basic' AND id IN (SELECT member_id FROM point_lots WHERE remaining > 0)");
    code = cardCode(hqKeyOf(dataDir), shown.id, shown.card_serial, Date.now());
    const card = kiosk.terminal.service.memberCard({ memberId: shown.id });
    await scanWedge(page, code);
    await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]');
    expect(await page.textContent('[data-testid="kiosk-tier"]')).toBe(zh.tier(card.tier.code));
    expect(await page.textContent('[data-testid="kiosk-points"]')).toBe(`${card.points.balance.toLocaleString('en-US')}积分`);
    expect(await page.textContent('[data-testid="kiosk-hello"]')).toBe(`${card.member.maskedName}，您好`);
    await expectNothingPrivate(shown);
    const buttons = await page.$$eval('button', (bs) => bs.map((b) => Math.min(b.getBoundingClientRect().height, b.getBoundingClientRect().width)));
    expect(Math.min(...buttons)).toBeGreaterThanOrEqual(48);
    await bothShots('02-member');
  });

  it('prints a slip that reaches the printer with the card code in its QR', async () => {
    const before = printer.receipts.length;
    await page.click('[data-testid="kiosk-print"]');
    await page.waitForSelector('[data-testid="kiosk-slip-state"][data-state="printed"]');
    await expect.poll(() => printer.receipts.length, { timeout: 5000 }).toBe(before + 1);
    const slip = printer.receipts[printer.receipts.length - 1]!;
    expect(slip.qr).toEqual([code]);
    expect(slip.lines.join('\n')).toContain('会员权益小票');
    expect(slip.lines.join('\n')).not.toContain(shown.phone);
    expect(kiosk.terminal.db.prepare("SELECT count(*) AS n FROM print_jobs WHERE kind = 'slip' AND op_id IS NULL AND status = 'printed'").get()).toEqual({ n: 1 });
    await bothShots('03-slip-printed');
  });

  it('goes back to attract after the idle time with nothing of the member left', async () => {
    const historyLength = await page.evaluate(() => window.history.length);
    const points = await page.textContent('[data-testid="kiosk-points"]');
    const since = Date.now();
    await page.waitForSelector('[data-testid="kiosk-closing"]', { timeout: IDLE_SECONDS * 1000 + 4000 });
    // A short idle time shortens the warning instead of keeping the page open past it (useIdle.ts).
    expect(Number(await page.getAttribute('[data-testid="kiosk-closing"]', 'data-seconds'))).toBeLessThanOrEqual(IDLE_SECONDS / 2);
    // Nobody answers: the page goes at the idle time, with no 20 s added after it.
    // 4 s of slack for a loaded box: still far below the 20 s a warning added after the idle time would take.
    await page.waitForSelector('[data-screen="attract"]', { timeout: IDLE_SECONDS * 1000 + 4000 });
    expect(Date.now() - since).toBeLessThan(IDLE_SECONDS * 1000 + 4000);
    expect(await page.$('[data-testid="kiosk-points"]')).toBeNull();
    const body = (await page.textContent('body')) ?? '';
    expect(body).not.toContain(points!);
    expect(body).not.toContain('您好');
    await expectNothingPrivate(shown);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, window.history.length])).toEqual([0, 0, historyLength]);
  });

  it('refuses a plain card number and a replayed app code with a sentence and a hint, then attract', async () => {
    await scanWedge(page, shown.card_no);
    await page.waitForSelector('[data-screen="refused"]');
    expect(await page.textContent('[data-testid="refused-message"]')).toBe(zh.t('kiosk.refusal.KIOSK_CODE_REQUIRED'));
    expect(await page.textContent('[data-testid="refused-hint"]')).toBe(zh.t('kiosk.hint.KIOSK_CODE_REQUIRED'));
    await bothShots('05-refused-card-number');
    await page.click('[data-testid="refused-ok"]');
    await page.waitForSelector('[data-screen="attract"]');

    const other = member("status = 'active' AND id <> '" + shown.id + "'");
    const live = appCode(hqKeyOf(dataDir), other.id, other.card_serial, Date.now());
    await scanWedge(page, live);
    await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]');
    await expectNothingPrivate(other);
    // The same live code again (a photo of the phone, say): refused, and that page is gone.
    await scanWedge(page, live);
    await page.waitForSelector('[data-screen="refused"]');
    expect(await page.textContent('[data-testid="refused-message"]')).toBe(zh.t('kiosk.refusal.REPLAYED'));
    expect(await page.textContent('[data-testid="refused-hint"]')).toBe(zh.t('kiosk.hint.REPLAYED'));
    expect(await page.$('[data-testid="kiosk-points"]')).toBeNull();
    await bothShots('06-refused-replayed');
    // A burst of garbage: a friendly sentence, never an error page.
    await scanWedge(page, '#$%^&*()_+garbage-garbage-garbage');
    await expect.poll(() => page.textContent('[data-testid="refused-message"]')).toBe(zh.t('kiosk.refusal.MALFORMED'));
    await page.waitForSelector('[data-screen="attract"]', { timeout: 12_000 });
  });

  it('has the core refuse a staff endpoint called from the kiosk session, and never serves the desk page', async () => {
    const r = await page.evaluate(async (memberId) => {
      const res = await fetch('/api/benefit.redeem', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ memberId, benefitId: 'B-VOUCHER-20' }) });
      const signIn = await fetch('/api/staff.signIn', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pin: '1234' }) });
      const desk = await fetch('/index.html');
      return { status: res.status, body: await res.json(), signIn: signIn.status, desk: desk.status };
    }, shown.id);
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ ok: false, error: { code: 'KIOSK_STAFF_ONLY' } });
    expect(r.signIn).toBe(403);
    expect(r.desk).toBe(404);
    expect(kiosk.terminal.db.prepare('SELECT count(*) AS n FROM operations').get()).toEqual({ n: 0 });
  });

  it('says so kindly when the printer is out of paper, and the slip never prints later', async () => {
    await scanWedge(page, cardCode(hqKeyOf(dataDir), shown.id, shown.card_serial, Date.now()));
    await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]');
    printer.setFault({ fault: 'paper-out' });
    try {
      await page.click('[data-testid="kiosk-print"]');
      await page.waitForSelector('[data-testid="kiosk-slip-state"][data-state="failed"]');
      expect(await page.textContent('[data-testid="kiosk-slip-state"]')).toContain('打印机缺纸');
      await bothShots('07-slip-failed');
    } finally {
      printer.setFault({ fault: 'none' });
    }
    expect(kiosk.terminal.db.prepare("SELECT count(*) AS n FROM print_jobs WHERE kind = 'slip' AND status <> 'printed'").get()).toEqual({ n: 0 });
    await page.click('[data-testid="kiosk-done"]');
    await page.waitForSelector('[data-screen="attract"]');
  });
});

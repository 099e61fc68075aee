// The member kiosk walked as a member in a hurry, an elderly member and the store's IT person would
// meet it (Chromium against the real kiosk host, a seeded folder, the fake printer, wedge scans):
// - portrait 1080×1920: the benefits (what a member can use today) show on the first screen, above
//   the footer, not below the year in review and the badges; landscape keeps them in the right column;
// - the printer known out of paper: the refusal is one sentence, not "(打印机缺纸。)。";
// - a refusal that is the kiosk's own trouble (its link lost, a signed code for a member it has not
//   synced yet) is not titled "this code did not open a page", and says the kiosk, not the code;
// - a refusal can be switched to the member's language (it had no language buttons);
// - a refusal stays long enough for a slow reader (12 s untouched it is still there) and goes by itself;
// - the attract screen says when a page closes as it does: the idle time after the last touch.
// Screens: test-output/e2e/kiosk-walk-*.png.
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REFUSED_MS } from '../../renderer/kiosk/KioskApp';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchKiosk, type KioskLaunch } from '../../src/host/kioskLaunch';
import { RENDERER_DIR, REPO_ROOT } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { scanWedgeClockHeld } from '../../src/bench/wedgeScanner';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { cardCode, hqKeyOf } from '../scan/fixtures';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { keepShot, shotIfFailed } from './shots';

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const SMALL = { width: 1024, height: 768 };
const zh = createTranslator('zh-CN');

let tmp: ReturnType<typeof tempDir>;
let dataDir: string;
let kiosk: KioskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;

/** A member whose page is long: a high tier, points expiring within 30 days (a lot made so here), many benefits. */
function richMember(): { id: string; card_serial: number } {
  const db = kiosk.terminal.db;
  const m = db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'premium' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number };
  const now = Date.now();
  const soon = db.prepare('SELECT count(*) AS n FROM point_lots WHERE member_id = ? AND remaining > 0 AND expires_at BETWEEN ? AND ?').get(m.id, now, now + 20 * 86_400_000) as { n: number };
  if (soon.n === 0) {
    db.prepare('UPDATE point_lots SET expires_at = ? WHERE id = (SELECT id FROM point_lots WHERE member_id = ? AND remaining > 0 ORDER BY expires_at LIMIT 1)').run(now + 10 * 86_400_000, m.id);
  }
  return m;
}

async function openRichPage(): Promise<void> {
  const m = richMember();
  await scanWedgeClockHeld(page, cardCode(hqKeyOf(dataDir), m.id, m.card_serial, Date.now()));
  await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]');
}

async function rect(selector: string): Promise<{ top: number; bottom: number; left: number; right: number }> {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });
}

beforeAll(async () => {
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-kioskwalk-');
  dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 60, seed: 'e2e-kioskwalk' });
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dataDir, printer.allow);
  kiosk = await launchKiosk({ dataDir, printerUri: printer.uri, kiosk: { idleSeconds: 30 } });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: PORTRAIT });
  // The page's clock runs in real time until the refusal test holds it.
  await browser.clock.install();
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  await page.goto(kiosk.host.launchUrl());
  await page.waitForSelector('[data-screen="attract"]');
}, 120_000);

afterEach((ctx) => shotIfFailed(page, ctx, 'kiosk-walk'));

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  await printer?.close();
  tmp?.cleanup();
});

describe('the member kiosk walked', () => {
  it('says on the attract screen that a page closes the idle time after the last touch', async () => {
    expect(await page.textContent('.k-privacy')).toBe('您的页面仅您可见：最后一次触摸 30 秒后自动关闭，关闭前会先询问您。');
  });

  it('shows the benefits on the first portrait screen, and keeps them in the right column in landscape', async () => {
    await openRichPage();
    await page.setViewportSize(PORTRAIT);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The first benefit whole, above the sticky footer (Print my slip / Done), with no scrolling.
    const first = await rect('.k-benefit-list > li:first-child');
    const footer = await rect('.k-actions');
    expect(first.bottom).toBeLessThanOrEqual(footer.top);
    // Tier, points and what expires come first; then the benefits; the year and the badges after them.
    expect(await page.$('[data-testid="kiosk-expiring"]')).not.toBeNull();
    expect((await rect('.k-points')).bottom).toBeLessThanOrEqual((await rect('.k-benefits')).top);
    expect((await rect('.k-year')).top).toBeGreaterThan((await rect('.k-benefits')).top);
    expect((await rect('.k-badges')).top).toBeGreaterThan((await rect('.k-benefits')).top);
    await keepShot(page, 'kiosk-walk-member');

    await page.setViewportSize(LANDSCAPE);
    await page.mouse.click(3, 3);
    const tier = await rect('.k-tier');
    const points = await rect('.k-points');
    const benefits = await rect('.k-benefits');
    expect(benefits.left).toBeGreaterThanOrEqual(tier.right);
    expect(benefits.top).toBe(tier.top);
    // A long benefit list does not open gaps between the left column's panels.
    expect(points.top - tier.bottom).toBeLessThan(40);
    await keepShot(page, 'kiosk-walk-member');

    await page.setViewportSize(SMALL);
    await page.mouse.click(3, 3);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await keepShot(page, 'kiosk-walk-member');
    await page.setViewportSize(PORTRAIT);
  });

  it('says a printer known out of paper in one sentence, not a sentence in brackets', async () => {
    printer.setFault({ fault: 'paper-out' });
    try {
      // The first slip finds the paper out (and is withdrawn); the kiosk now knows, and the next tap is refused at once.
      await page.click('[data-testid="kiosk-print"]');
      await page.waitForSelector('[data-testid="kiosk-slip-state"][data-state="failed"]', { timeout: 30_000 });
      await page.click('[data-testid="kiosk-print"]');
      await expect.poll(() => page.textContent('[data-testid="kiosk-slip-state"]')).toBe('查询机现在无法打印小票：打印机缺纸。请到会员服务台咨询店员。');
      await keepShot(page, 'kiosk-walk-paper-out');
    } finally {
      printer.setFault({ fault: 'none' });
    }
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      const sentence = createTranslator(lang).error('KIOSK_PRINTER_UNAVAILABLE', { state: createTranslator(lang).t('kiosk.printer.paper-out') });
      expect(sentence).not.toMatch(/[。.][)）]/);
    }
    await page.click('[data-testid="kiosk-done"]');
    await page.waitForSelector('[data-screen="attract"]');
  });

  it("titles the kiosk's own trouble as the kiosk's, not the member's code", async () => {
    // A code HQ signed, for a member this kiosk has not synced yet.
    await scanWedgeClockHeld(page, cardCode(hqKeyOf(dataDir), 'M09999999', 1, Date.now()));
    await page.waitForSelector('[data-screen="refused"]');
    expect(await page.textContent('[data-testid="refused-title"]')).toBe(zh.t('kiosk.refused.kiosk'));
    expect(await page.textContent('[data-testid="refused-message"]')).toBe('本机暂时还查不到您的会员信息。');
    await keepShot(page, 'kiosk-walk-unknown-member');
    await page.click('[data-testid="refused-ok"]');
    // The link to the core lost.
    await page.route('**/api/kiosk.scan', (route) => route.abort());
    try {
      const m = richMember();
      await scanWedgeClockHeld(page, cardCode(hqKeyOf(dataDir), m.id, m.card_serial, Date.now()));
      await page.waitForSelector('[data-screen="refused"]');
      expect(await page.textContent('[data-testid="refused-title"]')).toBe(zh.t('kiosk.refused.kiosk'));
      expect(await page.textContent('[data-testid="refused-message"]')).toBe(zh.t('kiosk.refusal.link'));
    } finally {
      await page.unroute('**/api/kiosk.scan');
    }
    await page.click('[data-testid="refused-ok"]');
    // A plain card number is the member's code: titled as before.
    const card = kiosk.terminal.db.prepare("SELECT card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { card_no: string };
    await scanWedgeClockHeld(page, card.card_no);
    await page.waitForSelector('[data-screen="refused"]');
    expect(await page.textContent('[data-testid="refused-title"]')).toBe(zh.t('kiosk.refused.title'));
  });

  it('lets a member who reads another language switch it on a refusal, which is said again in it', async () => {
    // The card-number refusal from the last test, in zh-CN (the kiosk's language).
    await page.click('[data-testid="lang-en"]');
    const en = createTranslator('en');
    await expect.poll(() => page.textContent('[data-testid="refused-message"]')).toBe(en.t('kiosk.refusal.KIOSK_CODE_REQUIRED'));
    expect(await page.textContent('[data-testid="refused-hint"]')).toBe(en.t('kiosk.hint.KIOSK_CODE_REQUIRED'));
    expect(await page.textContent('[data-testid="refused-title"]')).toBe(en.t('kiosk.refused.title'));
    for (const vp of [PORTRAIT, LANDSCAPE, SMALL]) {
      await page.setViewportSize(vp);
      await keepShot(page, 'kiosk-walk-refused-en');
    }
    await page.setViewportSize(PORTRAIT);
  });

  it('keeps a refusal long enough for a slow reader, then goes back by itself', async () => {
    // The card-number refusal from the last test is on screen: from here the page's clock moves only when told.
    await page.click('[data-testid="refused-ok"]');
    await page.waitForSelector('[data-screen="attract"]');
    const card = kiosk.terminal.db.prepare("SELECT card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 1").get() as { card_no: string };
    await scanWedgeClockHeld(page, card.card_no);
    await page.waitForSelector('[data-screen="refused"]');
    const now = await page.evaluate(() => Date.now());
    await page.clock.pauseAt(now + 1000);
    await page.clock.runFor(12_000);
    await page.waitForTimeout(100);
    expect(await page.$('[data-screen="refused"]')).not.toBeNull();
    await page.clock.runFor(REFUSED_MS - 12_000 + 500);
    await page.waitForSelector('[data-screen="attract"]', { timeout: 2000 });
    await page.clock.resume();
  });
});

// The manager's day-end end to end: Debian's Chromium (playwright-core) against two real web hosts,
// a real HQ (src/hq on PGlite, in-process, on loopback) both terminals are enrolled with, and the
// fake printer (a real TCP server). Manager signs in → day-end → the progress bar moves → "all
// synced" → the Z-report's totals are those of the redemptions made earlier → print reaches the
// printer → the CSV matches; the same with HQ stopped; a clerk cannot open the manager area; each
// KPI chart draws a non-empty canvas beside a table with the right numbers.
import { mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_FLAGS } from './deskFolder';
import { demoPhones } from '../helpers/demoPhones';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, seedDemoAtHq } from '../../src/cli/commands/hqAdmin';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { startHq, type RunningHq } from '../../src/hq/server';
import { createTranslator } from '../../src/i18n';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { openStore } from '../../src/store/open';
import { syncOnce } from '../../src/syncClient/syncRun';
import { DEMO_STORE } from '../../src/terminal/demo/catalog';
import { enrollTerminal } from '../../src/syncClient/enroll';
import { tempDir } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { callApi, openSession } from '../host/helpers';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const ADMIN_TOKEN = 'e2e-admin-token';
const zh = createTranslator('zh-CN');

let phones: Map<string, string>;
let tmp: ReturnType<typeof tempDir>;
let hq: RunningHq | null = null;
let printer: FakePrinter;
let desk1: DeskLaunch;
let desk2: DeskLaunch;
let browser: BrowserContext;
let page: Page;

async function enrolled(name: string, hqUrl: string): Promise<string> {
  const admin = adminClient(hqUrl, ADMIN_TOKEN);
  const { code } = (await admin('POST', '/v1/admin/enrollment-codes', { storeId: DEMO_STORE.id })) as { code: string };
  const dataDir = join(tmp.dir, name);
  await enrollTerminal({ dbPath: join(dataDir, 'desk.db'), hqUrl, code });
  const { db } = openStore(join(dataDir, 'desk.db'), { create: false });
  try {
    await syncOnce(db);
  } finally {
    db.close();
  }
  return dataDir;
}

/** A clerk at the desk over the web host's API: member found by card number, phone confirmed, benefit redeemed. */
async function redeemAt(desk: DeskLaunch, cookie: string, redemptions: { benefitId: string; amountFen?: number }[], memberOffset: number): Promise<{ valueFen: number; memberId: string }[]> {
  const out: { valueFen: number; memberId: string }[] = [];
  for (const [i, r] of redemptions.entries()) {
    const m = desk.terminal.db.prepare("SELECT id, card_no FROM members WHERE status = 'active' AND tier IN ('core','premium') ORDER BY id LIMIT 1 OFFSET ?").get(memberOffset + i) as { id: string; card_no: string };
    expect((await callApi(desk.host, cookie, 'scan.submit', { code: m.card_no })).json.ok).toBe(true);
    expect((await callApi(desk.host, cookie, 'member.confirmPhone', { memberId: m.id, phone: phones.get(m.id)! })).json.ok).toBe(true);
    const done = await callApi(desk.host, cookie, 'benefit.redeem', { memberId: m.id, benefitId: r.benefitId, ...(r.amountFen ? { amountFen: r.amountFen } : {}) });
    expect(done.json, JSON.stringify(done.json)).toMatchObject({ ok: true });
    out.push({ valueFen: done.json.value.valueFen as number, memberId: m.id });
  }
  return out;
}

async function clerkSession(desk: DeskLaunch): Promise<string> {
  const cookie = await openSession(desk.host);
  expect((await callApi(desk.host, cookie, 'staff.signIn', { pin: '1234' })).json.ok).toBe(true);
  return cookie;
}

async function signInAt(desk: DeskLaunch, pin: string): Promise<void> {
  await page.goto(desk.host.launchUrl());
  await page.waitForSelector('[data-screen="sign-in"]');
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-screen="scan"]');
}

/** Every value the progress bar shows, recorded as the page draws it. */
async function watchProgress(): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __pcts: number[] }).__pcts = seen;
    const note = () => {
      const el = document.querySelector('[data-testid="dayend-progress"]');
      const v = el ? Number(el.getAttribute('data-pct')) : NaN;
      if (!Number.isNaN(v) && seen[seen.length - 1] !== v) seen.push(v);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-pct'] });
  });
}

async function csvDownload(selector: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await download.path();
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return bytes.toString('utf8').slice(1);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tmp = tempDir('ld-e2e-manager-');
  const [, started] = await Promise.all([ensureRenderer(REPO_ROOT, RENDERER_DIR), startHq({ adminToken: ADMIN_TOKEN, onError: () => undefined })]);
  hq = started;
  const seededAt = Date.now();
  await seedDemoAtHq(adminClient(hq.url, ADMIN_TOKEN), { members: 40, seed: 'e2e', now: seededAt, hqKeyFile: join(tmp.dir, 'hq-key.json') }, () => undefined);
  phones = demoPhones({ seed: 'e2e', now: seededAt, members: 40 });
  const [dir1, dir2] = [await enrolled('t1', hq.url), await enrolled('t2', hq.url)];
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  allowPrinter(dir1, printer.allow);
  allowPrinter(dir2, printer.allow);
  desk1 = await launchDesk({ dataDir: dir1, printerUri: printer.uri });
  desk2 = await launchDesk({ dataDir: dir2, printerUri: printer.uri });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await desk1?.close();
  await desk2?.close();
  await printer?.close();
  await hq?.close();
  tmp?.cleanup();
});

describe('the manager’s day-end in Chromium', () => {
  let made: { valueFen: number; memberId: string }[] = [];
  let today = '';

  it('syncs with HQ with a moving progress bar, says "all synced" and shows the day’s totals', async () => {
    const cookie = await clerkSession(desk1);
    made = await redeemAt(desk1, cookie, [{ benefitId: 'B-VOUCHER-20' }, { benefitId: 'B-THRESHOLD-100-10', amountFen: 15_000 }, { benefitId: 'B-VOUCHER-20' }], 0);
    // A busy day's outbox, so sending it to HQ takes several batches the bar can follow.
    const member = made[0]!.memberId;
    for (let i = 0; i < 450; i++) desk1.terminal.service.earn({ memberId: member, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 1_000 }] });
    // Their receipts count as printed earlier in the day: the printer is for the Z-report here.
    desk1.terminal.db.prepare("UPDATE print_jobs SET status = 'printed', printed_at = created_at WHERE kind = 'earn'").run();
    const waiting = desk1.terminal.service.pendingCount();
    expect(waiting).toBeGreaterThanOrEqual(453);

    await signInAt(desk1, '9999');
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-testid="dayend-start"]');
    await watchProgress();
    await page.click('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-confirm"]');
    await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 40_000 });
    await page.screenshot({ path: join(SHOTS, 'manager-01-dayend-synced.png'), fullPage: true });
    expect(await page.getAttribute('[data-testid="dayend-result"]', 'data-state')).toBe('synced');
    const date = await page.textContent('[data-testid="z-date"]');
    today = date ?? '';
    expect(await page.textContent('[data-testid="dayend-result"]')).toBe(zh.t('manager.dayEnd.allSynced', { date, number: 1 }));
    const pcts = (await page.evaluate(() => (window as unknown as { __pcts: number[] }).__pcts)) as number[];
    expect(pcts.at(-1)).toBe(100);
    expect(pcts.some((p) => p > 5 && p < 90), `progress seen: ${pcts.join(',')}`).toBe(true);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(await page.textContent('[data-testid="dayend-pushed"]')).toBe(zh.t('manager.dayEnd.pushed', { pushed: waiting, toPush: waiting }));

    const total = made.reduce((s, r) => s + r.valueFen, 0);
    expect(total).toBe(2_000 + 1_000 + 2_000);
    expect(await page.textContent('[data-testid="z-count"]')).toBe('3');
    expect(await page.textContent('[data-testid="z-value"]')).toBe('¥50.00');
    expect(await page.getAttribute('[data-testid="z-synced"]', 'data-synced')).toBe('true');
    expect(await page.textContent('[data-testid="z-pending"]')).toBe(zh.t('ui.status.pending', { n: '0' }));
    expect(desk1.terminal.service.pendingCount()).toBe(0);
  }, 60_000);

  it('prints the Z-report on the receipt printer and downloads a CSV that matches it', async () => {
    const isZ = (r: { lines: string[] }) => r.lines.some((l) => l.includes(zh.t('zreport.title')));
    const before = printer.receipts.filter(isZ).length;
    await page.click('[data-testid="z-print"]');
    await page.waitForSelector('[data-testid="z-note"]');
    await expect.poll(() => printer.receipts.filter(isZ).length).toBe(before + 1);
    const paper = printer.receipts.filter(isZ).at(-1)!.lines.join('\n');
    expect(paper).toContain(zh.t('zreport.title'));
    expect(paper).toMatch(/笔数 +3\n/);
    expect(paper).toMatch(/价值 +￥50\.00\n/);
    expect(paper).toMatch(/已与总部同步 +是\n/);

    const csv = await csvDownload('[data-testid="z-csv"]');
    const rows = csv.trimEnd().split('\r\n').map((l) => l.split(','));
    const row = (section: string, item: string) => rows.find((r) => r[0] === section && r[1] === item)?.slice(3, 6);
    expect(row('核销', '合计')).toEqual(['3', '5000', '50.00']);
    expect(row('核销', '代金券')).toEqual(['2', '4000', '40.00']);
    expect(row('核销', zh.t('benefitType.threshold_coupon'))).toEqual(['1', '1000', '10.00']);
    expect(row('日结报表', '已与总部同步')?.[0]).toBe('1');
    expect(row('积分', '发放')?.[0]).toBe('4500');
  });

  it('draws each KPI chart as a non-empty SVG beside a table with the right numbers', async () => {
    await page.click('[data-testid="tab-kpis"]');
    await page.waitForSelector('[data-testid="kpis"]');
    for (const chart of ['redemptionsPerDay', 'byTier', 'usageRate', 'pointsPerWeek', 'winBack']) {
      // SVG, not canvas (the CSP allows no inline styles: docs/ui.md): drawn shapes with a size.
      const painted = await page.$eval(`[data-testid="chart-${chart}"] svg`, (svg) => {
        const box = svg.getBoundingClientRect();
        return { shapes: svg.querySelectorAll('path, rect, text').length, w: box.width, h: box.height };
      });
      expect(painted.w * painted.h, chart).toBeGreaterThan(0);
      expect(painted.shapes, chart).toBeGreaterThan(10);
    }
    await page.screenshot({ path: join(SHOTS, 'manager-02-kpis.png'), fullPage: true });
    const table = (chart: string) =>
      page.$$eval(`[data-testid="kpi-table-${chart}"] tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const perDay = await table('redemptionsPerDay');
    expect(perDay).toHaveLength(30);
    expect(perDay.at(-1)!.slice(1)).toEqual(['3', '50.00']);
    expect(perDay.at(-1)![0]).toBe(today);
    // By the tier each member held when redeeming (the redemption records it), one count per redemption.
    const tiers = desk1.terminal.db
      .prepare(`SELECT json_extract(detail_json, '$.tier') AS tier, count(*) AS n FROM operations WHERE kind = 'redeem' AND business_date = ? GROUP BY 1`)
      .all(today) as { tier: 'core' | 'premium'; n: number }[];
    expect(tiers.every((t) => t.tier !== null)).toBe(true);
    const byTier = await table('byTier');
    for (const t of tiers) expect(byTier.find((r) => r[0] === zh.tier(t.tier))?.[1]).toBe(String(t.n));
    expect(byTier.reduce((s, r) => s + Number(r[1]), 0)).toBe(3);
    const usage = await table('usageRate');
    expect(usage.find((r) => r[0] === zh.t('benefitType.voucher'))?.[2]).toBe('2');
    expect(usage.find((r) => r[0] === zh.t('benefitType.threshold_coupon'))?.[2]).toBe('1');
    const weeks = await table('pointsPerWeek');
    expect(weeks.at(-1)![1]).toBe('4500');
    const winBack = await table('winBack');
    expect(winBack).toHaveLength(30);
    expect(winBack.reduce((s, r) => s + Number(r[1]), 0)).toBe(0);
    const kpiCsv = await csvDownload('[data-testid="kpi-csv-redemptionsPerDay"]');
    expect(kpiCsv.trimEnd().split('\r\n').at(-1)!.split(',').slice(1)).toEqual(['3', '50.00']);
  });

  it('with HQ stopped closes the day locally and says it is not synced and how many events wait', async () => {
    const cookie = await clerkSession(desk2);
    await redeemAt(desk2, cookie, [{ benefitId: 'B-VOUCHER-20' }, { benefitId: 'B-VOUCHER-20' }], 5);
    await hq!.close();
    hq = null;
    await signInAt(desk2, '9999');
    await page.click('[data-testid="nav-manager"]');
    await page.click('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-confirm"]');
    await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 30_000 });
    await page.screenshot({ path: join(SHOTS, 'manager-03-dayend-local.png'), fullPage: true });
    expect(await page.getAttribute('[data-testid="dayend-result"]', 'data-state')).toBe('local');
    expect(await page.getAttribute('[data-testid="dayend-result"]', 'data-waiting')).toBe('2');
    expect(await page.textContent('[data-testid="dayend-result"]')).toContain(zh.t('manager.dayEnd.notSynced', { waiting: 2 }));
    expect(await page.getAttribute('[data-testid="z-synced"]', 'data-synced')).toBe('false');
    expect(await page.textContent('[data-testid="z-pending"]')).toBe(zh.t('ui.status.pending', { n: '2' }));
    expect(await page.textContent('[data-testid="z-count"]')).toBe('2');
    expect(desk2.terminal.db.prepare('SELECT count(*) AS n FROM business_days WHERE synced = 0').get()).toEqual({ n: 1 });
  }, 40_000);

  it('does not open the manager area for a clerk, in the UI or through the API', async () => {
    await page.click('[data-testid="manager-back"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await page.keyboard.type('2345');
    await page.keyboard.press('Enter');
    // Another clerk's PIN is no approval: refused as a wrong PIN (issue 18), the clerk still signed in.
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(zh.error('MANAGER_PIN_WRONG', { left: 4 }));
    expect(await page.textContent('[data-testid="signed-in"]')).toContain('王芳');
    expect(await page.$('[data-screen="manager"]')).toBeNull();
    expect(await page.$('[data-testid="dayend-start"]')).toBeNull();
    await page.screenshot({ path: join(SHOTS, 'manager-04-clerk-refused.png'), fullPage: true });
    const cookie = await clerkSession(desk2);
    for (const method of ['manager.dayEnd', 'manager.zReport', 'manager.kpis', 'manager.staff.list', 'manager.settings.get']) {
      const r = await callApi(desk2.host, cookie, method, {});
      expect(r.json, method).toMatchObject({ ok: false, error: { code: 'NOT_MANAGER' } });
    }
  });
});

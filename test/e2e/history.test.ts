// 历史 at the desk end to end (issue 17 items 5 and 6): Debian's Chromium against the real web host,
// over the demo data folder (no HQ), and over a terminal enrolled with a real HQ on loopback. One tap from the member card opens the member's history: this
// terminal's operations, newest first, with date, kind, points, amount and store, and the offline
// line; a purchase of an earlier day offers 退货 (the second tap opens its return form), today's
// does not (a same-day purchase is voided, not returned). zh-CN, zh-TW and en; touch and keyboard;
// laid out at 1280×800 and 1024×768; axe-core finds no serious or critical violation. With HQ, another
// store's purchase is in the list, named by its store and without 退货 (returned where it was bought).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import { DAY_MS } from '../../src/loyalty/time';
import { launchDesk } from '../../src/host/launch';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { syncOnce } from '../../src/syncClient/syncRun';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { tempDir } from '../helpers/demoDb';
import { enrollNew, openAt, seedHq, startTestHq } from '../hq/harness';
import { CHROMIUM_FLAGS } from './deskFolder';
import { layoutProblems } from './layoutCheck';
import { presentMember, signIn, SHOTS, startWalk, type Walk } from './deskWalk';
import { scanWedge } from '../../src/bench/wedgeScanner';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const zh = createTranslator('zh-CN');
let walk: Walk;
let member: { id: string; card_serial: number };
let older: string;
let today: string;

async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(() => document.fonts.ready);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

beforeAll(async () => {
  walk = await startWalk('history', { members: 100 });
  // Two purchases of the member at this terminal: one three days ago (another clock over the same file), one now.
  const dbPath = join(walk.desk.prepared.dir, 'desk.db');
  const earlier = openTerminal(dbPath, { clock: () => Date.now() - 3 * DAY_MS });
  try {
    member = earlier.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 7").get() as never;
    older = earlier.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 26_800 }] }).opId;
  } finally {
    earlier.close();
  }
  today = walk.desk.terminal.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 4_500 }] }).opId;
}, 120_000);
afterAll(async () => walk?.close());

describe('the member history at the desk in Chromium', () => {
  it('opens in one tap from the member card, lists this terminal with the offline line, and 退货 is the second tap', async () => {
    const { page } = walk;
    await signIn(walk, '1234');
    await presentMember(walk, member);
    await page.click('[data-testid="go-history"]');
    await page.waitForSelector('[data-screen="history"] [data-testid="history-list"]');
    const source = page.locator('[data-testid="history-source"]');
    expect(await source.getAttribute('data-source')).toBe('terminal-only');
    expect((await source.textContent())?.trim()).toBe(zh.t('ui.history.offline.no-hq'));
    // Newest first: today's purchase, then the one of three days ago.
    const rows = await page.locator('[data-testid^="history-"][data-here]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.testid));
    expect(rows.indexOf(`history-${today}`)).toBeLessThan(rows.indexOf(`history-${older}`));
    const olderRow = page.locator(`[data-testid="history-${older}"]`);
    const text = (await olderRow.textContent()) ?? '';
    for (const part of ['¥268.00', '+268', zh.t('opKind.earn'), zh.t('ui.history.thisTerminal'), zh.t('ui.history.notSynced')]) expect(text).toContain(part);
    expect(await page.locator(`[data-testid="history-${today}"] [data-testid="history-return"]`).count()).toBe(0);
    expect(await layoutProblems(page)).toEqual([]);
    await walk.shot('history-1280');
    expect(await seriousViolations(page)).toEqual([]);

    await olderRow.locator('[data-testid="history-return"]').click();
    await page.waitForSelector('[data-screen="return-form"]');
    // Back goes to the history it came from, then to the card.
    await page.goBack();
    await page.waitForSelector('[data-screen="history"]');
    await page.click('[data-testid="history-back"]');
    await page.waitForSelector('[data-screen="member"]');
  });

  it('works from the keyboard and words it in zh-TW and en', async () => {
    const { page } = walk;
    await page.focus('[data-testid="go-history"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="history"] [data-testid="history-list"]');
    await page.focus(`[data-testid="history-${older}"] [data-testid="history-return"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="return-form"]');
    await page.goBack();
    await page.waitForSelector('[data-screen="history"]');
    for (const lang of ['zh-TW', 'en'] as const) {
      await page.selectOption('[data-testid="lang"]', lang);
      const tr = createTranslator(lang);
      await page.waitForFunction((want) => document.querySelector('[data-testid="history-source"]')?.textContent?.trim() === want, tr.t('ui.history.offline.no-hq'));
      expect((await page.locator('h1').textContent())?.trim()).toBe(tr.t('ui.history.title'));
      expect(await page.locator(`[data-testid="history-${older}"] [data-testid="history-return"]`).textContent()).toBe(tr.t('ui.history.returnIt'));
    }
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
  });

  it('fits 1024×768 with nothing cut, and axe still finds nothing serious', async () => {
    const { page } = walk;
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForSelector('[data-screen="history"] [data-testid="history-list"]');
    expect(await layoutProblems(page)).toEqual([]);
    await walk.shot('history-1024');
    expect(await seriousViolations(page)).toEqual([]);
    await page.click('[data-testid="history-back"]');
    await page.waitForSelector('[data-screen="member"]');
    // The card's actions, 历史 among them, still fit.
    expect(await layoutProblems(page)).toEqual([]);
  });
});

describe('the member history with HQ in Chromium', () => {
  it("shows another store's purchase from HQ beside this terminal's, says it is returned where it was bought, and fits both sizes", async () => {
    const tmp = tempDir('ld-e2e-history-hq-');
    const hq = await startTestHq('pglite');
    // HQ's clock is the real one here: the desk below runs on it.
    hq.setClock(Date.now());
    try {
      await seedHq(hq, tmp.dir);
      const m = 'M00000012';
      const clock = { now: Date.now() };
      const beijing = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'bj', 'BJ001'), clock, true);
      let there: string;
      try {
        await syncOnce(beijing.db);
        there = beijing.service.earn({ memberId: m, staffId: 'bj-mgr-01', lines: [{ category: 'apparel', amountFen: 15_600 }] }).opId;
        await syncOnce(beijing.db);
      } finally {
        beijing.close();
      }
      const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'sh');
      const shanghai = openAt(dbPath, clock, true);
      let serial: number;
      let here: string;
      try {
        await syncOnce(shanghai.db);
        here = shanghai.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 3_300 }] }).opId;
        serial = (shanghai.db.prepare('SELECT card_serial FROM members WHERE id = ?').get(m) as { card_serial: number }).card_serial;
      } finally {
        shanghai.close();
      }
      const desk = await launchDesk({ dataDir: join(tmp.dir, 'sh'), demo: false, printerUri: null });
      const browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 800 } });
      try {
        const page = browser.pages()[0] ?? (await browser.newPage());
        page.setDefaultTimeout(10_000);
        await page.goto(desk.host.launchUrl());
        await page.waitForSelector('[data-screen="sign-in"]');
        await page.keyboard.type('1234');
        await page.keyboard.press('Enter');
        await page.waitForSelector('[data-screen="scan"]');
        const key = privateJwkSchema.parse(JSON.parse(readFileSync(join(tmp.dir, 'hq-key.jwk.json'), 'utf8')));
        await scanWedge(page, mintCardCode(key, { mid: m, cs: serial, iat: Math.floor(Date.now() / 1000) - 60 }));
        await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
        await page.click('[data-testid="go-history"]');
        await page.waitForSelector('[data-screen="history"] [data-testid="history-list"]');
        expect(await page.locator('[data-testid="history-source"]').getAttribute('data-source')).toBe('with-hq');
        expect((await page.locator('[data-testid="history-source"]').textContent())?.trim()).toBe(zh.t('ui.history.withHq', { days: 90 }));
        expect(await page.locator(`[data-testid="history-${here}"]`).getAttribute('data-here')).toBe('true');
        expect((await page.locator(`[data-testid="history-${here}"] [data-testid="history-store"]`).textContent())?.trim()).toBe(zh.t('ui.history.thisTerminal'));
        const row = page.locator(`[data-testid="history-${there}"]`);
        expect(await row.getAttribute('data-here')).toBe('false');
        expect((await row.locator('[data-testid="history-store"]').textContent())?.trim()).toBe(zh.t('ui.history.otherStore', { store: 'BJ001' }));
        expect((await row.textContent()) ?? '').toContain('¥156.00');
        expect(await row.locator('[data-testid="history-return"]').count()).toBe(0);
        expect((await row.locator('[data-testid="history-return-elsewhere"]').textContent())?.trim()).toBe(zh.t('ui.history.returnElsewhere'));
        for (const size of [{ width: 1280, height: 800 }, { width: 1024, height: 768 }]) {
          await page.setViewportSize(size);
          expect(await layoutProblems(page), `${size.width}×${size.height}`).toEqual([]);
          await page.screenshot({ path: join(SHOTS, `history-hq-${size.width}.png`), fullPage: true });
        }
        expect(await seriousViolations(page)).toEqual([]);
      } finally {
        await browser.close();
        await desk.close();
      }
    } finally {
      await hq.stop();
      tmp.cleanup();
    }
  }, 120_000);
});

// What a clerk on a first day tripped on, walked in Chromium against the real web host (zh-CN, no
// printer): a confirmation dialog takes focus when it opens — the exchange's and the donation's
// confirm on Enter as a redemption and an earn do, and the day-end's holds focus itself so Enter and
// Tab do not reach the screen under the backdrop, and closes on Escape as every other one does; 今日业务 says its points with their unit, so an
// earn's "+30,000" is not read as the ¥30,000 bought. Screenshots: test-output/e2e/firstday-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import { presentMember, signIn, startWalk, type Walk } from './deskWalk';
import { layoutProblems } from './layoutCheck';

const zh = createTranslator('zh-CN');
type Member = { id: string; card_serial: number };
let walk: Walk;
let member: Member;

beforeAll(async () => {
  walk = await startWalk('firstday', { viewport: { width: 1024, height: 768 } });
  member = walk.desk.terminal.db
    .prepare(
      "SELECT m.id, m.card_serial, (SELECT coalesce(sum(remaining), 0) FROM point_lots WHERE member_id = m.id) AS balance FROM members m WHERE status = 'active' ORDER BY balance DESC LIMIT 1",
    )
    .get() as Member;
  await signIn(walk, '1234'); // 王芳, a clerk
}, 120_000);
afterAll(async () => walk?.close());

const db = () => walk.desk.terminal.db;
/** Whether focus is inside the element `selector` finds (the element itself included). */
const focusIn = (selector: string) => walk.page.evaluate((s) => document.querySelector(s)?.contains(document.activeElement) ?? false, selector);
const count = (kind: string) => (db().prepare('SELECT count(*) AS n FROM operations WHERE member_id = ? AND kind = ?').get(member.id, kind) as { n: number }).n;

describe('a clerk’s first day, in Chromium', () => {
  it('the exchange and donation confirmations take focus and confirm on Enter', async () => {
    const { page } = walk;
    await presentMember(walk, member);
    await page.click('[data-testid="go-exchange"]');
    await page.locator('[data-screen="catalog"] li:not(.refused) button').first().click();
    await page.waitForSelector('[data-testid="exchange-dialog"]');
    await expect.poll(() => focusIn('[data-testid="exchange-dialog"]')).toBe(true);
    await walk.shot('firstday-exchange-dialog');
    expect(await layoutProblems(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="receipt"]');
    expect(count('exchange')).toBe(1);

    await presentMember(walk, member);
    await page.click('[data-testid="go-donate"]');
    await page.fill('[data-testid="donate-points"]', '100');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="donate-dialog"]');
    await expect.poll(() => focusIn('[data-testid="donate-dialog"]')).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="receipt"]');
    expect(count('donate')).toBe(1);
  });

  it('今日业务 says each row’s points with their unit', async () => {
    const { page } = walk;
    await presentMember(walk, member);
    await page.click('[data-testid="go-earn"]');
    await page.fill('[data-testid="earn-amount"]', '300');
    await page.click('[data-testid="earn-submit"]');
    await page.click('[data-testid="confirm-earn"]');
    await page.waitForSelector('[data-screen="receipt"]');
    await page.click('[data-testid="nav-ops"]');
    const rows = db().prepare("SELECT id, points FROM operations WHERE member_id = ? AND kind IN ('earn', 'exchange', 'donate')").all(member.id) as { id: string; points: number }[];
    expect(rows).toHaveLength(3);
    for (const op of rows) {
      const what = (await page.textContent(`[data-testid="op-${op.id}"] .op-what`))!;
      const signed = `${op.points > 0 ? '+' : ''}${op.points.toLocaleString('en-US')}`;
      expect(what.split(' · ').at(-1), op.id).toBe(zh.t('ui.common.points', { points: signed }));
    }
    await walk.shot('firstday-ops');
  });

  it('the day-end confirmation holds focus, Tab never leaves it for the screen behind, and Escape cancels it', async () => {
    const { page } = walk;
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await page.keyboard.type('9999'); // 李娜 approves the manager area
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="approved-by"]');
    await page.click('[data-testid="dayend-start"]');
    await page.waitForSelector('[data-testid="dayend-confirm-dialog"]');
    await expect.poll(() => focusIn('[data-testid="dayend-confirm-dialog"]')).toBe(true);
    // Tab and Shift+Tab go round the dialog's own buttons (and out of the page, as a browser does at the
    // end of its tab order), never to the screen behind: it is inert while the dialog is open.
    const behind = () =>
      page.evaluate(() => {
        const at = document.activeElement;
        const dialog = document.querySelector('[data-testid="dayend-confirm-dialog"]');
        return at && at !== document.body && !dialog?.contains(at) ? (at.getAttribute('data-testid') ?? at.outerHTML.slice(0, 80)) : null;
      });
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press(i % 6 === 5 ? 'Shift+Tab' : 'Tab');
      expect(await behind(), `after key ${i + 1}`).toBeNull();
    }
    expect(await page.locator('.topbar button').first().evaluate((b) => b.closest('[inert]') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="dayend-confirm-dialog"]', { state: 'detached' });
    // …and the screen behind is given back.
    expect(await page.locator('[inert]').count()).toBe(0);
    expect(db().prepare('SELECT count(*) AS n FROM business_days').get()).toEqual({ n: 0 });
  });
});

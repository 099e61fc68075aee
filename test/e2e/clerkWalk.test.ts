// What a new clerk tripped on at the desk, walked in Chromium against the real web host (zh-CN, at
// 1280×800 with the changed screens also at 1024×768): 返回会员 after a void goes back to the voided
// operation's member only; the void dialog says what it undoes by kind and whose; Escape closes the
// exchange, earn, donate and void dialogs and focus returns to the button that opened them; a member
// found by phone number shows 需出示会员码 on 核销 / 兑换 / 捐赠 (disabled) while earning stays open, and
// a scan of their code opens them; an error on screen follows a switch of language; a second scan of
// the member starts their card afresh; 今日业务 labels a row of another business day and offers no 撤销
// on it. Screenshots: test-output/e2e/clerk-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import { presentMember, signIn, startWalk, type Walk } from './deskWalk';
import { seriousViolations } from './axeCheck';
import { layoutProblems } from './layoutCheck';
import { smallTargets } from './touchTargets';

const zh = createTranslator('zh-CN');
const en = createTranslator('en');
type Member = { id: string; card_serial: number; card_no: string };
let walk: Walk;
let a: Member;
let b: Member;

beforeAll(async () => {
  walk = await startWalk('clerk', { printer: true });
  const rows = walk.desk.terminal.db
    .prepare(
      "SELECT m.id, m.card_serial, m.card_no, (SELECT coalesce(sum(remaining), 0) FROM point_lots WHERE member_id = m.id) AS balance FROM members m WHERE status = 'active' ORDER BY balance DESC LIMIT 3",
    )
    .all() as Member[];
  [a, b] = [rows[0]!, rows[1]!];
  await signIn(walk, '1234'); // 王芳, a clerk
}, 120_000);
afterAll(async () => walk?.close());

const focusedTestId = () => walk.page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
const db = () => walk.desk.terminal.db;

/**
 * Both window sizes for a screen that changed: a screenshot each, nothing outside the window or cut,
 * every target 44 px at least, and axe finding nothing serious.
 */
async function atBoth(name: string): Promise<void> {
  for (const viewport of [{ width: 1024, height: 768 }, { width: 1280, height: 800 }]) {
    await walk.page.setViewportSize(viewport);
    await walk.shot(`clerk-${name}`);
    expect(await layoutProblems(walk.page)).toEqual([]);
    expect(await smallTargets(walk.page, name)).toEqual([]);
  }
  expect(await seriousViolations(walk.page, name)).toEqual([]);
}

async function earn(member: Member, yuan: string): Promise<string> {
  const { page } = walk;
  await presentMember(walk, member);
  await page.click('[data-testid="go-earn"]');
  await page.fill('[data-testid="earn-amount"]', yuan);
  await page.click('[data-testid="earn-submit"]');
  // This desk has the fake printer: the confirmation may promise the receipt (deskFlow.test.ts: none).
  await expect.poll(() => page.textContent('[data-testid="confirm-earn"]')).toBe(zh.t('ui.confirmAct.earn.print'));
  expect(await page.locator('[data-testid="earn-dialog"] [data-testid="receipt-when"]').count()).toBe(0);
  await page.click('[data-testid="confirm-earn"]');
  await page.waitForSelector('[data-screen="receipt"]');
  return (db().prepare("SELECT id FROM operations WHERE member_id = ? AND kind = 'earn' ORDER BY at DESC LIMIT 1").get(member.id) as { id: string }).id;
}

async function voidFromOps(opId: string): Promise<void> {
  const { page } = walk;
  await page.click('[data-testid="nav-ops"]');
  await page.click(`[data-testid="op-${opId}"] [data-testid="op-void"]`);
  await page.waitForSelector('[data-testid="void-dialog"]');
  await page.keyboard.type('9999'); // 李娜, the manager, on the dialog's pad
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-screen="receipt"]');
}

describe('a new clerk at the desk, in Chromium', () => {
  it('the void dialog says what is voided by kind and whose; Escape closes it and focus returns to 撤销', async () => {
    const { page } = walk;
    const earnOp = await earn(a, '120');
    await presentMember(walk, a);
    await page.click('[data-testid="go-donate"]');
    await page.fill('[data-testid="donate-points"]', '100');
    await page.click('[data-testid="donate-submit"]');
    await page.click('[data-testid="confirm-donate"]');
    await page.waitForSelector('[data-screen="receipt"]');
    const donateOp = (db().prepare("SELECT id FROM operations WHERE member_id = ? AND kind = 'donate'").get(a.id) as { id: string }).id;
    const earned = (db().prepare('SELECT points FROM operations WHERE id = ?').get(earnOp) as { points: number }).points;

    await page.click('[data-testid="nav-ops"]');
    const masked = (await page.textContent(`[data-testid="op-${earnOp}"] .op-what`))!.split(' · ')[0]!;
    for (const [opId, says] of [
      [earnOp, zh.t('ui.ops.voidSays.earn', { member: masked, points: earned.toLocaleString('en-US') })],
      [donateOp, zh.t('ui.ops.voidSays.donate', { member: masked, points: '100' })],
    ] as const) {
      await page.click(`[data-testid="op-${opId}"] [data-testid="op-void"]`);
      await page.waitForSelector('[data-testid="void-dialog"]');
      expect(await page.textContent('[data-testid="void-says"]')).toBe(says);
      if (opId === earnOp) await atBoth('void-dialog');
      // A digit typed and Escape: the pad clears first; the second Escape closes the dialog.
      await page.keyboard.type('9');
      await page.keyboard.press('Escape');
      expect(await page.locator('[data-testid="void-dialog"]').count()).toBe(1);
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="void-dialog"]', { state: 'detached' });
      await expect.poll(() => page.evaluate((id) => document.activeElement === document.querySelector(`[data-testid="op-${id}"] [data-testid="op-void"]`), opId)).toBe(true);
    }
    expect(db().prepare("SELECT count(*) AS n FROM operations WHERE kind = 'void'").get()).toEqual({ n: 0 });
  });

  it('returns to the voided operation’s member only: not to another member open at the desk', async () => {
    const { page } = walk;
    const earnA = (db().prepare("SELECT id FROM operations WHERE member_id = ? AND kind = 'earn'").get(a.id) as { id: string }).id;
    const earnB = await earn(b, '80');
    // B is open at the desk; A's earn is voided from 今日业务.
    await presentMember(walk, b);
    await voidFromOps(earnA);
    expect(await page.locator('[data-testid="back-to-member"]').count()).toBe(0);
    await walk.shot('clerk-void-other-member');
    // B's own earn voided while B is open: back to B.
    await presentMember(walk, b);
    await voidFromOps(earnB);
    await page.click('[data-testid="back-to-member"]');
    await page.waitForSelector('[data-screen="member"]');
    expect(await page.textContent('[data-testid="member-card"] .sub')).toContain(b.card_no);
    // A voided row offers no 撤销 (the core would refuse it).
    await page.click('[data-testid="nav-ops"]');
    await page.waitForSelector(`[data-testid="op-${earnA}"]`);
    expect(await page.locator(`[data-testid="op-${earnA}"] [data-testid="op-void"]`).count()).toBe(0);
  });

  it('Escape closes the earn, donate and exchange dialogs, and focus returns to the button that opened each', async () => {
    const { page } = walk;
    await presentMember(walk, a);
    await page.click('[data-testid="go-earn"]');
    // The form names the member it acts on.
    expect(await page.textContent('[data-testid="form-member"]')).toContain(a.card_no);
    await page.fill('[data-testid="earn-amount"]', '50');
    await page.click('[data-testid="earn-submit"]');
    await page.waitForSelector('[data-testid="earn-dialog"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="earn-dialog"]', { state: 'detached' });
    await expect.poll(focusedTestId).toBe('earn-submit');

    await page.click('[data-testid="nav-next"]');
    await presentMember(walk, a);
    await page.click('[data-testid="go-donate"]');
    expect(await page.textContent('[data-testid="form-member"]')).toContain(a.card_no);
    await atBoth('donate-form');
    await page.fill('[data-testid="donate-points"]', '500');
    await page.click('[data-testid="donate-submit"]');
    await page.waitForSelector('[data-testid="donate-dialog"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="donate-dialog"]', { state: 'detached' });
    await expect.poll(focusedTestId).toBe('donate-submit');

    await page.click('[data-testid="nav-next"]');
    await presentMember(walk, a);
    await page.click('[data-testid="go-exchange"]');
    const item = page.locator('[data-screen="catalog"] .catalog-item button:not([disabled])').first();
    await item.click();
    await page.waitForSelector('[data-testid="exchange-dialog"]');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="exchange-dialog"]', { state: 'detached' });
    await expect.poll(() => item.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(db().prepare("SELECT count(*) AS n FROM operations WHERE kind = 'exchange'").get()).toEqual({ n: 0 });
  });

  it('a member found by phone number: 需出示会员码 on 核销, 兑换 and 捐赠 (disabled), earning open; their code opens them', async () => {
    const { page } = walk;
    await page.click('[data-testid="nav-next"]');
    await page.fill('[data-testid="card-input"]', walk.phones.get(a.id)!);
    await page.click('[data-testid="card-submit"]');
    await page.waitForSelector('[data-screen="member"] [data-testid="needs-code"]');
    for (const go of ['go-exchange', 'go-donate']) {
      expect(await page.locator(`[data-testid="${go}"]`).isDisabled()).toBe(true);
      expect(await page.textContent(`[data-testid="${go}"]`)).toContain('需出示会员码');
    }
    const redeem = page.locator('[data-testid="redeem"]');
    for (let i = 0; i < (await redeem.count()); i++) {
      expect(await redeem.nth(i).isDisabled()).toBe(true);
      expect(await redeem.nth(i).textContent()).toContain('需出示会员码');
    }
    expect(await page.locator('[data-testid="go-earn"]').isDisabled()).toBe(false);
    // Found by phone: verified by the code alone, no phone check offered.
    expect(await page.locator('[data-testid="needs-code-phone"]').count()).toBe(0);
    await atBoth('needs-code');
    // 扫描会员码 keeps the card and listens (deskFlow.test.ts walks it): the member's code verifies in place.
    await page.click('[data-testid="needs-code-scan"]');
    await page.waitForSelector('[data-screen="member"] [data-testid="needs-code-scanning"]');
    await atBoth('needs-code-scanning');
    await presentMember(walk, a);
    expect(await page.locator('[data-testid="needs-code"]').count()).toBe(0);
    expect(await page.locator('[data-testid="go-donate"]').isDisabled()).toBe(false);
  });

  it('an error on screen follows a switch of language', async () => {
    const { page } = walk;
    await page.click('[data-testid="nav-next"]');
    await page.fill('[data-testid="card-input"]', '8870999999999999');
    await page.click('[data-testid="card-submit"]');
    await page.waitForSelector('[data-screen="scan"] [data-testid="error"]');
    // The core's refusal of an unknown card number (its sentence names the number).
    const r = { error: { code: 'UNKNOWN_MEMBER', params: { ref: '8870999999999999' } } };
    expect(await page.textContent('[data-screen="scan"] [data-testid="error"]')).toBe(zh.error(r.error.code, r.error.params));
    await page.selectOption('[data-testid="lang"]', 'en');
    await expect.poll(() => page.textContent('[data-screen="scan"] [data-testid="error"]')).toBe(en.error(r.error.code, r.error.params));
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    await expect.poll(() => page.textContent('[data-screen="scan"] [data-testid="error"]')).toBe(zh.error(r.error.code, r.error.params));
  });

  it('a second scan starts the member card afresh: the dialog opened for the first scan is gone', async () => {
    const { page } = walk;
    await presentMember(walk, a);
    await page.click('[data-testid="go-replace-card"]');
    await page.waitForSelector('[role="dialog"]');
    await presentMember(walk, a);
    await expect.poll(() => page.locator('[role="dialog"]').count()).toBe(0);
    await presentMember(walk, b);
    expect(await page.textContent('[data-testid="member-card"] .sub')).toContain(b.card_no);
  });

  it('今日业务 labels a row of another business day with its date and offers no 撤销 on it', async () => {
    const { page } = walk;
    const op = db().prepare("SELECT id, business_date AS d FROM operations WHERE member_id = ? AND kind = 'donate'").get(a.id) as { id: string; d: string };
    const before = new Date(Date.parse(`${op.d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    // As after a day-end (or past midnight): the operation belongs to the day before today's.
    db().prepare('UPDATE operations SET business_date = ? WHERE id = ?').run(before, op.id);
    await page.click('[data-testid="nav-next"]');
    await page.click('[data-testid="nav-ops"]');
    await page.waitForSelector(`[data-testid="op-${op.id}"]`);
    expect(await page.textContent(`[data-testid="op-${op.id}"] [data-testid="op-business-date"]`)).toBe(zh.t('ui.ops.businessDate', { date: before }));
    expect(await page.locator(`[data-testid="op-${op.id}"] [data-testid="op-void"]`).count()).toBe(0);
    // Today's rows carry no date label.
    expect(await page.locator('[data-testid="op-business-date"]').count()).toBe(1);
    await atBoth('ops-other-day');
  });
});

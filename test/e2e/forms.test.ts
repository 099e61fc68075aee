// The desk's forms tell a clerk what is wrong in the clerk's language (issue 18 items 1 and 10),
// in Chromium against the real web host: the earn form and the redeem amount with generated bad
// amounts in zh-CN and zh-TW (never a schema path, zod's words or English inside Chinese; a
// too-large amount says it is too large and gives the limit), the member card's earn button worded
// as earning, and the donate form showing the balance, saying "-200" must be positive and refusing
// more than the balance before any confirmation, with grouped numbers. Nothing is written by a
// refusal. Screenshots: test-output/e2e/forms-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { createTranslator } from '../../src/i18n';
import type { Lang } from '../../src/loyalty/types';
import { sentenceProblems } from '../helpers/sentence';
import { snapshot } from '../helpers/snapshot';
import { presentMember, signIn, startWalk, type Walk } from './deskWalk';

const MOVING = ['print_jobs', 'lockouts'];
let walk: Walk;
let member: { id: string; card_serial: number; balance: number };

beforeAll(async () => {
  walk = await startWalk('forms');
  member = walk.desk.terminal.db
    .prepare(
      "SELECT m.id, m.card_serial, (SELECT coalesce(sum(remaining), 0) FROM point_lots WHERE member_id = m.id) AS balance FROM members m WHERE status = 'active' ORDER BY balance DESC LIMIT 1",
    )
    .get() as never;
}, 120_000);
afterAll(async () => walk?.close());

const errorText = (screen: string) => walk.page.textContent(`[data-screen="${screen}"] [data-testid="error"]`);

/** Typed amounts a clerk gets wrong, generated: signs, decimals, letters, full-width digits, too large. */
function badAmounts(seed: number): string[] {
  const rand = mulberry32(seed);
  const out = ['-5', '0', '0.00', '12.345', 'abc', '１２', '1e3', '99999999', '258,00', ''];
  for (let i = 0; i < 6; i++) out.push(`${rand() < 0.5 ? '-' : ''}${Math.floor(rand() * 1e6)}${rand() < 0.5 ? `.${Math.floor(rand() * 1000)}` : ''}${rand() < 0.3 ? 'x' : ''}`);
  return out;
}

describe('forms in Chromium', () => {
  it.each(['zh-CN', 'zh-TW'] as const)('the earn form words every bad amount in %s, and nothing is written', async (lang: Lang) => {
    const { page } = walk;
    await signIn(walk, '1234');
    await page.selectOption('[data-testid="lang"]', lang);
    await presentMember(walk, member);
    await page.click('[data-testid="go-earn"]');
    await page.waitForSelector('[data-screen="earn"]');
    const before = snapshot(walk.desk.terminal.db, MOVING);
    const bad: string[] = [];
    for (const amount of badAmounts(lang === 'zh-CN' ? 18 : 19)) {
      await page.fill('[data-testid="earn-amount"]', amount);
      await page.click('[data-testid="earn-submit"]');
      // Every bad amount is refused under the form: most by the form itself, a large one by the core.
      await page.waitForFunction(() => !(document.querySelector('[data-testid="earn-submit"]') as HTMLButtonElement | null)?.disabled);
      await page.waitForSelector('[data-screen="earn"] [data-testid="error"]');
      const text = (await errorText('earn')) ?? '';
      const wrong = sentenceProblems(text, lang);
      if (wrong.length > 0 || text.length < 4) bad.push(`${amount} → ${text} (${wrong.join(', ')})`);
      expect(await page.locator('[data-testid="earn-dialog"]').count()).toBe(0);
    }
    expect(bad).toEqual([]);
    // Too large says so, with the limit in yuan (the contract's ¥10,000,000.00).
    await page.fill('[data-testid="earn-amount"]', '99999999');
    await page.click('[data-testid="earn-submit"]');
    await expect.poll(() => errorText('earn')).toBe(lang === 'zh-CN' ? '金额最多 ¥10,000,000.00。' : '金額最多 ¥10,000,000.00。');
    await page.fill('[data-testid="earn-amount"]', '-5');
    await page.click('[data-testid="earn-submit"]');
    await expect.poll(() => errorText('earn')).toBe(createTranslator(lang).t('ui.redeem.amountNegative'));
    await walk.shot(`forms-earn-${lang}`);
    expect(snapshot(walk.desk.terminal.db, MOVING)).toEqual(before);
  });

  it('words the earn button as earning, and the donate form shows the balance and refuses before confirming', async () => {
    const { page } = walk;
    const zh = createTranslator('zh-CN');
    await signIn(walk, '1234');
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    await presentMember(walk, member);
    expect(await page.textContent('[data-testid="go-earn"]')).toBe('累积积分');
    await walk.shot('forms-member-card');
    await page.click('[data-testid="go-donate"]');
    await page.waitForSelector('[data-screen="donate"]');
    const balance = member.balance.toLocaleString('en-US');
    await expect.poll(() => page.textContent('[data-testid="donate-balance"]')).toBe(`可用积分：${balance}`);
    const before = snapshot(walk.desk.terminal.db, MOVING);

    await page.fill('[data-testid="donate-points"]', '-200');
    await page.click('[data-testid="donate-submit"]');
    await expect.poll(() => errorText('donate')).toBe(zh.t('ui.donate.pointsPositive'));

    const tooMany = member.balance + 1234;
    await page.fill('[data-testid="donate-points"]', String(tooMany));
    await page.click('[data-testid="donate-submit"]');
    await expect.poll(() => errorText('donate')).toBe(`可用积分只有 ${balance}，不能捐赠 ${tooMany.toLocaleString('en-US')} 积分。`);
    expect(await page.locator('[data-testid="donate-dialog"]').count()).toBe(0);
    await walk.shot('forms-donate-over-balance');
    expect(snapshot(walk.desk.terminal.db, MOVING)).toEqual(before);

    // A donation the balance covers asks first, with a full-width question mark.
    await page.fill('[data-testid="donate-points"]', '100');
    await page.click('[data-testid="donate-submit"]');
    await page.waitForSelector('[data-testid="donate-dialog"]');
    expect(await page.textContent('[data-testid="donate-dialog"] h2')).toBe('捐赠 100 积分？');
  });
});

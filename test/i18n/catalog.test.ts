import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/contract/errors';
import { createTranslator, resources } from '../../src/i18n';
import { formatYuan } from '../../src/i18n/format';
import { LANGS, TIER_CODES, BENEFIT_TYPES } from '../../src/loyalty/types';

function keys(obj: object, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v as object, `${prefix}${k}.`)));
}

describe('message catalog', () => {
  it('has the same keys in zh-CN, zh-TW and en', () => {
    const en = keys(resources.en.translation).sort();
    expect(keys(resources['zh-CN'].translation).sort()).toEqual(en);
    expect(keys(resources['zh-TW'].translation).sort()).toEqual(en);
  });

  it.each(LANGS)('gives every error code, tier and benefit type a sentence in %s', (lang) => {
    const tr = createTranslator(lang);
    for (const code of ERROR_CODES) {
      const text = tr.error(code, {});
      expect(text, code).not.toContain(`error.${code}`);
      expect(text.length, code).toBeGreaterThan(5);
    }
    for (const tier of TIER_CODES) expect(tr.tier(tier)).not.toBe(`tier.${tier}`);
    for (const type of BENEFIT_TYPES) expect(tr.t(`benefitType.${type}`)).not.toBe(`benefitType.${type}`);
  });

  // 点 is Taiwan's word for a point (300 點); the mainland desk counts 积分 everywhere else, so a
  // zh-CN sentence saying "+300 点" (the void's confirmation did) reads as the other catalog leaking in.
  it('counts points in 积分 in zh-CN, never in 点', () => {
    const strings = (obj: object, prefix = ''): [string, string][] =>
      Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : strings(v as object, `${prefix}${k}.`)));
    const counted = /(\d|\}\})\s*点/u;
    expect(strings(resources['zh-CN'].translation).filter(([, text]) => counted.test(text)).map(([key, text]) => `${key}: ${text}`)).toEqual([]);
    expect(createTranslator('zh-CN').t('ui.ops.voidSays.earn', { member: '王**', points: '300' })).toBe('撤销会员 王** 消费累积的 +300 积分：这些积分将从会员账户扣回。');
  });

  it('writes money from fen without floats and names tiers in the language', () => {
    expect(formatYuan(0)).toBe('¥0.00');
    expect(formatYuan(1230)).toBe('¥12.30');
    expect(formatYuan(123456789)).toBe('¥1,234,567.89');
    expect(formatYuan(-5)).toBe('-¥0.05');
    expect(createTranslator('zh-CN').error('BELOW_THRESHOLD', { thresholdFen: 10000, amountFen: 9999 })).toBe('消费金额 ¥99.99 未达到此券的使用门槛 ¥100.00。');
    expect(createTranslator('en').error('TIER_NOT_ELIGIBLE', { tiers: 'core,premium' })).toBe(
      "This benefit is for Core, Premium members; the member's tier is not one of them.",
    );
    expect(createTranslator('zh-TW').tier('advanced')).toBe('進階');
  });
});

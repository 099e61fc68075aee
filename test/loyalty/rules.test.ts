import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, loyaltyRulesSchema } from '../../src/loyalty/rules';
import type { LoyaltyRules } from '../../src/loyalty/types';

const clone = (): LoyaltyRules => structuredClone(DEFAULT_RULES);

describe('DEFAULT_RULES', () => {
  it('carries the numbers of DESIGN.md', () => {
    expect(DEFAULT_RULES.tiers).toEqual([
      { code: 'basic', minVisits: 0, minSpendFen: 0, payPermille: 900 },
      { code: 'advanced', minVisits: 4, minSpendFen: 200000, payPermille: 850 },
      { code: 'core', minVisits: 7, minSpendFen: 800000, payPermille: 800 },
      { code: 'premium', minVisits: 11, minSpendFen: 2000000, payPermille: 700 },
    ]);
    expect(DEFAULT_RULES.tierWindowMonths).toBe(12);
    expect(DEFAULT_RULES.points).toEqual({
      pointsPerYuan: 1,
      birthdayMultiplier: 2,
      memberDayOfMonth: 8,
      memberDayMultiplier: 2,
      promoStacking: 'max',
      categoryMultipliers: { cosmetics: 2, gift_card: 0 },
      lotLifetimeMonths: 12,
      expiryNoticeDays: 30,
      cashPointsPerYuan: 100,
      cashMaxPercentOfPurchase: 50,
      donationMinPoints: 100,
    });
    expect(DEFAULT_RULES.offline).toEqual({
      maxValuePerRedemptionFen: 50000,
      maxUnsyncedValueFen: 500000,
      maxPointsBurnedPerMember: 5000,
      maxHoursSinceSync: 720,
    });
  });

  it('passes its own schema unchanged', () => {
    expect(loyaltyRulesSchema.parse(DEFAULT_RULES)).toEqual(DEFAULT_RULES);
  });
});

describe('loyaltyRulesSchema refuses', () => {
  const cases: [string, (r: LoyaltyRules) => void][] = [
    ['no tiers', (r) => (r.tiers = [])],
    ['tiers out of order', (r) => r.tiers.reverse()],
    ['a tier twice', (r) => (r.tiers = [r.tiers[0]!, r.tiers[1]!, r.tiers[1]!])],
    ['a first tier that is not basic', (r) => (r.tiers = r.tiers.slice(1))],
    ['a first tier with thresholds', (r) => (r.tiers[0]!.minVisits = 1)],
    ['decreasing thresholds', (r) => (r.tiers[2]!.minSpendFen = 100)],
    ['payPermille 0', (r) => (r.tiers[1]!.payPermille = 0)],
    ['payPermille 1001', (r) => (r.tiers[1]!.payPermille = 1001)],
    ['fractional fen', (r) => (r.tiers[1]!.minSpendFen = 100.5)],
    ['fractional visits', (r) => (r.tiers[1]!.minVisits = 4.5)],
    ['an unknown tier code', (r) => ((r.tiers[1] as { code: string }).code = 'gold')],
    ['a negative category multiplier', (r) => (r.points.categoryMultipliers['food'] = -1)],
    ['member day 29', (r) => (r.points.memberDayOfMonth = 29)],
    ['an unknown stacking mode', (r) => ((r.points as { promoStacking: string }).promoStacking = 'sum')],
    ['cashPointsPerYuan 0', (r) => (r.points.cashPointsPerYuan = 0)],
    ['cash share over 100%', (r) => (r.points.cashMaxPercentOfPurchase = 101)],
    ['fractional offline cap', (r) => (r.offline.maxValuePerRedemptionFen = 1.5)],
    ['negative offline points cap', (r) => (r.offline.maxPointsBurnedPerMember = -1)],
    ['window 0 months', (r) => (r.tierWindowMonths = 0)],
  ];
  it.each(cases)('%s', (_, mutate) => {
    const r = clone();
    mutate(r);
    expect(loyaltyRulesSchema.safeParse(r).success).toBe(false);
  });

  it('accepts HQ leaving out upper tiers and changing numbers', () => {
    const r = clone();
    r.tiers = [r.tiers[0]!, { code: 'premium', minVisits: 20, minSpendFen: 5_000_000, payPermille: 650 }];
    r.points.promoStacking = 'multiply';
    r.points.categoryMultipliers = { food: 1.5 };
    expect(loyaltyRulesSchema.parse(r)).toEqual(r);
  });
});

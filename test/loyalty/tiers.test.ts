import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import {
  decideTierChange,
  discountedPriceFen,
  evaluateTier,
  rollingActivity,
  tierProgress,
  tierRank,
  tierRule,
} from '../../src/loyalty/tiers';
import type { LoyaltyRules, MonthlyActivity, TierCode } from '../../src/loyalty/types';

const R = DEFAULT_RULES;
const SH = 'Asia/Shanghai';
// 2026-01-31T17:00Z is already Feb 1 in Shanghai: the 12-month window is 2025-03 … 2026-02.
const NOW = Date.parse('2026-01-31T17:00:00Z');

const m = (month: string, visits: number, spendFen: number): MonthlyActivity => ({ month, visits, spendFen });

describe('tierRank / tierRule', () => {
  it.each([
    ['basic', 0, 900],
    ['advanced', 1, 850],
    ['core', 2, 800],
    ['premium', 3, 700],
  ] as [TierCode, number, number][])('%s', (code, rank, permille) => {
    expect(tierRank(code)).toBe(rank);
    expect(tierRule(R, code).payPermille).toBe(permille);
  });

  it('falls back to the highest configured tier below a missing one', () => {
    const rules: LoyaltyRules = { ...R, tiers: [R.tiers[0]!, R.tiers[1]!] };
    expect(tierRule(rules, 'premium').code).toBe('advanced');
    expect(tierRule(rules, 'core').code).toBe('advanced');
    expect(tierRule(rules, 'basic').code).toBe('basic');
  });
});

describe('rollingActivity', () => {
  const activity = [
    m('2025-02', 5, 100_000), // 13 months back from Feb 2026: outside
    m('2025-03', 1, 10_000), // oldest month inside
    m('2025-12', 2, 20_000),
    m('2026-01', 3, 30_000),
    m('2026-02', 4, 40_000), // current local month in Shanghai
    m('2026-03', 9, 90_000), // future: outside
  ];
  it.each([
    [SH, 12, { visits: 10, spendFen: 100_000 }],
    [SH, 1, { visits: 4, spendFen: 40_000 }],
    [SH, 2, { visits: 7, spendFen: 70_000 }],
    // In UTC it is still January, so February does not count yet and 2025-02 enters the window.
    ['UTC', 12, { visits: 11, spendFen: 160_000 }],
  ])('%s, %d months', (tz, windowMonths, totals) => {
    expect(rollingActivity(activity, NOW, tz, windowMonths)).toEqual(totals);
  });
});

describe('evaluateTier', () => {
  it.each([
    ['no activity', [], 'basic', 'base', 0, 0],
    ['3 visits', [m('2026-02', 3, 0)], 'basic', 'base', 3, 0],
    ['exactly 4 visits', [m('2026-01', 2, 0), m('2026-02', 2, 0)], 'advanced', 'visits', 4, 0],
    ['spend one fen short of advanced', [m('2026-02', 0, 199_999)], 'basic', 'base', 0, 199_999],
    ['exactly ¥2,000', [m('2026-02', 0, 200_000)], 'advanced', 'spend', 0, 200_000],
    ['4 visits and ¥2,000', [m('2026-02', 4, 200_000)], 'advanced', 'both', 4, 200_000],
    ['7 visits, little spend', [m('2026-02', 7, 1_000)], 'core', 'visits', 7, 1_000],
    ['2 visits, ¥8,000', [m('2026-02', 2, 800_000)], 'core', 'spend', 2, 800_000],
    ['5 visits, ¥8,000: spend reaches higher', [m('2026-02', 5, 800_000)], 'core', 'spend', 5, 800_000],
    ['11 visits', [m('2025-03', 11, 0)], 'premium', 'visits', 11, 0],
    ['¥20,000', [m('2026-02', 1, 2_000_000)], 'premium', 'spend', 1, 2_000_000],
    ['activity only outside the window', [m('2025-02', 30, 9_000_000)], 'basic', 'base', 0, 0],
  ] as [string, MonthlyActivity[], TierCode, string, number, number][])(
    '%s',
    (_, activity, tier, basis, visits, spendFen) => {
      expect(evaluateTier(R, activity, NOW, SH)).toEqual({ tier, basis, visits, spendFen });
    },
  );
});

describe('tierProgress', () => {
  it.each([
    ['basic', { visits: 1, spendFen: 50_000 }, { next: 'advanced', visitsNeeded: 3, spendNeededFen: 150_000 }],
    ['advanced', { visits: 5, spendFen: 100_000 }, { next: 'core', visitsNeeded: 2, spendNeededFen: 700_000 }],
    // Above the next tier's thresholds already (awaiting an upgrade): never negative.
    ['core', { visits: 15, spendFen: 3_000_000 }, { next: 'premium', visitsNeeded: 0, spendNeededFen: 0 }],
    ['premium', { visits: 0, spendFen: 0 }, { next: null, visitsNeeded: 0, spendNeededFen: 0 }],
  ] as [TierCode, { visits: number; spendFen: number }, unknown][])('%s', (current, totals, expected) => {
    expect(tierProgress(R, current, totals)).toEqual(expected);
  });

  it('skips to the next configured tier when one is left out', () => {
    const rules: LoyaltyRules = { ...R, tiers: [R.tiers[0]!, R.tiers[3]!] };
    expect(tierProgress(rules, 'basic', { visits: 2, spendFen: 0 })).toEqual({
      next: 'premium',
      visitsNeeded: 9,
      spendNeededFen: 2_000_000,
    });
  });
});

describe('decideTierChange', () => {
  it.each([
    ['basic', 'advanced', 'visits', 'activity', { from: 'basic', to: 'advanced', reason: 'UPGRADE_VISITS' }],
    ['basic', 'core', 'spend', 'activity', { from: 'basic', to: 'core', reason: 'UPGRADE_SPEND' }],
    ['advanced', 'premium', 'both', 'activity', { from: 'advanced', to: 'premium', reason: 'UPGRADE_BOTH' }],
    ['core', 'premium', 'spend', 'yearly_review', { from: 'core', to: 'premium', reason: 'UPGRADE_SPEND' }],
    ['premium', 'advanced', 'visits', 'activity', null], // downgrade waits for the review
    ['premium', 'basic', 'base', 'activity', null],
    ['premium', 'advanced', 'visits', 'yearly_review', { from: 'premium', to: 'advanced', reason: 'DOWNGRADE_YEARLY_REVIEW' }],
    ['core', 'basic', 'base', 'yearly_review', { from: 'core', to: 'basic', reason: 'DOWNGRADE_YEARLY_REVIEW' }],
    ['core', 'core', 'visits', 'activity', null],
    ['core', 'core', 'spend', 'yearly_review', null],
  ] as [TierCode, TierCode, 'visits' | 'spend' | 'both' | 'base', 'activity' | 'yearly_review', unknown][])(
    '%s → %s (%s) on %s',
    (current, tier, basis, occasion, expected) => {
      expect(decideTierChange(R, current, { tier, basis }, occasion)).toEqual(expected);
    },
  );
});

describe('discountedPriceFen (round half up to the fen)', () => {
  it.each([
    ['basic', 10_000, 9_000],
    ['advanced', 10_000, 8_500],
    ['core', 10_000, 8_000],
    ['premium', 10_000, 7_000],
    ['basic', 15, 14], // 13.5 → 14 (half up)
    ['advanced', 1, 1], // 0.85 → 1
    ['advanced', 3, 3], // 2.55 → 3
    ['premium', 1, 1], // 0.7 → 1
    ['core', 1, 1], // 0.8 → 1
    ['basic', 1, 1], // 0.9 → 1
    ['premium', 5, 4], // 3.5 → 4
    ['advanced', 9, 8], // 7.65 → 8
    ['advanced', 7, 6], // 5.95 → 6
    ['basic', 0, 0],
    ['premium', 12_345_679, 8_641_975], // 8,641,975.3 → 8,641,975
  ] as [TierCode, number, number][])('%s pays %d → %d', (tier, amount, paid) => {
    const result = discountedPriceFen(R, tier, amount);
    expect(result).toBe(paid);
    expect(Number.isInteger(result)).toBe(true);
  });
});

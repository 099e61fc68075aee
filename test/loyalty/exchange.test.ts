import { describe, expect, it } from 'vitest';
import { checkCashDeduction, checkDonation, checkExchange } from '../../src/loyalty/exchange';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import type { CatalogItem, LoyaltyRules, MemberFacts, PointsLot } from '../../src/loyalty/types';

const R = DEFAULT_RULES;
const NOW = Date.parse('2026-06-01T00:00:00Z');
const DAY = 86_400_000;

const member = (over: Partial<MemberFacts> = {}): MemberFacts => ({
  id: 'm1',
  tier: 'core',
  status: 'active',
  birthday: null,
  lastPurchaseAt: null,
  joinedAt: 0,
  ...over,
});
// 1,000 usable points in two lots, plus an expired one that must not count.
const LOTS: PointsLot[] = [
  { id: 2, earnedAt: NOW - 50 * DAY, expiresAt: NOW + 300 * DAY, remaining: 700 },
  { id: 1, earnedAt: NOW - 200 * DAY, expiresAt: NOW + 150 * DAY, remaining: 300 },
  { id: 0, earnedAt: NOW - 400 * DAY, expiresAt: NOW, remaining: 5_000 },
];
const item = (over: Partial<CatalogItem> = {}): CatalogItem => ({
  id: 'c1',
  name: { 'zh-CN': '杯', 'zh-TW': '杯', en: 'Mug' },
  sku: 'MUG',
  pointsCost: 400,
  valueFen: 4_000,
  tiers: [],
  active: true,
  ...over,
});

describe('checkExchange', () => {
  it.each<[string, CatalogItem, MemberFacts, number | null, unknown]>([
    ['affordable, in stock', item(), member(), 3, { ok: true, points: 400, allocations: [{ lotId: 1, points: 300 }, { lotId: 2, points: 100 }] }],
    ['not stock-tracked', item(), member(), null, { ok: true, points: 400, allocations: [{ lotId: 1, points: 300 }, { lotId: 2, points: 100 }] }],
    ['exactly all points', item({ pointsCost: 1_000 }), member(), 1,
      { ok: true, points: 1_000, allocations: [{ lotId: 1, points: 300 }, { lotId: 2, points: 700 }] }],
    ['free item', item({ pointsCost: 0 }), member(), 1, { ok: true, points: 0, allocations: [] }],
    ['revoked member', item(), member({ status: 'revoked' }), 3, { ok: false, reason: 'MEMBER_REVOKED', params: {} }],
    ['inactive item', item({ active: false }), member(), 3, { ok: false, reason: 'ITEM_UNAVAILABLE', params: {} }],
    ['tier not eligible', item({ tiers: ['premium'] }), member(), 3, { ok: false, reason: 'TIER_NOT_ELIGIBLE', params: { tiers: 'premium' } }],
    ['tier eligible', item({ tiers: ['core', 'premium'], pointsCost: 1 }), member(), 3, { ok: true, points: 1, allocations: [{ lotId: 1, points: 1 }] }],
    ['out of stock', item(), member(), 0, { ok: false, reason: 'OUT_OF_STOCK', params: {} }],
    ['one point short', item({ pointsCost: 1_001 }), member(), 3,
      { ok: false, reason: 'INSUFFICIENT_POINTS', params: { needed: 1_001, available: 1_000 } }],
    // precedence
    ['revoked and inactive', item({ active: false }), member({ status: 'revoked' }), 0, { ok: false, reason: 'MEMBER_REVOKED', params: {} }],
    ['inactive and wrong tier', item({ active: false, tiers: ['basic'] }), member(), 0, { ok: false, reason: 'ITEM_UNAVAILABLE', params: {} }],
    ['wrong tier and out of stock', item({ tiers: ['basic'] }), member(), 0, { ok: false, reason: 'TIER_NOT_ELIGIBLE', params: { tiers: 'basic' } }],
    ['out of stock and too dear', item({ pointsCost: 9_999 }), member(), 0, { ok: false, reason: 'OUT_OF_STOCK', params: {} }],
  ])('%s', (_, it_, m, stock, expected) => {
    expect(checkExchange(it_, m, LOTS, NOW, stock)).toEqual(expected);
  });
});

describe('checkCashDeduction (100 points = ¥1, at most 50% of the purchase)', () => {
  it.each<[string, number, number, unknown]>([
    ['¥5 off ¥100', 500, 10_000, { ok: true, valueFen: 500, allocations: [{ lotId: 1, points: 300 }, { lotId: 2, points: 200 }] }],
    ['exactly half the purchase', 1_000, 2_000, { ok: true, valueFen: 1_000, allocations: [{ lotId: 1, points: 300 }, { lotId: 2, points: 700 }] }],
    ['one fen over half', 1_000, 1_999, { ok: false, reason: 'EXCEEDS_PURCHASE_SHARE', params: { maxFen: 999 } }],
    ['odd purchase: the cap is floored', 100, 201, { ok: true, valueFen: 100, allocations: [{ lotId: 1, points: 100 }] }],
    ['cap floored below ¥1', 100, 199, { ok: false, reason: 'EXCEEDS_PURCHASE_SHARE', params: { maxFen: 99 } }],
    ['not a multiple of 100', 150, 10_000, { ok: false, reason: 'POINTS_NOT_MULTIPLE', params: { step: 100 } }],
    ['zero points', 0, 10_000, { ok: false, reason: 'POINTS_NOT_MULTIPLE', params: { step: 100 } }],
    ['negative points', -100, 10_000, { ok: false, reason: 'POINTS_NOT_MULTIPLE', params: { step: 100 } }],
    ['fractional points', 100.5, 10_000, { ok: false, reason: 'POINTS_NOT_MULTIPLE', params: { step: 100 } }],
    ['more than held', 1_100, 100_000, { ok: false, reason: 'INSUFFICIENT_POINTS', params: { needed: 1_100, available: 1_000 } }],
    ['share is checked before the balance', 1_100, 1_000, { ok: false, reason: 'EXCEEDS_PURCHASE_SHARE', params: { maxFen: 500 } }],
  ])('%s', (_, points, purchase, expected) => {
    expect(checkCashDeduction(R, member(), LOTS, NOW, points, purchase)).toEqual(expected);
  });

  it('refuses a revoked member first', () => {
    expect(checkCashDeduction(R, member({ status: 'revoked' }), LOTS, NOW, 150, 10_000)).toEqual({
      ok: false,
      reason: 'MEMBER_REVOKED',
      params: {},
    });
  });

  it('follows HQ’s step and share', () => {
    const rules: LoyaltyRules = { ...R, points: { ...R.points, cashPointsPerYuan: 50, cashMaxPercentOfPurchase: 10 } };
    expect(checkCashDeduction(rules, member(), LOTS, NOW, 50, 1_000)).toEqual({
      ok: true,
      valueFen: 100,
      allocations: [{ lotId: 1, points: 50 }],
    });
    expect(checkCashDeduction(rules, member(), LOTS, NOW, 75, 1_000)).toEqual({ ok: false, reason: 'POINTS_NOT_MULTIPLE', params: { step: 50 } });
    expect(checkCashDeduction(rules, member(), LOTS, NOW, 100, 1_000)).toEqual({ ok: false, reason: 'EXCEEDS_PURCHASE_SHARE', params: { maxFen: 100 } });
  });
});

describe('checkDonation', () => {
  it.each<[string, MemberFacts, number, unknown]>([
    ['exactly the minimum', member(), 100, { ok: true, allocations: [{ lotId: 1, points: 100 }] }],
    ['everything', member(), 1_000, { ok: true, allocations: [{ lotId: 1, points: 300 }, { lotId: 2, points: 700 }] }],
    ['one below the minimum', member(), 99, { ok: false, reason: 'POINTS_TOO_FEW', params: { min: 100 } }],
    ['zero', member(), 0, { ok: false, reason: 'POINTS_TOO_FEW', params: { min: 100 } }],
    ['fractional', member(), 150.5, { ok: false, reason: 'POINTS_NOT_MULTIPLE', params: { step: 1 } }],
    ['more than held', member(), 1_001, { ok: false, reason: 'INSUFFICIENT_POINTS', params: { needed: 1_001, available: 1_000 } }],
    ['revoked', member({ status: 'revoked' }), 50, { ok: false, reason: 'MEMBER_REVOKED', params: {} }],
  ])('%s', (_, m, points, expected) => {
    expect(checkDonation(R, m, LOTS, NOW, points)).toEqual(expected);
  });

  it('still refuses zero points when HQ sets no minimum', () => {
    const rules: LoyaltyRules = { ...R, points: { ...R.points, donationMinPoints: 0 } };
    expect(checkDonation(rules, member(), LOTS, NOW, 0)).toEqual({ ok: false, reason: 'POINTS_TOO_FEW', params: { min: 1 } });
    expect(checkDonation(rules, member(), LOTS, NOW, 1)).toEqual({ ok: true, allocations: [{ lotId: 1, points: 1 }] });
  });
});

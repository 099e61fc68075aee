import { describe, expect, it } from 'vitest';
import { benefitSku, checkBenefit, checkStock } from '../../src/loyalty/benefits';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import type {
  BenefitDef,
  BenefitParams,
  BenefitUsage,
  MemberFacts,
  RedeemContext,
} from '../../src/loyalty/types';

const R = DEFAULT_RULES;
const t = (iso: string): number => Date.parse(iso);
const DAY = 86_400_000;
const NOW = t('2026-03-10T04:00:00Z'); // 12:00 on March 10 in Shanghai

const name = { 'zh-CN': '券', 'zh-TW': '券', en: 'coupon' };

interface Fixture {
  benefit: BenefitDef;
  member: MemberFacts;
  usage: BenefitUsage;
  ctx: RedeemContext;
}

function fixture(params: BenefitParams = { type: 'voucher', valueFen: 1_000 }): Fixture {
  return {
    benefit: {
      id: 'b1',
      name,
      params,
      validFrom: t('2026-01-01T00:00:00Z'),
      validTo: t('2026-12-31T16:00:00Z'),
      tiers: [],
      stores: [],
      perMemberLimit: null,
      perDayLimit: null,
      offlineRedeemable: true,
      requiresGrant: false,
    },
    member: {
      id: 'm1',
      tier: 'advanced',
      status: 'active',
      birthday: { month: 3, day: 20 },
      lastPurchaseAt: NOW - 10 * DAY,
      joinedAt: t('2024-01-01T00:00:00Z'),
    },
    usage: { memberTotal: 0, memberToday: 0, lastRedeemedAt: null, grantsAvailable: 0 },
    ctx: { now: NOW, tz: 'Asia/Shanghai', storeId: 'S01', offline: false, purchaseAmountFen: 50_000 },
  };
}

const run = (f: Fixture) => checkBenefit(R, f.benefit, f.member, f.usage, f.ctx);
const reasonOf = (f: Fixture): string | null => {
  const r = run(f);
  return r.ok ? null : r.reason;
};

describe('checkBenefit: common checks', () => {
  it.each<[string, (f: Fixture) => void, unknown]>([
    ['a plain voucher', () => {}, { ok: true, valueFen: 1_000 }],
    ['revoked member', (f) => (f.member.status = 'revoked'), { ok: false, reason: 'MEMBER_REVOKED', params: {} }],
    ['one ms before validFrom', (f) => (f.ctx.now = f.benefit.validFrom - 1),
      { ok: false, reason: 'NOT_YET_VALID', params: { validFrom: t('2026-01-01T00:00:00Z') } }],
    ['exactly at validFrom', (f) => (f.ctx.now = f.benefit.validFrom), { ok: true, valueFen: 1_000 }],
    ['one ms before validTo', (f) => (f.ctx.now = f.benefit.validTo - 1), { ok: true, valueFen: 1_000 }],
    ['exactly at validTo (exclusive)', (f) => (f.ctx.now = f.benefit.validTo),
      { ok: false, reason: 'BENEFIT_EXPIRED', params: { validTo: t('2026-12-31T16:00:00Z') } }],
    ['another store', (f) => (f.benefit.stores = ['S02', 'S03']), { ok: false, reason: 'WRONG_STORE', params: { storeId: 'S01' } }],
    ['this store listed', (f) => (f.benefit.stores = ['S02', 'S01']), { ok: true, valueFen: 1_000 }],
    ['tier not listed', (f) => (f.benefit.tiers = ['core', 'premium']),
      { ok: false, reason: 'TIER_NOT_ELIGIBLE', params: { tiers: 'core,premium' } }],
    ['tier listed', (f) => (f.benefit.tiers = ['advanced']), { ok: true, valueFen: 1_000 }],
    ['offline, not offline-redeemable', (f) => { f.ctx.offline = true; f.benefit.offlineRedeemable = false; },
      { ok: false, reason: 'NOT_REDEEMABLE_OFFLINE', params: {} }],
    ['offline, offline-redeemable', (f) => (f.ctx.offline = true), { ok: true, valueFen: 1_000 }],
    ['online, not offline-redeemable', (f) => (f.benefit.offlineRedeemable = false), { ok: true, valueFen: 1_000 }],
    ['grant required, none left', (f) => (f.benefit.requiresGrant = true), { ok: false, reason: 'NO_GRANT', params: {} }],
    ['grant required, one left', (f) => { f.benefit.requiresGrant = true; f.usage.grantsAvailable = 1; }, { ok: true, valueFen: 1_000 }],
    ['no grant needed, none held', (f) => (f.usage.grantsAvailable = 0), { ok: true, valueFen: 1_000 }],
    ['single use, used', (f) => { f.benefit.perMemberLimit = 1; f.usage.memberTotal = 1; },
      { ok: false, reason: 'ALREADY_REDEEMED', params: {} }],
    ['single use, unused', (f) => (f.benefit.perMemberLimit = 1), { ok: true, valueFen: 1_000 }],
    ['limit 3, used 3', (f) => { f.benefit.perMemberLimit = 3; f.usage.memberTotal = 3; },
      { ok: false, reason: 'LIMIT_REACHED', params: { limit: 3 } }],
    ['limit 3, used 2', (f) => { f.benefit.perMemberLimit = 3; f.usage.memberTotal = 2; }, { ok: true, valueFen: 1_000 }],
    ['no limit, used 50', (f) => (f.usage.memberTotal = 50), { ok: true, valueFen: 1_000 }],
    ['daily limit 2, used 2 today', (f) => { f.benefit.perDayLimit = 2; f.usage.memberToday = 2; },
      { ok: false, reason: 'DAILY_LIMIT_REACHED', params: { limit: 2 } }],
    ['daily limit 2, used 1 today', (f) => { f.benefit.perDayLimit = 2; f.usage.memberToday = 1; }, { ok: true, valueFen: 1_000 }],
  ])('%s', (_, mutate, expected) => {
    const f = fixture();
    mutate(f);
    expect(run(f)).toEqual(expected);
  });

  // Each step makes one more check fail, from the last to the first; the earliest failing one wins.
  const steps: [string, (f: Fixture) => void][] = [
    ['MEMBER_REVOKED', (f) => (f.member.status = 'revoked')],
    ['NOT_YET_VALID', (f) => (f.benefit.validFrom = NOW + 1)],
    ['BENEFIT_EXPIRED', (f) => (f.benefit.validTo = NOW)],
    ['WRONG_STORE', (f) => (f.benefit.stores = ['S09'])],
    ['TIER_NOT_ELIGIBLE', (f) => (f.benefit.tiers = ['premium'])],
    ['NOT_REDEEMABLE_OFFLINE', (f) => { f.ctx.offline = true; f.benefit.offlineRedeemable = false; }],
    ['NO_GRANT', (f) => (f.benefit.requiresGrant = true)],
    ['ALREADY_REDEEMED', (f) => { f.benefit.perMemberLimit = 1; f.usage.memberTotal = 1; }],
    ['DAILY_LIMIT_REACHED', (f) => { f.benefit.perDayLimit = 1; f.usage.memberToday = 1; }],
    ['BELOW_THRESHOLD', (f) => (f.ctx.purchaseAmountFen = 1)],
  ];
  it.each(steps.map((s, i) => [s[0], i] as const))('precedence: %s wins over every later failure', (reason, i) => {
    const f = fixture({ type: 'threshold_coupon', thresholdFen: 10_000, offFen: 1_000 });
    for (const [, mutate] of steps.slice(i)) mutate(f);
    expect(reasonOf(f)).toBe(reason);
  });
});

describe('checkBenefit: by type', () => {
  type Row = [string, BenefitParams, (f: Fixture) => void, unknown];
  const none = (): void => {};
  const amount = (fen: number | null) => (f: Fixture) => (f.ctx.purchaseAmountFen = fen);
  it.each<Row>([
    // threshold coupon (满减): spend ≥ X, Y off
    ['threshold: exactly at threshold', { type: 'threshold_coupon', thresholdFen: 50_000, offFen: 5_000 }, none, { ok: true, valueFen: 5_000 }],
    ['threshold: one fen below', { type: 'threshold_coupon', thresholdFen: 50_000, offFen: 5_000 }, amount(49_999),
      { ok: false, reason: 'BELOW_THRESHOLD', params: { thresholdFen: 50_000, amountFen: 49_999 } }],
    ['threshold: no amount', { type: 'threshold_coupon', thresholdFen: 50_000, offFen: 5_000 }, amount(null),
      { ok: false, reason: 'AMOUNT_REQUIRED', params: {} }],
    // discount coupon: pays payPermille, capped
    ['discount: 8折 on ¥500, cap ¥200', { type: 'discount_coupon', payPermille: 800, maxOffFen: 20_000, minSpendFen: 10_000 }, none,
      { ok: true, valueFen: 10_000 }],
    ['discount: capped', { type: 'discount_coupon', payPermille: 800, maxOffFen: 3_000, minSpendFen: 10_000 }, none,
      { ok: true, valueFen: 3_000 }],
    ['discount: rounds the paid part half up', { type: 'discount_coupon', payPermille: 850, maxOffFen: 99_999, minSpendFen: 0 }, amount(3),
      { ok: true, valueFen: 0 }], // pays round(2.55) = 3, so 0 off
    ['discount: 9折 on 15 fen', { type: 'discount_coupon', payPermille: 900, maxOffFen: 99_999, minSpendFen: 0 }, amount(15),
      { ok: true, valueFen: 1 }], // pays round(13.5) = 14
    ['discount: exactly min spend', { type: 'discount_coupon', payPermille: 900, maxOffFen: 99_999, minSpendFen: 50_000 }, none,
      { ok: true, valueFen: 5_000 }],
    ['discount: below min spend', { type: 'discount_coupon', payPermille: 900, maxOffFen: 99_999, minSpendFen: 50_001 }, none,
      { ok: false, reason: 'BELOW_THRESHOLD', params: { thresholdFen: 50_001, amountFen: 50_000 } }],
    ['discount: no amount', { type: 'discount_coupon', payPermille: 900, maxOffFen: 99_999, minSpendFen: 0 }, amount(null),
      { ok: false, reason: 'AMOUNT_REQUIRED', params: {} }],
    // fixed values, no purchase needed
    ['voucher without a purchase', { type: 'voucher', valueFen: 2_000 }, amount(null), { ok: true, valueFen: 2_000 }],
    ['referral reward', { type: 'referral_reward', valueFen: 3_000 }, amount(null), { ok: true, valueFen: 3_000 }],
    ['gift', { type: 'gift', sku: 'MUG', valueFen: 4_000 }, amount(null), { ok: true, valueFen: 4_000 }],
    ['service', { type: 'service', service: 'gift_wrap', valueFen: 500 }, amount(null), { ok: true, valueFen: 500 }],
    ['blind box is valued by the draw', { type: 'blind_box', pool: [] }, amount(null), { ok: true, valueFen: 0 }],
    // tier welcome gift: the member's tier must be at least the gift's
    ['welcome: same tier', { type: 'tier_welcome', tier: 'advanced', sku: 'W', valueFen: 800 }, none, { ok: true, valueFen: 800 }],
    ['welcome: higher tier', { type: 'tier_welcome', tier: 'advanced', sku: 'W', valueFen: 800 }, (f) => (f.member.tier = 'premium'),
      { ok: true, valueFen: 800 }],
    ['welcome: lower tier', { type: 'tier_welcome', tier: 'core', sku: 'W', valueFen: 800 }, none,
      { ok: false, reason: 'TIER_NOT_ELIGIBLE', params: { tiers: 'core,premium' } }],
    // birthday gift: once per birthday month, in the store's zone
    ['birthday: in the month', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 }, none, { ok: true, valueFen: 6_000 }],
    ['birthday: other month', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 }, (f) => (f.member.birthday = { month: 4, day: 1 }),
      { ok: false, reason: 'NOT_BIRTHDAY_MONTH', params: {} }],
    ['birthday: none on file', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 }, (f) => (f.member.birthday = null),
      { ok: false, reason: 'NOT_BIRTHDAY_MONTH', params: {} }],
    ['birthday: Feb birthday at 2026-01-31T17:00Z in Shanghai (already Feb 1)', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 },
      (f) => { f.member.birthday = { month: 2, day: 1 }; f.ctx.now = t('2026-01-31T17:00:00Z'); }, { ok: true, valueFen: 6_000 }],
    ['birthday: same instant in UTC is still January', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 },
      (f) => { f.member.birthday = { month: 2, day: 1 }; f.ctx.now = t('2026-01-31T17:00:00Z'); f.ctx.tz = 'UTC'; },
      { ok: false, reason: 'NOT_BIRTHDAY_MONTH', params: {} }],
    ['birthday: redeemed earlier this month', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 },
      (f) => (f.usage.lastRedeemedAt = t('2026-02-28T16:00:00Z')), // 00:00 March 1 in Shanghai
      { ok: false, reason: 'ALREADY_REDEEMED', params: {} }],
    ['birthday: redeemed at the end of last month', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 },
      (f) => (f.usage.lastRedeemedAt = t('2026-02-28T15:59:59Z')), // 23:59:59 Feb 28 in Shanghai
      { ok: true, valueFen: 6_000 }],
    ['birthday: redeemed in last year’s birthday month', { type: 'birthday_gift', sku: 'CAKE', valueFen: 6_000 },
      (f) => (f.usage.lastRedeemedAt = t('2025-03-10T04:00:00Z')), { ok: true, valueFen: 6_000 }],
    // win-back: no purchase for dormantDays
    ['win-back: exactly 90 days dormant', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => (f.member.lastPurchaseAt = NOW - 90 * DAY), { ok: true, valueFen: 3_000 }],
    ['win-back: 1 ms short', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => (f.member.lastPurchaseAt = NOW - 90 * DAY + 1), { ok: false, reason: 'NOT_DORMANT', params: { dormantDays: 90 } }],
    ['win-back: never purchased, joined long ago', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => (f.member.lastPurchaseAt = null), { ok: true, valueFen: 3_000 }],
    // "No visit yet" is not "lapsed": without a purchase the dormancy counts from joining.
    ['win-back: never purchased, joined minutes ago', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => { f.member.lastPurchaseAt = null; f.member.joinedAt = NOW - 5 * 60_000; }, { ok: false, reason: 'NOT_DORMANT', params: { dormantDays: 90 } }],
    ['win-back: never purchased, joined exactly 90 days ago', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => { f.member.lastPurchaseAt = null; f.member.joinedAt = NOW - 90 * DAY; }, { ok: true, valueFen: 3_000 }],
    ['win-back: never purchased, joined 1 ms short of 90 days', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => { f.member.lastPurchaseAt = null; f.member.joinedAt = NOW - 90 * DAY + 1; }, { ok: false, reason: 'NOT_DORMANT', params: { dormantDays: 90 } }],
    ['win-back: dormant but below threshold', { type: 'win_back', dormantDays: 90, thresholdFen: 60_000, offFen: 3_000 },
      (f) => (f.member.lastPurchaseAt = null), { ok: false, reason: 'BELOW_THRESHOLD', params: { thresholdFen: 60_000, amountFen: 50_000 } }],
    ['win-back: dormant, no amount', { type: 'win_back', dormantDays: 90, thresholdFen: 20_000, offFen: 3_000 },
      (f) => { f.member.lastPurchaseAt = null; f.ctx.purchaseAmountFen = null; }, { ok: false, reason: 'AMOUNT_REQUIRED', params: {} }],
    // member day: the 8th in the store's zone
    ['member day: not the 8th', { type: 'member_day', thresholdFen: 10_000, offFen: 1_500 }, none,
      { ok: false, reason: 'NOT_MEMBER_DAY', params: { day: 8 } }],
    ['member day: 00:00 on the 8th in Shanghai', { type: 'member_day', thresholdFen: 10_000, offFen: 1_500 },
      (f) => (f.ctx.now = t('2026-03-07T16:00:00Z')), { ok: true, valueFen: 1_500 }],
    ['member day: below threshold', { type: 'member_day', thresholdFen: 60_000, offFen: 1_500 },
      (f) => (f.ctx.now = t('2026-03-08T04:00:00Z')), { ok: false, reason: 'BELOW_THRESHOLD', params: { thresholdFen: 60_000, amountFen: 50_000 } }],
    ['member day: no amount', { type: 'member_day', thresholdFen: 10_000, offFen: 1_500 },
      (f) => { f.ctx.now = t('2026-03-08T04:00:00Z'); f.ctx.purchaseAmountFen = null; }, { ok: false, reason: 'AMOUNT_REQUIRED', params: {} }],
  ])('%s', (_, params, mutate, expected) => {
    const f = fixture(params);
    mutate(f);
    expect(run(f)).toEqual(expected);
  });
});

describe('benefitSku / checkStock', () => {
  it.each<[BenefitParams, string | null]>([
    [{ type: 'gift', sku: 'MUG', valueFen: 1 }, 'MUG'],
    [{ type: 'birthday_gift', sku: 'CAKE', valueFen: 1 }, 'CAKE'],
    [{ type: 'tier_welcome', tier: 'core', sku: 'W', valueFen: 1 }, 'W'],
    [{ type: 'voucher', valueFen: 1 }, null],
    [{ type: 'service', service: 'extended_warranty', valueFen: 1 }, null],
    [{ type: 'blind_box', pool: [] }, null],
    [{ type: 'threshold_coupon', thresholdFen: 1, offFen: 1 }, null],
  ])('%j → %s', (params, sku) => {
    expect(benefitSku(fixture(params).benefit)).toBe(sku);
  });

  it.each([
    [null, null],
    [1, null],
    [0, { ok: false, reason: 'OUT_OF_STOCK', params: {} }],
    [-2, { ok: false, reason: 'OUT_OF_STOCK', params: {} }],
  ])('stock %s', (stock, expected) => {
    expect(checkStock(stock)).toEqual(expected);
  });
});

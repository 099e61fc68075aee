// Whether a member may redeem a benefit now, and what it is worth. The order of the checks is part
// of the contract: the first failing check names the refusal the member is shown.
import { applyPermille } from './money';
import { isBirthdayMonth, isMemberDay } from './points';
import { refuse } from './refusal';
import type { Refusal } from './refusal';
import { tierRank } from './tiers';
import { DAY_MS, monthKey } from './time';
import { TIER_CODES } from './types';
import type {
  BenefitDef,
  BenefitParams,
  BenefitUsage,
  Fen,
  LoyaltyRules,
  MemberFacts,
  RedeemContext,
} from './types';

export type BenefitCheck = { ok: true; valueFen: Fen } | Refusal;

function thresholdOff(thresholdFen: Fen, offFen: Fen, amountFen: Fen | null): BenefitCheck {
  if (amountFen === null) return refuse('AMOUNT_REQUIRED');
  if (amountFen < thresholdFen) return refuse('BELOW_THRESHOLD', { thresholdFen, amountFen });
  return { ok: true, valueFen: offFen };
}

function checkCommon(benefit: BenefitDef, member: MemberFacts, usage: BenefitUsage, ctx: RedeemContext): Refusal | null {
  if (member.status === 'revoked') return refuse('MEMBER_REVOKED');
  if (ctx.now < benefit.validFrom) return refuse('NOT_YET_VALID', { validFrom: benefit.validFrom });
  if (ctx.now >= benefit.validTo) return refuse('BENEFIT_EXPIRED', { validTo: benefit.validTo });
  if (benefit.stores.length > 0 && !benefit.stores.includes(ctx.storeId)) {
    return refuse('WRONG_STORE', { storeId: ctx.storeId });
  }
  if (benefit.tiers.length > 0 && !benefit.tiers.includes(member.tier)) {
    return refuse('TIER_NOT_ELIGIBLE', { tiers: benefit.tiers.join(',') });
  }
  if (ctx.offline && !benefit.offlineRedeemable) return refuse('NOT_REDEEMABLE_OFFLINE');
  if (benefit.requiresGrant && usage.grantsAvailable <= 0) return refuse('NO_GRANT');
  const limit = benefit.perMemberLimit;
  if (limit !== null && usage.memberTotal >= limit) {
    // A single-use benefit reads better as "already redeemed" than as "limit 1 reached".
    return limit === 1 ? refuse('ALREADY_REDEEMED') : refuse('LIMIT_REACHED', { limit });
  }
  if (benefit.perDayLimit !== null && usage.memberToday >= benefit.perDayLimit) {
    return refuse('DAILY_LIMIT_REACHED', { limit: benefit.perDayLimit });
  }
  return null;
}

/**
 * The 回归礼's condition, at the terminal and at HQ. "No visit yet" is not "lapsed": a member who
 * never bought has been away since joining (as the manager's KPI counts the dormant), so one who
 * signed up minutes ago is not away.
 */
export function awayLongEnough(dormantDays: number, lastPurchaseAt: number | null, joinedAt: number, at: number): boolean {
  return at - (lastPurchaseAt ?? joinedAt) >= dormantDays * DAY_MS;
}

function checkByType(
  rules: LoyaltyRules,
  params: BenefitParams,
  member: MemberFacts,
  usage: BenefitUsage,
  ctx: RedeemContext,
): BenefitCheck {
  switch (params.type) {
    case 'threshold_coupon':
      return thresholdOff(params.thresholdFen, params.offFen, ctx.purchaseAmountFen);
    case 'discount_coupon': {
      const amount = ctx.purchaseAmountFen;
      if (amount === null) return refuse('AMOUNT_REQUIRED');
      if (amount < params.minSpendFen) {
        return refuse('BELOW_THRESHOLD', { thresholdFen: params.minSpendFen, amountFen: amount });
      }
      // Rounded like the tier discount (half up), then capped.
      const off = amount - applyPermille(amount, params.payPermille);
      return { ok: true, valueFen: Math.min(params.maxOffFen, off) };
    }
    case 'voucher':
    case 'referral_reward':
    case 'gift':
    case 'service':
      return { ok: true, valueFen: params.valueFen };
    case 'tier_welcome':
      if (tierRank(member.tier) < tierRank(params.tier)) {
        const eligible = TIER_CODES.filter((t) => tierRank(t) >= tierRank(params.tier));
        return refuse('TIER_NOT_ELIGIBLE', { tiers: eligible.join(',') });
      }
      return { ok: true, valueFen: params.valueFen };
    case 'birthday_gift':
      if (!isBirthdayMonth(member.birthday, ctx.now, ctx.tz)) return refuse('NOT_BIRTHDAY_MONTH');
      // Once per birthday month, judged in the store's zone (same local year and month).
      if (usage.lastRedeemedAt !== null && monthKey(usage.lastRedeemedAt, ctx.tz) === monthKey(ctx.now, ctx.tz)) {
        return refuse('ALREADY_REDEEMED');
      }
      return { ok: true, valueFen: params.valueFen };
    case 'blind_box':
      // The value is that of the drawn item, which the caller learns from drawBlindBox.
      return { ok: true, valueFen: 0 };
    case 'win_back':
      if (!awayLongEnough(params.dormantDays, member.lastPurchaseAt, member.joinedAt, ctx.now)) return refuse('NOT_DORMANT', { dormantDays: params.dormantDays });
      return thresholdOff(params.thresholdFen, params.offFen, ctx.purchaseAmountFen);
    case 'member_day':
      if (!isMemberDay(rules, ctx.now, ctx.tz)) return refuse('NOT_MEMBER_DAY', { day: rules.points.memberDayOfMonth });
      return thresholdOff(params.thresholdFen, params.offFen, ctx.purchaseAmountFen);
  }
}

/**
 * Stock is not checked here (the caller reads it per store, then calls checkStock on benefitSku's
 * stock), so this stays a function of the facts it is given.
 */
export function checkBenefit(
  rules: LoyaltyRules,
  benefit: BenefitDef,
  member: MemberFacts,
  usage: BenefitUsage,
  ctx: RedeemContext,
): BenefitCheck {
  return checkCommon(benefit, member, usage, ctx) ?? checkByType(rules, benefit.params, member, usage, ctx);
}

/** The stock-tracked sku a redemption takes out of the store, if any. */
export function benefitSku(benefit: BenefitDef): string | null {
  const p = benefit.params;
  switch (p.type) {
    case 'gift':
    case 'birthday_gift':
    case 'tier_welcome':
      return p.sku;
    default:
      return null;
  }
}

/** null stock means the item is not stock-tracked. */
export function checkStock(stock: number | null): Refusal | null {
  return stock !== null && stock <= 0 ? refuse('OUT_OF_STOCK') : null;
}

/** The most one redemption of the benefit can be worth: what HQ accepts as its value. */
export function maxBenefitValueFen(params: BenefitDef['params']): Fen {
  switch (params.type) {
    case 'threshold_coupon':
    case 'win_back':
    case 'member_day':
      return params.offFen;
    case 'discount_coupon':
      return params.maxOffFen;
    case 'blind_box':
      return params.pool.reduce((max, item) => Math.max(max, item.valueFen), 0);
    default:
      return params.valueFen;
  }
}

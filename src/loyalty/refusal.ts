// Expected refusals are data, not exceptions: a reason code and the numbers the message needs.

export const LOYALTY_REASONS = [
  'BENEFIT_EXPIRED',
  'NOT_YET_VALID',
  'TIER_NOT_ELIGIBLE',
  'LIMIT_REACHED',
  'ALREADY_REDEEMED',
  'DAILY_LIMIT_REACHED',
  'OUT_OF_STOCK',
  'INSUFFICIENT_POINTS',
  'BELOW_THRESHOLD',
  'AMOUNT_REQUIRED',
  'NOT_REDEEMABLE_OFFLINE',
  'WRONG_STORE',
  'MEMBER_REVOKED',
  'NOT_BIRTHDAY_MONTH',
  'NOT_MEMBER_DAY',
  'NOT_DORMANT',
  'NO_GRANT',
  'ITEM_UNAVAILABLE',
  'POINTS_NOT_MULTIPLE',
  'POINTS_TOO_FEW',
  'EXCEEDS_PURCHASE_SHARE',
  'OFFLINE_VALUE_CAP',
  'OFFLINE_TOTAL_CAP',
  'OFFLINE_POINTS_CAP',
  'OFFLINE_SYNC_TOO_OLD',
  'EARN_AMOUNT_CAP',
  'EARN_LINE_CAP',
  'EARN_POINTS_CAP',
  'EARN_DAY_CAP',
  'EARN_NEEDS_MANAGER',
  'RETURN_EXCEEDS_PURCHASE',
  'RETURN_CATEGORY_NOT_IN_PURCHASE',
  'RETURN_WINDOW_PASSED',
  'RETURN_SAME_DAY',
] as const;
export type LoyaltyReason = (typeof LOYALTY_REASONS)[number];

export type RefusalParams = Record<string, string | number>;

export interface Refusal {
  ok: false;
  reason: LoyaltyReason;
  params: RefusalParams;
}

export function refuse(reason: LoyaltyReason, params: RefusalParams = {}): Refusal {
  return { ok: false, reason, params };
}

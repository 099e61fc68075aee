// Tier evaluation over a rolling window, and when a tier change takes effect
// (upgrade at once, downgrade only at the yearly review).
import { applyPermille } from './money';
import { monthsBack } from './time';
import { TIER_CODES } from './types';
import type { EpochMs, Fen, LoyaltyRules, MonthlyActivity, TierCode, TierRule } from './types';

export type TierBasis = 'visits' | 'spend' | 'both' | 'base';

export type TierChangeReason =
  | 'UPGRADE_VISITS'
  | 'UPGRADE_SPEND'
  | 'UPGRADE_BOTH'
  | 'DOWNGRADE_YEARLY_REVIEW';

export interface TierChange {
  from: TierCode;
  to: TierCode;
  reason: TierChangeReason;
}

export function tierRank(code: TierCode): number {
  return TIER_CODES.indexOf(code);
}

/**
 * The rule for `code`. HQ may leave a tier out of its rules (the schema only demands ascending order
 * from basic), yet members stored with that tier still need a discount at checkout, so a missing
 * tier falls back to the highest configured tier below it rather than throwing at the till.
 */
export function tierRule(rules: LoyaltyRules, code: TierCode): TierRule {
  const rank = tierRank(code);
  let best: TierRule | undefined;
  for (const t of rules.tiers) {
    if (t.code === code) return t;
    if (tierRank(t.code) < rank && (best === undefined || tierRank(t.code) > tierRank(best.code))) best = t;
  }
  const fallback = best ?? rules.tiers[0];
  if (fallback === undefined) throw new Error('loyalty rules have no tiers');
  return fallback;
}

/** Visits and spend over the current local month and the `windowMonths − 1` months before it. */
export function rollingActivity(
  activity: MonthlyActivity[],
  now: EpochMs,
  tz: string,
  windowMonths: number,
): { visits: number; spendFen: Fen } {
  const window = new Set(monthsBack(now, tz, windowMonths));
  let visits = 0;
  let spendFen = 0;
  for (const a of activity) {
    if (!window.has(a.month)) continue;
    visits += a.visits;
    spendFen += a.spendFen;
  }
  return { visits, spendFen };
}

/** The highest tier reached by visits OR spend; the first tier is the floor and needs neither. */
export function evaluateTier(
  rules: LoyaltyRules,
  activity: MonthlyActivity[],
  now: EpochMs,
  tz: string,
): { tier: TierCode; visits: number; spendFen: Fen; basis: TierBasis } {
  const { visits, spendFen } = rollingActivity(activity, now, tz, rules.tierWindowMonths);
  for (let i = rules.tiers.length - 1; i >= 1; i--) {
    const t = rules.tiers[i];
    if (t === undefined) continue;
    const byVisits = visits >= t.minVisits;
    const bySpend = spendFen >= t.minSpendFen;
    if (byVisits || bySpend) {
      const basis: TierBasis = byVisits && bySpend ? 'both' : byVisits ? 'visits' : 'spend';
      return { tier: t.code, visits, spendFen, basis };
    }
  }
  return { tier: rules.tiers[0]?.code ?? 'basic', visits, spendFen, basis: 'base' };
}

/** What is still missing for the next configured tier above `current`; either amount alone suffices. */
export function tierProgress(
  rules: LoyaltyRules,
  current: TierCode,
  totals: { visits: number; spendFen: Fen },
): { next: TierCode | null; visitsNeeded: number; spendNeededFen: Fen } {
  const rank = tierRank(current);
  const next = rules.tiers.find((t) => tierRank(t.code) > rank);
  if (next === undefined) return { next: null, visitsNeeded: 0, spendNeededFen: 0 };
  return {
    next: next.code,
    visitsNeeded: Math.max(0, next.minVisits - totals.visits),
    spendNeededFen: Math.max(0, next.minSpendFen - totals.spendFen),
  };
}

export function decideTierChange(
  rules: LoyaltyRules,
  current: TierCode,
  evaluated: { tier: TierCode; basis: TierBasis },
  occasion: 'activity' | 'yearly_review',
): TierChange | null {
  // `rules` is part of the signature so a later rule (e.g. a grace period) needs no caller change.
  const from = tierRank(current);
  const to = tierRank(evaluated.tier);
  if (to > from) {
    // 'base' cannot be an upgrade while the first tier is basic (the schema demands it);
    // should it happen anyway, visits is the honest default reason for reaching a tier.
    const reason: TierChangeReason =
      evaluated.basis === 'both' ? 'UPGRADE_BOTH' : evaluated.basis === 'spend' ? 'UPGRADE_SPEND' : 'UPGRADE_VISITS';
    return { from: current, to: evaluated.tier, reason };
  }
  if (to < from && occasion === 'yearly_review') {
    return { from: current, to: evaluated.tier, reason: 'DOWNGRADE_YEARLY_REVIEW' };
  }
  return null;
}

/** The price the member pays at checkout with the tier discount, rounded half up to the fen. */
export function discountedPriceFen(rules: LoyaltyRules, tier: TierCode, amountFen: Fen): Fen {
  return applyPermille(amountFen, tierRule(rules, tier).payPermille);
}

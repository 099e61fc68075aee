// Spending points: catalog exchange, cash deduction at checkout, and charity donation.
import { checkStock } from './benefits';
import { planBurn } from './points';
import type { BurnAllocation } from './points';
import { refuse } from './refusal';
import type { Refusal } from './refusal';
import type { CatalogItem, EpochMs, Fen, LoyaltyRules, MemberFacts, PointsLot } from './types';

export function checkExchange(
  item: CatalogItem,
  member: MemberFacts,
  lots: PointsLot[],
  now: EpochMs,
  stock: number | null,
): { ok: true; points: number; allocations: BurnAllocation[] } | Refusal {
  if (member.status === 'revoked') return refuse('MEMBER_REVOKED');
  if (!item.active) return refuse('ITEM_UNAVAILABLE');
  if (item.tiers.length > 0 && !item.tiers.includes(member.tier)) {
    return refuse('TIER_NOT_ELIGIBLE', { tiers: item.tiers.join(',') });
  }
  const noStock = checkStock(stock);
  if (noStock) return noStock;
  // A free catalog item burns nothing; planBurn only takes positive amounts.
  if (item.pointsCost <= 0) return { ok: true, points: 0, allocations: [] };
  const plan = planBurn(lots, item.pointsCost, now);
  if (!plan.ok) return plan;
  return { ok: true, points: item.pointsCost, allocations: plan.allocations };
}

/**
 * Points as cash at checkout. Only whole yuan are deducted (a multiple of cashPointsPerYuan), so
 * the value is an exact integer fen; the share cap is floored so it never exceeds the percentage.
 */
export function checkCashDeduction(
  rules: LoyaltyRules,
  member: MemberFacts,
  lots: PointsLot[],
  now: EpochMs,
  points: number,
  purchaseAmountFen: Fen,
): { ok: true; valueFen: Fen; allocations: BurnAllocation[] } | Refusal {
  const p = rules.points;
  if (member.status === 'revoked') return refuse('MEMBER_REVOKED');
  const step = p.cashPointsPerYuan;
  if (!Number.isSafeInteger(points) || points <= 0 || points % step !== 0) {
    return refuse('POINTS_NOT_MULTIPLE', { step });
  }
  const valueFen = (points / step) * 100;
  const maxFen = Math.floor((purchaseAmountFen * p.cashMaxPercentOfPurchase) / 100);
  if (valueFen > maxFen) return refuse('EXCEEDS_PURCHASE_SHARE', { maxFen });
  const plan = planBurn(lots, points, now);
  if (!plan.ok) return plan;
  return { ok: true, valueFen, allocations: plan.allocations };
}

/** The fewest points one donation takes (HQ's rules; at least one): the desk says it before asking to confirm. */
export function donationMinimum(rules: LoyaltyRules): number {
  return Math.max(1, rules.points.donationMinPoints);
}

export function checkDonation(
  rules: LoyaltyRules,
  member: MemberFacts,
  lots: PointsLot[],
  now: EpochMs,
  points: number,
): { ok: true; allocations: BurnAllocation[] } | Refusal {
  if (member.status === 'revoked') return refuse('MEMBER_REVOKED');
  // Points come in whole units; a fraction is refused as "not a multiple of 1" rather than thrown.
  if (!Number.isSafeInteger(points)) return refuse('POINTS_NOT_MULTIPLE', { step: 1 });
  const min = donationMinimum(rules);
  if (points < min) return refuse('POINTS_TOO_FEW', { min });
  const plan = planBurn(lots, points, now);
  if (!plan.ok) return plan;
  return { ok: true, allocations: plan.allocations };
}

// Voiding a purchase also takes back what the purchase did to the member beyond its points: the tier
// step it caused (with the welcome gifts that step issued) and its place as the member's last purchase.
import { DeskError } from '../../contract/errors';
import { earnUndoFacts } from '../../loyalty/earnDetail';
import { grantsIssued, withdrawGrant } from '../../store/benefits';
import { changeTier, isVoidedEarnAt, latestEarnAt, setLastPurchase, tierChangeOfOp, tierSinceBefore, type MemberRow } from '../../store/members';
import type { StoredOperation } from '../../store/operations';
import type { ServiceDeps } from './deps';

export const VOID_REVERSAL = 'VOID_REVERSAL';

/**
 * Reverts the tier step of `earn` when the member is still on the tier it reached (a later step stands).
 * Refuses with VOID_GRANT_USED when a welcome gift of that step was redeemed: the gift left the store,
 * so the redemption must be voided first. Runs inside the void's transaction; returns the member as left.
 */
export function undoEarnTier(deps: ServiceDeps, member: MemberRow, earn: StoredOperation, voidOpId: string, now: number): MemberRow {
  const step = tierChangeOfOp(deps.db, member.id, earn.id);
  if (!step || member.tier !== step.to_tier) return member;
  const grants = grantsIssued(deps.db, member.id, `tier:${step.to_tier}`, step.at);
  const used = grants.find((g) => g.used_op_id !== null);
  if (used) throw new DeskError('VOID_GRANT_USED', { ref: used.used_op_id ?? '', benefit: used.benefit_id });
  for (const g of grants) withdrawGrant(deps.db, g.id);
  const since =
    earnUndoFacts(earn.detail).before?.tierSince ?? tierSinceBefore(deps.db, member.id, step.id, step.from_tier) ?? now;
  changeTier(deps.db, { memberId: member.id, at: now, from: step.to_tier, to: step.from_tier, reason: VOID_REVERSAL, opId: voidOpId, since });
  return { ...member, tier: step.from_tier, tier_since: since, updated_at: now };
}

/** Puts last_purchase_at back when this purchase was the last one: the latest one left, or what came before it. */
export function undoEarnPurchase(deps: ServiceDeps, member: MemberRow, earn: StoredOperation, now: number): void {
  if (member.last_purchase_at !== earn.at) return;
  const before = earnUndoFacts(earn.detail).before?.lastPurchaseAt ?? null;
  const usable = before !== null && !isVoidedEarnAt(deps.db, member.id, before) ? before : null;
  const remaining = latestEarnAt(deps.db, member.id, earn.id);
  const restored = remaining === null ? usable : usable === null ? remaining : Math.max(remaining, usable);
  setLastPurchase(deps.db, member.id, restored, now);
}

// Voiding a purchase also takes back what the purchase did to the member beyond its points: the tier
// step it caused (with the welcome gifts that step issued) and its place as the member's last purchase.
import { DeskError } from '../../contract/errors';
import { earnUndoFacts } from '../../loyalty/earnDetail';
import { grantsIssued, withdrawGrant, type GrantRow } from '../../store/benefits';
import { changeTier, isVoidedEarnAt, latestEarnAt, setLastPurchase, tierChangeOfOp, tierSinceBefore, type MemberRow } from '../../store/members';
import type { Db } from '../../store/open';
import type { StoredOperation } from '../../store/operations';
import type { ServiceDeps } from './deps';

export const VOID_REVERSAL = 'VOID_REVERSAL';

/** The tier step `earnId` caused that a void would undo: only while the member is still on the tier it reached. */
function stepToUndo(db: Db, member: Pick<MemberRow, 'id' | 'tier'>, earnId: string) {
  const step = tierChangeOfOp(db, member.id, earnId);
  return step && member.tier === step.to_tier ? step : undefined;
}

/**
 * A welcome gift of the tier step a void of `earnId` would undo that was already redeemed, or
 * undefined. The gift left the store, so the purchase is not voidable until that redemption is voided
 * (VOID_GRANT_USED): part of the one rule, voidRefusal in void.ts. Reads only.
 */
export function usedWelcomeGift(db: Db, member: Pick<MemberRow, 'id' | 'tier'>, earnId: string): GrantRow | undefined {
  const step = stepToUndo(db, member, earnId);
  return step ? grantsIssued(db, member.id, `tier:${step.to_tier}`, step.at).find((g) => g.used_op_id !== null) : undefined;
}

/**
 * Reverts the tier step of `earn` when the member is still on the tier it reached (a later step stands),
 * withdrawing the welcome gifts that step issued. The void has refused already when one was used
 * (voidRefusal); the check here only keeps a used gift from ever being withdrawn. Runs inside the
 * void's transaction; returns the member as left.
 */
export function undoEarnTier(deps: ServiceDeps, member: MemberRow, earn: StoredOperation, voidOpId: string, now: number): MemberRow {
  const step = stepToUndo(deps.db, member, earn.id);
  if (!step) return member;
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

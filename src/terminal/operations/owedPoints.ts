// Points a member owes (docs/returns.md "Owing points"): where HQ's rules allow a negative balance,
// a return of points already spent leaves the member owing them, and the first points they have
// again repay the debt. The balance every screen and receipt shows is the points less what is owed.
import { availablePoints, type BurnAllocation } from '../../loyalty/points';
import { oweShortfall, planRepayment } from '../../loyalty/returns';
import type { LoyaltyRules } from '../../loyalty/types';
import { adjustLot, memberLots, pointsOwed, setPointsOwed } from '../../store/members';
import type { LedgerEntry } from '../../store/operations';
import type { Db } from '../../store/open';

/** The ledger's `ref` of an entry that repaid owed points (a void of the operation owes them again). */
export const OWED_REF = 'owed';

export function pointsBalanceOf(db: Db, memberId: string, now: number): number {
  return availablePoints(memberLots(db, memberId), now) - pointsOwed(db, memberId);
}

/** Repays what the member owes from the points they hold now; the ledger entries that say so. */
export function repayOwed(db: Db, memberId: string, now: number): LedgerEntry[] {
  const owed = pointsOwed(db, memberId);
  if (owed <= 0) return [];
  const { allocations, repaid } = planRepayment(memberLots(db, memberId), owed, now);
  if (repaid <= 0) return [];
  setPointsOwed(db, memberId, owed - repaid);
  return allocations.map((a: BurnAllocation): LedgerEntry => {
    adjustLot(db, a.lotId, -a.points);
    return { account: 'points', delta: -a.points, valueFen: 0, lotId: a.lotId, ref: OWED_REF };
  });
}

/** A void gives back what its operation repaid: the member owes it again, within the rules' limit (as HQ does). */
export function oweAgain(db: Db, rules: LoyaltyRules, memberId: string, points: number): void {
  if (points > 0) setPointsOwed(db, memberId, oweShortfall(rules, pointsOwed(db, memberId), points).owed);
}

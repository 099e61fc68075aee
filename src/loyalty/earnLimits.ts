// Limits on earning (docs/authority.md): the same check at the desk, before an earn is recorded,
// and at HQ, when the earn arrives. Earning is the riskiest write a clerk makes (points are money
// the brand owes), so it is bounded like spending is.
import { refuse, type Refusal } from './refusal';
import type { Fen, LoyaltyRules } from './types';

export interface EarnClaim {
  amountFen: Fen;
  /** Points per purchase line, as the rules give them. */
  linePoints: number[];
  /** The member's points earned earlier on the same store-day. */
  earnedTodayPoints: number;
  /** A manager of the store approved this earn. */
  approved: boolean;
}

export type EarnVerdict = { ok: true; needsApproval: boolean } | Refusal;

/** Refuses an earn beyond the caps; above the approval threshold only with a manager. */
export function checkEarnLimits(rules: LoyaltyRules, claim: EarnClaim): EarnVerdict {
  const e = rules.earn;
  if (claim.amountFen > e.refuseAboveFen) return refuse('EARN_AMOUNT_CAP', { capFen: e.refuseAboveFen });
  if (claim.linePoints.some((p) => p > e.maxPointsPerLine)) return refuse('EARN_LINE_CAP', { cap: e.maxPointsPerLine });
  const points = claim.linePoints.reduce((a, b) => a + b, 0);
  if (points > e.maxPointsPerEarn) return refuse('EARN_POINTS_CAP', { cap: e.maxPointsPerEarn });
  if (claim.earnedTodayPoints + points > e.maxPointsPerMemberDay) {
    return refuse('EARN_DAY_CAP', { cap: e.maxPointsPerMemberDay, earned: claim.earnedTodayPoints });
  }
  const needsApproval = claim.amountFen > e.approvalAboveFen;
  if (needsApproval && !claim.approved) return refuse('EARN_NEEDS_MANAGER', { thresholdFen: e.approvalAboveFen });
  return { ok: true, needsApproval };
}

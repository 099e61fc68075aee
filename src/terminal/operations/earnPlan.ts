// What an earn would do, worked out once for the earn and for its preview (points.earnPreview): the
// points the rules give, the earning limits (rules.earn, src/loyalty/earnLimits.ts) and the tier
// change. It reads and never writes, so the desk can show it before the clerk confirms, and what
// the desk showed is what the earn then does.
import { DeskError } from '../../contract/errors';
import type { EarnPreview } from '../../contract/deskTypes';
import { checkEarnLimits } from '../../loyalty/earnLimits';
import { earnPoints, type EarnResult as EarnedPoints } from '../../loyalty/points';
import { decideTierChange, evaluateTier, type TierChange } from '../../loyalty/tiers';
import { monthKey, monthsBack } from '../../loyalty/time';
import type { PurchaseLine } from '../../loyalty/types';
import { memberMonths, parseBirthday, type MemberRow } from '../../store/members';
import { earnedOnDay } from '../../store/operations';
import type { ServiceDeps } from './deps';
import { operatingDay } from './businessDay';
import { refused } from './guards';
import { pointsBalance, requireMember } from './lookups';

export interface EarnPlan {
  amountFen: number;
  earned: EarnedPoints;
  change: TierChange | null;
  /** Above the approval threshold: recorded with the manager who approved it. */
  needsApproval: boolean;
}

/**
 * The earn for `lines` at `now`, or a refusal (DeskError) when the card is revoked or the limits say
 * no. `approved`: a manager of the store approves; without one an earn above the threshold is refused.
 */
export function planEarn(deps: ServiceDeps, member: MemberRow, now: number, lines: PurchaseLine[], approved: boolean): EarnPlan {
  if (member.status === 'revoked') throw new DeskError('MEMBER_REVOKED', {});
  const rules = deps.rules;
  const { tz, terminalId } = deps.identity;
  const earned = earnPoints(rules, lines, { now, tz, birthday: parseBirthday(member.birthday) });
  const amountFen = lines.reduce((sum, l) => sum + l.amountFen, 0);
  const verdict = checkEarnLimits(rules, {
    amountFen,
    linePoints: earned.lines.map((l) => l.points),
    earnedTodayPoints: earnedOnDay(deps.db, member.id, terminalId, operatingDay(deps, now).date),
    approved,
  });
  if (!verdict.ok) refused(verdict);
  // The tier as it will be once this purchase's visit and spend are counted (the earn writes them).
  const window = monthsBack(now, tz, rules.tierWindowMonths);
  const months = memberMonths(deps.db, member.id, window[0] ?? monthKey(now, tz));
  const evaluated = evaluateTier(rules, [...months, { month: monthKey(now, tz), visits: 1, spendFen: amountFen }], now, tz);
  const change = decideTierChange(rules, member.tier, evaluated, 'activity');
  return { amountFen, earned, change, needsApproval: verdict.needsApproval };
}

/** points.earnPreview: the earn as planEarn sees it with a manager's approval, and whether it needs one. */
export function earnPreview(deps: ServiceDeps, input: { memberId: string; lines: PurchaseLine[] }): EarnPreview {
  // One read transaction: the balance, the day's earns and the months are read at one point in time.
  return deps.db.transaction((): EarnPreview => {
    const now = deps.clock();
    const member = requireMember(deps, input.memberId);
    const plan = planEarn(deps, member, now, input.lines, true);
    const pointsBefore = pointsBalance(deps, member.id, now);
    return {
      amountFen: plan.amountFen,
      points: plan.earned.points,
      pointsBefore,
      pointsAfter: pointsBefore + plan.earned.points,
      tierChange: plan.change,
      needsManager: plan.needsApproval,
      approvalAboveFen: deps.rules.earn.approvalAboveFen,
    };
  })();
}

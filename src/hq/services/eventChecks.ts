// What HQ checks of an operation before it touches a member (docs/authority.md): when it happened,
// who did it, who approved it, what it names and the sign and value of what it moves. Each check
// either adjusts the operation to what HQ computes (applied_as_hq) or refuses it (refused); either
// way a conflict records the terminal's claim. Pure: the batch loads the facts (batchLoad.ts).
// Points an earn gives and the tier it reaches need the member, so applyOperation.ts decides those.
import { businessDate, DAY_MS } from '../../loyalty/time';
import type { LoyaltyRules } from '../../loyalty/types';
import { ALLOWED_SKEW_MS, LOW_WATER_SLACK_MS } from '../../sync/protocol';
import type { ConflictDecision, ConflictKind } from '../../sync/protocolEntities';
import type { HqOp } from './readEvent';

export interface Flag {
  kind: ConflictKind;
  decision: ConflictDecision;
  detail: Record<string, string | number | boolean | null>;
}

export interface CheckFacts {
  /** When HQ received the batch. */
  now: number;
  /** When the sending terminal was enrolled. */
  enrolledAt: number;
  /** The latest plausible `at` of the terminal's earlier batches (null: none yet). */
  lowWaterAt: number | null;
  tz: string;
  rules: LoyaltyRules;
  /** Staff of the sending terminal's store (tombstoned ones too: they may have acted before they left). */
  staff: Map<string, { role: string; active: boolean }>;
  benefits: Map<string, { maxValueFen: number }>;
  items: Map<string, { pointsCost: number; valueFen: number; tiers: string[]; active: boolean }>;
}

export interface Checked {
  op: HqOp;
  flags: Flag[];
  /** Set when the operation is not applied at all. */
  refusal: Flag | null;
}

const refuse = (kind: ConflictKind, detail: Flag['detail']): Flag => ({ kind, decision: 'refused', detail });
const adjust = (kind: ConflictKind, detail: Flag['detail']): Flag => ({ kind, decision: 'applied_as_hq', detail });

/** An approver must be a manager of the store who is still active (not deleted, not deactivated). */
const isManager = (facts: CheckFacts, id: string | null): boolean => {
  const s = id === null ? undefined : facts.staff.get(id);
  return s?.role === 'manager' && s.active;
};

function checkKind(facts: CheckFacts, op: HqOp, flags: Flag[]): Flag | null {
  const step = facts.rules.points.cashPointsPerYuan;
  switch (op.kind) {
    case 'earn': {
      const amount = op.lines.reduce((sum, l) => sum + l.amountFen, 0);
      if ((op.amountFen ?? 0) !== amount) flags.push(adjust('value_adjusted', { field: 'amountFen', claimed: op.amountFen, applied: amount }));
      if (op.valueFen !== 0) flags.push(adjust('value_adjusted', { field: 'valueFen', claimed: op.valueFen, applied: 0 }));
      op.amountFen = amount;
      op.valueFen = 0;
      const e = facts.rules.earn;
      // No purchase, no earn: the desk takes only lines of at least 1 fen, and an earn of nothing
      // would still count a visit toward the tier (twelve of them made a member premium).
      if (amount === 0) return refuse('earn_refused', { reason: 'no_purchase', amountFen: 0 });
      if (amount > e.refuseAboveFen) return refuse('earn_refused', { reason: 'amount_cap', amountFen: amount, capFen: e.refuseAboveFen });
      if (amount > e.approvalAboveFen && !isManager(facts, op.approvedBy)) {
        return refuse('earn_refused', { reason: 'approval_missing', amountFen: amount, thresholdFen: e.approvalAboveFen, approvedBy: op.approvedBy });
      }
      return null;
    }
    case 'redeem': {
      const benefit = op.benefitId === null ? undefined : facts.benefits.get(op.benefitId);
      if (!benefit) return refuse('unknown_benefit', { benefitId: op.benefitId });
      if (op.points !== 0) flags.push(adjust('points_sign', { claimed: op.points, applied: 0 }));
      op.points = 0;
      if (op.valueFen > benefit.maxValueFen) flags.push(adjust('value_adjusted', { field: 'valueFen', claimed: op.valueFen, applied: benefit.maxValueFen }));
      op.valueFen = Math.min(op.valueFen, benefit.maxValueFen);
      return null;
    }
    case 'exchange': {
      const item = op.itemId === null ? undefined : facts.items.get(op.itemId);
      if (!item) return refuse('unknown_item', { itemId: op.itemId });
      if (op.points !== -item.pointsCost) flags.push(adjust('points_recomputed', { claimed: op.points, applied: -item.pointsCost }));
      if (op.valueFen !== item.valueFen) flags.push(adjust('value_adjusted', { field: 'valueFen', claimed: op.valueFen, applied: item.valueFen }));
      op.points = -item.pointsCost;
      op.valueFen = item.valueFen;
      return null;
    }
    case 'cash':
    case 'donate': {
      if (op.points >= 0 || (op.kind === 'cash' && op.points % step !== 0)) return refuse('points_sign', { claimed: op.points, step });
      if (op.kind === 'donate' && -op.points < facts.rules.points.donationMinPoints) {
        return refuse('points_sign', { claimed: op.points, min: facts.rules.points.donationMinPoints });
      }
      const value = Math.floor((-op.points * 100) / step);
      if (op.valueFen !== value) flags.push(adjust('value_adjusted', { field: 'valueFen', claimed: op.valueFen, applied: value }));
      op.valueFen = value;
      return null;
    }
    case 'void':
      if (!isManager(facts, op.approvedBy)) return refuse('approver_invalid', { approvedBy: op.approvedBy });
      return null;
    case 'return':
      // What it takes back needs the purchase and the member: applyReturn.ts decides that.
      if (op.valueFen !== 0) flags.push(adjust('value_adjusted', { field: 'valueFen', claimed: op.valueFen, applied: 0 }));
      op.valueFen = 0;
      return null;
  }
}

/** Checks `op` (copied, never changed in place) against what HQ knows. */
export function checkEvent(facts: CheckFacts, given: HqOp): Checked {
  const op: HqOp = { ...given, detail: { ...given.detail }, lines: given.lines.map((l) => ({ ...l })) };
  const flags: Flag[] = [];
  const earliest = facts.enrolledAt - ALLOWED_SKEW_MS;
  const latest = facts.now + ALLOWED_SKEW_MS;
  if (!(op.at >= earliest)) return { op, flags, refusal: refuse('time_out_of_range', { at: op.at, bound: 'before_enrollment', earliest }) };
  // Outbox order is creation order: an event far before one already received was backdated (a clock
  // put back by more than the slack is a terminal for support, and its refusals show the manager).
  if (facts.lowWaterAt !== null && op.at < facts.lowWaterAt - LOW_WATER_SLACK_MS) {
    return { op, flags, refusal: refuse('time_out_of_range', { at: op.at, bound: 'before_earlier_event', earliest: facts.lowWaterAt - LOW_WATER_SLACK_MS }) };
  }
  if (!(op.at <= latest)) return { op, flags, refusal: refuse('time_out_of_range', { at: op.at, bound: 'after_receipt', latest }) };
  if (!facts.staff.has(op.staffId)) return { op, flags, refusal: refuse('staff_unknown', { staffId: op.staffId }) };
  const day = businessDate(op.at, facts.tz);
  const allowed = op.dayClosed ? [day, businessDate(op.at + DAY_MS, facts.tz)] : [day];
  if (!allowed.includes(op.businessDate)) {
    flags.push(adjust('business_date', { claimed: op.businessDate, applied: day }));
    op.businessDate = day;
  }
  return { op, flags, refusal: checkKind(facts, op, flags) };
}

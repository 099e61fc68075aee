// A return (退货) of a purchase on a later day: the returned part's points come back from the lot the
// purchase created (then from the member's other points, never below zero; what is already spent is
// the shortfall, recorded for HQ and the manager), its spend and, with its last fen, its visit leave
// the month, and the tier step it caused is undone when the member no longer reaches it. One
// transaction through the one writer, like every operation (docs/returns.md).
import type { ReturnResult } from '../../contract/deskTypes';
import { monthKey } from '../../loyalty/time';
import { grantsIssued, withdrawGrant } from '../../store/benefits';
import { changeTier, removeMonthActivity, setPointsOwed, tierSinceBefore } from '../../store/members';
import type { LedgerEntry } from '../../store/operations';
import type { ServiceDeps } from './deps';
import { operatingDay } from './businessDay';
import { burnLots, isOffline } from './guards';
import { buildReceipt, requireStaff } from './lookups';
import { recordOperation } from './record';
import { planReturnOf, RETURN_REVERSAL, requestOf, returnView, type ReturnAsk } from './returnPlan';

export interface ReturnInput extends ReturnAsk {
  staffId: string;
}

export function returnPurchase(deps: ServiceDeps, input: ReturnInput): ReturnResult {
  return deps.db.transaction((): ReturnResult => {
    const now = deps.clock();
    const { storeId, terminalId, tz } = deps.identity;
    const staff = requireStaff(deps, input.staffId);
    // Every refusal comes from the plan, before anything is written.
    const r = planReturnOf(deps, input, now);
    const { purchase, plan } = r;
    const opId = deps.newId();
    const ledger: LedgerEntry[] = burnLots(deps, r.allocations);
    if (r.owed > 0) setPointsOwed(deps.db, purchase.member.id, r.owedAfter);
    removeMonthActivity(deps.db, purchase.member.id, monthKey(purchase.op.at, tz), plan.completes ? 1 : 0, plan.amountFen);
    let member = purchase.member;
    const undo = r.undoStep;
    let welcomeUsed = 0;
    if (undo) {
      const { step } = undo;
      // The welcome gifts of the undone step go too; one already used stays used (the goods left the store).
      for (const g of grantsIssued(deps.db, member.id, `tier:${step.to_tier}`, step.at)) {
        if (g.used_op_id !== null || !withdrawGrant(deps.db, g.id)) welcomeUsed += 1;
      }
      // Back where the step started: since then, as before the purchase; on a tier between: since the purchase reached it.
      const before = (purchase.op.detail.before as { tierSince?: unknown } | undefined)?.tierSince;
      const since =
        undo.to !== step.from_tier ? purchase.op.at : typeof before === 'number' ? before : (tierSinceBefore(deps.db, member.id, step.id, step.from_tier) ?? now);
      changeTier(deps.db, { memberId: member.id, at: now, from: member.tier, to: undo.to, reason: RETURN_REVERSAL, opId, since });
      member = { ...member, tier: undo.to, tier_since: since, updated_at: now };
    }
    const offline = isOffline(deps);
    const request = requestOf(input);
    const receipt = {
      ...buildReceipt(deps, {
        kind: 'return', opId, at: now, member, staff, subject: null, valueFen: 0, amountFen: plan.amountFen,
        pointsBefore: r.pointsBefore, pointsAfter: r.pointsAfter, targetOpId: purchase.op.id, offline,
      }),
      returned: { lines: r.lines, shortfall: r.shortfall, owed: r.owed, tierChange: r.tierChange },
    };
    const recorded = recordOperation(
      deps,
      {
        id: opId,
        kind: 'return',
        memberId: member.id,
        benefitId: null,
        itemId: null,
        targetOpId: purchase.op.id,
        staffId: staff.id,
        approvedBy: null,
        storeId,
        terminalId,
        at: now,
        businessDate: operatingDay(deps, now).date,
        valueFen: 0,
        points: r.pointsAfter - r.pointsBefore,
        amountFen: plan.amountFen,
        detail: {
          mode: request.mode,
          // The lines asked for travel as the event's lines: HQ re-derives the return from them.
          ...(request.mode === 'lines' ? { lines: request.lines } : {}),
          returned: plan.lines,
          pointsReturned: plan.points,
          shortfall: r.shortfall,
          owed: r.owed,
          ...(r.tierChange ? { tierChange: { from: r.tierChange.from, to: r.tierChange.to }, welcomeUsed } : {}),
        },
        offline,
      },
      ledger,
      receipt,
    );
    return { ...recorded, targetOpId: purchase.op.id, ...returnView(r) };
  }).immediate();
}

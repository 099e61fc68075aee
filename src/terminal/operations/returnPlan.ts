// What a return (退货) of a purchase would do, worked out once for the return and for its quote
// (points.returnQuote): the part that comes back, its points, what the balance can give of them, and
// whether the tier step the purchase caused still stands. It reads and never writes, so the desk
// shows exactly what the return will then write (docs/returns.md).
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import type { ReturnQuote, ReturnPlanView } from '../../contract/deskTypes';
import { availablePoints, type BurnAllocation } from '../../loyalty/points';
import { checkReturnWindow, oweShortfall, planReturn, planTakeBack, shareLinePoints, tierAfterReturn, type PurchasedLine, type ReturnPlan, type ReturnRequest, type ReturnedLine } from '../../loyalty/returns';
import { evaluateTier } from '../../loyalty/tiers';
import { DAY_MS, monthKey, monthsBack } from '../../loyalty/time';
import type { PurchaseLine, TierCode } from '../../loyalty/types';
import { memberLots, memberMonths, pointsOwed, tierChangeOfOp, type MemberRow, type TierChangeRow } from '../../store/members';
import { getOperation, type StoredOperation } from '../../store/operations';
import { purchaseLotId, purchasesSince, returnsOfPurchase } from '../../store/returns';
import type { ServiceDeps } from './deps';
import { operatingDay } from './businessDay';
import { refused } from './guards';
import { requireMember } from './lookups';

export interface ReturnAsk {
  opId: string;
  /** The member on the desk's screen: the purchase must be theirs. */
  memberId?: string | undefined;
  amountFen?: number | undefined;
  lines?: PurchaseLine[] | undefined;
}

const earnedLinesSchema = z.array(z.object({ category: z.string(), amountFen: z.int().min(0), points: z.int().min(0) }));

/** The purchase's lines with the points each earned; an earn without lines is one line of its amount. */
export function purchasedLines(earn: Pick<StoredOperation, 'detail' | 'amountFen' | 'points'>): PurchasedLine[] {
  const parsed = earnedLinesSchema.safeParse(earn.detail.lines);
  const lines = parsed.success && parsed.data.length > 0 ? parsed.data : [{ category: '', amountFen: earn.amountFen ?? 0, points: earn.points }];
  const shares = shareLinePoints(lines.map((l) => l.points), Math.max(0, earn.points));
  return lines.map((l, i) => ({ category: l.category, amountFen: l.amountFen, points: shares[i]! }));
}

export function requestOf(ask: ReturnAsk): ReturnRequest {
  if (ask.lines !== undefined) return { mode: 'lines', lines: ask.lines };
  if (ask.amountFen !== undefined) return { mode: 'amount', amountFen: ask.amountFen };
  return { mode: 'whole' };
}

export interface Purchase {
  op: StoredOperation;
  member: MemberRow;
  lines: PurchasedLine[];
  previous: ReturnedLine[];
}

/** The purchase `opId` names, if it is one of this store's that can still be returned at all. */
export function requirePurchase(deps: ServiceDeps, opId: string, memberId?: string): Purchase {
  const op = getOperation(deps.db, opId);
  const theirs = memberId === undefined || op?.memberId === memberId;
  if (!op || op.storeId !== deps.identity.storeId || !theirs) throw new DeskError('UNKNOWN_OPERATION', { ref: opId });
  if (op.kind !== 'earn') throw new DeskError('RETURN_NOT_PURCHASE', { kind: op.kind });
  if (op.voidedByOp !== null) throw new DeskError('RETURN_OF_VOIDED', { ref: op.id });
  const member = requireMember(deps, op.memberId);
  return { op, member, lines: purchasedLines(op), previous: returnsOfPurchase(deps.db, member.id, op.id) };
}

export interface PlannedReturn extends ReturnPlanView {
  purchase: Purchase;
  plan: ReturnPlan;
  allocations: BurnAllocation[];
  ownLotId: number | null;
  /** The purchase's tier step and the tier the member lands on, when the return undoes it. */
  undoStep: { step: TierChangeRow; to: TierCode } | null;
  now: number;
  /** What the member owes once the return is made (schema 220). */
  owedAfter: number;
}

/**
 * The tier step the purchase caused, and the tier the member lands on, when without the returned
 * spend (and, for the purchase's last fen, its visit) they no longer reach their tier
 * (tierAfterReturn).
 */
function stepUndone(deps: ServiceDeps, p: Purchase, plan: ReturnPlan, now: number): { step: TierChangeRow; to: TierCode } | null {
  const step = tierChangeOfOp(deps.db, p.member.id, p.op.id);
  if (!step) return null;
  const { tz } = deps.identity;
  const window = monthsBack(now, tz, deps.rules.tierWindowMonths);
  const month = monthKey(p.op.at, tz);
  const months = memberMonths(deps.db, p.member.id, window[0] ?? monthKey(now, tz)).map((m) =>
    m.month === month ? { ...m, visits: Math.max(0, m.visits - (plan.completes ? 1 : 0)), spendFen: Math.max(0, m.spendFen - plan.amountFen) } : m,
  );
  const evaluated = evaluateTier(deps.rules, months, now, tz);
  const to = tierAfterReturn({ from: step.from_tier as TierCode, to: step.to_tier as TierCode }, p.member.tier, evaluated.tier);
  return to === null ? null : { step, to };
}

export function planReturnOf(deps: ServiceDeps, ask: ReturnAsk, now: number): PlannedReturn {
  const purchase = requirePurchase(deps, ask.opId, ask.memberId);
  const window = checkReturnWindow(deps.rules, purchase.op, now, operatingDay(deps, now).date);
  if (window) refused(window);
  const plan = planReturn(purchase.lines, purchase.previous, requestOf(ask));
  if (!plan.ok) refused(plan);
  const lots = memberLots(deps.db, purchase.member.id);
  const ownLotId = purchaseLotId(deps.db, purchase.member.id, purchase.op.id);
  const { allocations, shortfall: spent } = planTakeBack(lots, ownLotId, plan.points, now);
  // Where HQ's rules allow it, what was spent is owed, up to the limit (oweShortfall).
  const owedBefore = pointsOwed(deps.db, purchase.member.id);
  const owing = oweShortfall(deps.rules, owedBefore, spent);
  const shortfall = owing.shortfall;
  const takenBack = plan.points - shortfall;
  const pointsBefore = availablePoints(lots, now) - owedBefore;
  const taken = new Map(allocations.map((a) => [a.lotId, a.points]));
  const pointsAfter = availablePoints(lots.map((l) => ({ ...l, remaining: l.remaining - (taken.get(l.id) ?? 0) })), now) - owing.owed;
  const undoStep = stepUndone(deps, purchase, plan, now);
  return {
    purchase, plan, allocations, ownLotId, undoStep, now,
    amountFen: plan.amountFen,
    points: plan.points,
    takenBack,
    shortfall,
    owed: owing.added,
    owedAfter: owing.owed,
    pointsBefore,
    pointsAfter,
    tierChange: undoStep && { from: purchase.member.tier, to: undoStep.to, reason: RETURN_REVERSAL },
    lines: plan.lines.map((l) => ({ category: l.category, amountFen: l.amountFen, points: l.points })),
  };
}

export const RETURN_REVERSAL = 'RETURN_REVERSAL';

/** What the desk shows of a planned return (the quote and the result alike). */
export const returnView = (r: PlannedReturn): ReturnPlanView => ({
  amountFen: r.amountFen, points: r.points, takenBack: r.takenBack, shortfall: r.shortfall, owed: r.owed, pointsBefore: r.pointsBefore,
  pointsAfter: r.pointsAfter, tierChange: r.tierChange, lines: r.lines,
});

/**
 * points.returnQuote: the purchase, what of it is left to return and by when; with an amount, lines or
 * `whole`, also what that return would do. A purchase that cannot come back says why in `refusal`;
 * a return asked for that cannot be made is its typed error.
 */
export function returnQuote(deps: ServiceDeps, ask: ReturnAsk & { whole?: boolean | undefined }): ReturnQuote {
  return deps.db.transaction((): ReturnQuote => {
    const now = deps.clock();
    const p = requirePurchase(deps, ask.opId, ask.memberId);
    const returnedFen = p.previous.reduce((s, l) => s + l.amountFen, 0);
    const asked = ask.whole === true || ask.amountFen !== undefined || ask.lines !== undefined;
    let refusal: ReturnQuote['refusal'] = null;
    let plan: ReturnPlanView | null = null;
    const window = checkReturnWindow(deps.rules, p.op, now, operatingDay(deps, now).date);
    if (window) refusal = { code: window.reason, params: window.params };
    else if (returnedFen >= (p.op.amountFen ?? 0)) refusal = { code: 'RETURN_EXCEEDS_PURCHASE', params: { requestedFen: 0, remainingFen: 0 } };
    if (asked) plan = returnView(planReturnOf(deps, ask, now));
    return {
      opId: p.op.id,
      memberId: p.member.id,
      at: p.op.at,
      businessDate: p.op.businessDate,
      amountFen: p.op.amountFen ?? 0,
      points: p.op.points,
      returnedFen,
      lines: p.lines.map((l, i) => ({
        category: l.category,
        amountFen: l.amountFen,
        returnedFen: p.previous.filter((r) => r.line === i).reduce((s, r) => s + r.amountFen, 0),
        points: l.points,
      })),
      returnBy: p.op.at + deps.rules.returns.windowDays * DAY_MS,
      refusal,
      plan,
    };
  })();
}

/** points.purchases: the member's purchases here still inside the return window, each as its quote (the desk's 退货 list). */
export function memberPurchases(deps: ServiceDeps, memberId: string): ReturnQuote[] {
  return deps.db.transaction((): ReturnQuote[] => {
    requireMember(deps, memberId);
    const since = deps.clock() - deps.rules.returns.windowDays * DAY_MS;
    return purchasesSince(deps.db, memberId, since, 20).map((opId) => returnQuote(deps, { opId, memberId }));
  })();
}

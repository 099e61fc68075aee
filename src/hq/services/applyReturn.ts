// HQ's side of a return (退货, docs/returns.md): what the terminal says a return took back is only a
// claim. HQ finds the purchase in its own record (of this store and this member, applied, not voided,
// a later business day, within the window), works out the returned part and its points with the same
// pure function the terminal uses (src/loyalty/returns.ts) from what HQ gave that purchase and what
// earlier returns took, and applies that. A return HQ cannot stand behind is refused with a reason.
import { earnUndoFacts } from '../../loyalty/earnDetail';
import { earnPoints } from '../../loyalty/points';
import { oweShortfall, planReturn, shareLinePoints, tierAfterReturn, type PurchasedLine, type ReturnPlan, type ReturnRequest } from '../../loyalty/returns';
import { tierCodeSchema } from '../../loyalty/schemas';
import { evaluateTier } from '../../loyalty/tiers';
import { DAY_MS, monthKey } from '../../loyalty/time';
import { ALLOWED_SKEW_MS } from '../../sync/protocol';
import type { BatchState, MemberState, OpRow } from './applyOperation';
import { addMonth, burnOldest } from './memberState';
import type { HqOp } from './readEvent';

export interface HqReturn {
  target: OpRow;
  plan: ReturnPlan;
}

/** The purchase's lines with the points HQ gave each (its own computation, split as HQ applied it). */
function purchasedLinesAtHq(state: BatchState, member: MemberState, target: OpRow): PurchasedLine[] {
  const earn = target.payload;
  const version = earn.rulesVersion === null ? undefined : state.rulesByVersion.get(earn.rulesVersion);
  const rules = version?.rules ?? state.rules;
  const lines = earn.lines.length > 0 ? earn.lines : [{ category: '', amountFen: earn.amountFen ?? 0 }];
  const computed = earnPoints(rules, lines, { now: earn.at, tz: state.tz, birthday: member.birthday });
  const shares = shareLinePoints(computed.lines.map((l) => l.points), Math.max(0, target.points));
  return lines.map((l, i) => ({ category: l.category, amountFen: l.amountFen, points: shares[i]! }));
}

function requestOf(op: HqOp): ReturnRequest | null {
  const mode = op.detail.mode;
  if (mode === 'whole') return { mode };
  if (mode === 'amount' && op.amountFen !== null && op.amountFen > 0) return { mode, amountFen: op.amountFen };
  if (mode === 'lines' && op.lines.length > 0 && op.lines.every((l) => l.amountFen > 0)) return { mode, lines: op.lines };
  return null;
}

/** What HQ would take back for `op`, or why it is refused (the conflict's `problem`). */
export function planHqReturn(state: BatchState, member: MemberState, op: HqOp): HqReturn | { problem: string } {
  const target = op.targetOpId === null ? undefined : state.ops.get(op.targetOpId);
  if (!target) return { problem: 'unknown' };
  if (target.storeId !== op.storeId) return { problem: 'other_store' };
  if (target.memberId !== op.memberId) return { problem: 'other_member' };
  if (target.kind !== 'earn') return { problem: 'not_purchase' };
  if (target.status !== 'applied') return { problem: 'refused' };
  if (target.voidedBy !== null) return { problem: 'voided' };
  // A same-day purchase is voided, not returned (the terminal refuses it as RETURN_SAME_DAY).
  if (op.businessDate <= target.payload.businessDate) return { problem: 'same_day' };
  if (op.at - target.at > state.rules.returns.windowDays * DAY_MS + ALLOWED_SKEW_MS) return { problem: 'window_passed' };
  const request = requestOf(op);
  if (!request) return { problem: 'request' };
  const plan = planReturn(purchasedLinesAtHq(state, member, target), state.returned.get(target.id) ?? [], request);
  if (!plan.ok) return { problem: plan.reason === 'RETURN_CATEGORY_NOT_IN_PURCHASE' ? 'category' : 'exceeds_purchase' };
  return { target, plan };
}

type Flag = (kind: 'points_recomputed' | 'return_shortfall' | 'tier_not_confirmed', decision: 'applied_as_hq' | 'recorded', detail: Record<string, string | number | null>) => void;

/**
 * Applies the return HQ planned to the member: the points from the purchase's lot first, then oldest
 * first, never below zero (the shortfall is recorded); the spend (and with the last fen the visit)
 * out of the purchase's month; the purchase's tier step undone when the member no longer reaches it.
 * `op` is rewritten to HQ's figures, so its stored payload is what HQ did.
 */
export function applyReturn(state: BatchState, member: MemberState, op: HqOp, r: HqReturn, flag: Flag): void {
  const { target, plan } = r;
  let back = plan.points;
  let lots = member.lots.map((l) => {
    if (l.key !== target.id || back === 0) return l;
    const take = Math.min(back, l.remaining);
    back -= take;
    return { ...l, remaining: l.remaining - take };
  });
  let shortfall = 0;
  if (back > 0) {
    const burned = burnOldest(lots, back, op.at);
    lots = burned.lots;
    shortfall = burned.shortfall;
  }
  // Where HQ's rules allow it, the member owes what was spent, up to the limit (oweShortfall).
  const owing = oweShortfall(state.rules, member.owed, shortfall);
  if (owing.shortfall > 0) {
    flag('return_shortfall', 'recorded', { purchase: target.id, points: plan.points, takenBack: plan.points - shortfall, shortfall: owing.shortfall, owed: owing.added });
  }
  shortfall = owing.shortfall;
  const months = addMonth(member.months, monthKey(target.at, state.tz), plan.completes ? -1 : 0, -plan.amountFen);
  let { tier, grants } = member;
  let tierSince: number | null = null;
  const undo = earnUndoFacts(target.payload.detail);
  const current = tierCodeSchema.safeParse(tier);
  let undone: { from: string; to: string } | null = null;
  if (undo.tierChange && current.success) {
    const to = tierAfterReturn(undo.tierChange, current.data, evaluateTier(state.rules, months, op.at, state.tz).tier);
    if (to !== null) {
      // The same as the terminal (returnPurchase.ts): the step's unused welcome gifts go with it.
      const reason = `tier:${undo.tierChange.to}`;
      undone = { from: current.data, to };
      tier = to;
      tierSince = to === undo.tierChange.from ? (undo.before?.tierSince ?? op.at) : target.at;
      grants = grants.filter((g) => !(g.reason === reason && g.grantedAt === target.at && g.usedOpId === null));
    }
  }
  const claimed = (op.detail.tierChange as { to?: unknown } | undefined)?.to;
  if ((claimed ?? null) !== (undone?.to ?? null)) {
    flag('tier_not_confirmed', 'applied_as_hq', { claimed: typeof claimed === 'string' ? claimed.slice(0, 40) : null, applied: undone?.to ?? tier });
  }
  const claimedPoints = op.points;
  const applied = -(plan.points - shortfall);
  member.owed = owing.owed;
  if (claimedPoints !== applied) flag('points_recomputed', 'applied_as_hq', { claimed: claimedPoints, applied });
  op.amountFen = plan.amountFen;
  op.points = applied;
  op.detail = { ...op.detail, returned: plan.lines, pointsReturned: plan.points, shortfall, owed: owing.added };
  delete op.detail.tierChange;
  if (undone) op.detail.tierChange = undone;
  state.returned.set(target.id, [...(state.returned.get(target.id) ?? []), ...plan.lines]);
  Object.assign(member, { lots, months, grants, tier, changed: true });
  if (tierSince !== null) Object.assign(member, { tierSince, tierSinceNow: tierSince });
}

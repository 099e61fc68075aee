// Returns (退货): which part of a purchase comes back and how many of its points go with it. The
// terminal plans a return with this and HQ re-derives it with the same function from its own record
// of the purchase, so both take back the same points (docs/returns.md).
//
// Points follow the purchase's lines: each line holds the points it earned, and the points of a line
// taken back so far are floor(linePoints × returnedFen / lineFen) of everything returned of it — a
// cumulative figure, so returning a purchase in parts never takes back more (or, at the end, fewer)
// points than returning it whole.
import { z } from 'zod';
import { availablePoints, planBurn, type BurnAllocation } from './points';
import { refuse, type Refusal } from './refusal';
import { DAY_MS } from './time';
import { tierRank } from './tiers';
import type { EpochMs, Fen, LoyaltyRules, PointsLot, PurchaseLine, TierCode } from './types';

/** A line of the purchase as the return sees it: its amount and the points it earned. */
export interface PurchasedLine {
  category: string;
  amountFen: Fen;
  points: number;
}

/** What one return took of one purchase line (`line` is the index in the purchase). */
export interface ReturnedLine {
  line: number;
  category: string;
  amountFen: Fen;
  points: number;
}

const returnedLinesSchema = z.array(
  z.object({ line: z.int().min(0), category: z.string().max(40), amountFen: z.int().min(0), points: z.int().min(0) }),
);

/** The lines a stored return's detail says it took (`detail.returned`); none when it does not parse. */
export function returnedLinesOf(detail: unknown): ReturnedLine[] {
  const parsed = returnedLinesSchema.safeParse((detail as { returned?: unknown } | null)?.returned);
  return parsed.success ? parsed.data : [];
}

export type ReturnRequest =
  | { mode: 'whole' }
  | { mode: 'amount'; amountFen: Fen }
  | { mode: 'lines'; lines: PurchaseLine[] };

export interface ReturnPlan {
  ok: true;
  /** The lines this return takes, in purchase order (lines it leaves alone are not listed). */
  lines: ReturnedLine[];
  amountFen: Fen;
  points: number;
  /** Every fen of the purchase is back once this return is made. */
  completes: boolean;
}

/**
 * Splits the points a purchase was given (HQ may have capped them below what its lines computed)
 * over its lines in proportion to the lines' own points; the remainder goes to the first lines.
 */
export function shareLinePoints(linePoints: number[], applied: number): number[] {
  const total = linePoints.reduce((s, p) => s + p, 0);
  if (total === applied) return [...linePoints];
  if (total <= 0 || applied <= 0) return linePoints.map(() => 0);
  const shares = linePoints.map((p) => Number((BigInt(applied) * BigInt(p)) / BigInt(total)));
  let left = applied - shares.reduce((s, p) => s + p, 0);
  for (let i = 0; i < shares.length && left > 0; i++) {
    if (linePoints[i]! > 0) {
      shares[i]! += 1;
      left -= 1;
    }
  }
  return shares;
}

/** Fen of each line already returned by earlier returns. */
function returnedSoFar(purchase: PurchasedLine[], previous: ReturnedLine[]): number[] {
  const done = purchase.map(() => 0);
  for (const r of previous) if (r.line >= 0 && r.line < done.length) done[r.line]! += r.amountFen;
  return done;
}

/** `amountFen` over the lines in proportion to what is left of each (floor, the rest in line order). */
function spread(left: number[], amountFen: number): number[] {
  const total = left.reduce((s, f) => s + f, 0);
  const parts = left.map((f) => (total === 0 ? 0 : Number((BigInt(amountFen) * BigInt(f)) / BigInt(total))));
  let rest = amountFen - parts.reduce((s, f) => s + f, 0);
  for (let i = 0; i < parts.length && rest > 0; i++) {
    const room = left[i]! - parts[i]!;
    const take = Math.min(room, rest);
    parts[i]! += take;
    rest -= take;
  }
  return parts;
}

/** Named categories onto the purchase's lines of that category, first line first. */
function byCategory(purchase: PurchasedLine[], left: number[], lines: PurchaseLine[]): number[] | Refusal {
  const parts = purchase.map(() => 0);
  for (const want of lines) {
    const idx = purchase.flatMap((l, i) => (l.category === want.category ? [i] : []));
    if (idx.length === 0) return refuse('RETURN_CATEGORY_NOT_IN_PURCHASE', { category: want.category });
    const room = idx.reduce((s, i) => s + left[i]! - parts[i]!, 0);
    if (want.amountFen > room) return refuse('RETURN_EXCEEDS_PURCHASE', { requestedFen: want.amountFen, remainingFen: room, category: want.category });
    let rest = want.amountFen;
    for (const i of idx) {
      const take = Math.min(left[i]! - parts[i]!, rest);
      parts[i]! += take;
      rest -= take;
    }
  }
  return parts;
}

const cumulativePoints = (line: PurchasedLine, fen: number): number =>
  line.amountFen <= 0 ? 0 : Number((BigInt(line.points) * BigInt(Math.min(fen, line.amountFen))) / BigInt(line.amountFen));

/** The return `request` of `purchase`, after the `previous` returns of it; or why it cannot be. */
export function planReturn(purchase: PurchasedLine[], previous: ReturnedLine[], request: ReturnRequest): ReturnPlan | Refusal {
  const done = returnedSoFar(purchase, previous);
  const left = purchase.map((l, i) => Math.max(0, l.amountFen - done[i]!));
  const remainingFen = left.reduce((s, f) => s + f, 0);
  let parts: number[];
  if (request.mode === 'whole') {
    if (remainingFen === 0) return refuse('RETURN_EXCEEDS_PURCHASE', { requestedFen: 0, remainingFen: 0 });
    parts = left;
  } else if (request.mode === 'amount') {
    if (!Number.isSafeInteger(request.amountFen) || request.amountFen <= 0) throw new RangeError(`a return's amount must be a positive integer, got ${request.amountFen}`);
    if (request.amountFen > remainingFen) return refuse('RETURN_EXCEEDS_PURCHASE', { requestedFen: request.amountFen, remainingFen });
    parts = spread(left, request.amountFen);
  } else {
    const requested = request.lines.reduce((s, l) => s + l.amountFen, 0);
    if (request.lines.length === 0 || request.lines.some((l) => !Number.isSafeInteger(l.amountFen) || l.amountFen <= 0)) {
      throw new RangeError('a return names at least one line, each of a positive integer amount');
    }
    const placed = byCategory(purchase, left, request.lines);
    if (!Array.isArray(placed)) return placed;
    if (requested > remainingFen) return refuse('RETURN_EXCEEDS_PURCHASE', { requestedFen: requested, remainingFen });
    parts = placed;
  }
  const lines = purchase.flatMap((line, i): ReturnedLine[] => {
    const fen = parts[i]!;
    if (fen === 0) return [];
    const points = cumulativePoints(line, done[i]! + fen) - cumulativePoints(line, done[i]!);
    return [{ line: i, category: line.category, amountFen: fen, points }];
  });
  const amountFen = lines.reduce((s, l) => s + l.amountFen, 0);
  return { ok: true, lines, amountFen, points: lines.reduce((s, l) => s + l.points, 0), completes: amountFen === remainingFen };
}

/**
 * The tier after a return, when the purchase's own tier step (`from` → `to`) is undone: the member
 * is on a tier that step reached and, without the returned part, is evaluated below it. They land on
 * what they still reach, never below where the step started; null when the tier stands. A later
 * step (above `to`) stands, as a void leaves one.
 */
export function tierAfterReturn(step: { from: TierCode; to: TierCode }, current: TierCode, evaluated: TierCode): TierCode | null {
  const rank = tierRank(current);
  if (rank <= tierRank(step.from) || rank > tierRank(step.to) || tierRank(evaluated) >= rank) return null;
  return tierRank(evaluated) > tierRank(step.from) ? evaluated : step.from;
}

/**
 * A purchase comes back on a later business day within the rules' window (a same-day purchase is
 * voided instead: the void undoes it whole, visit and all, as if it never happened).
 */
export function checkReturnWindow(
  rules: LoyaltyRules,
  purchase: { at: EpochMs; businessDate: string },
  now: EpochMs,
  today: string,
): Refusal | null {
  if (purchase.businessDate >= today) return refuse('RETURN_SAME_DAY', { date: purchase.businessDate });
  const days = rules.returns.windowDays;
  if (now - purchase.at > days * DAY_MS) return refuse('RETURN_WINDOW_PASSED', { days, date: purchase.businessDate });
  return null;
}

/**
 * Which lots give back `points`: the lot the purchase created first, then the member's other points
 * oldest first, never below zero. What no lot holds any more (spent already) is the shortfall,
 * recorded for the manager rather than taken from future points.
 */
export function planTakeBack(
  lots: PointsLot[],
  ownLotId: number | null,
  points: number,
  now: EpochMs,
): { allocations: BurnAllocation[]; shortfall: number } {
  const own = ownLotId === null ? undefined : lots.find((l) => l.id === ownLotId);
  const fromOwn = Math.min(points, own?.remaining ?? 0);
  const allocations: BurnAllocation[] = fromOwn > 0 ? [{ lotId: own!.id, points: fromOwn }] : [];
  const others = lots.filter((l) => l.id !== own?.id);
  const rest = Math.min(points - fromOwn, availablePoints(others, now));
  if (rest > 0) {
    const plan = planBurn(others, rest, now);
    if (plan.ok) allocations.push(...plan.allocations);
  }
  const taken = allocations.reduce((s, a) => s + a.points, 0);
  return { allocations, shortfall: points - taken };
}

/**
 * The part of a return's shortfall the member owes instead (rules.returns): none by default; with
 * allowNegative, up to negativeLimitPoints less what they owe already, so the balance (points less
 * what is owed) never goes below minus the limit. What is not owed stays the recorded shortfall.
 */
export function oweShortfall(rules: LoyaltyRules, owed: number, shortfall: number): { owed: number; added: number; shortfall: number } {
  const { allowNegative, negativeLimitPoints } = rules.returns;
  const room = allowNegative ? Math.max(0, negativeLimitPoints - owed) : 0;
  const added = Math.max(0, Math.min(room, shortfall));
  return { owed: owed + added, added, shortfall: shortfall - added };
}

/**
 * Points owed are repaid from the first points the member has again (an earn's lot, points a void
 * gives back), oldest first, so a member never holds spendable points while owing: which lots pay
 * and how much is repaid.
 */
export function planRepayment(lots: PointsLot[], owed: number, now: EpochMs): { allocations: BurnAllocation[]; repaid: number } {
  const repaid = Math.min(owed, availablePoints(lots, now));
  if (repaid <= 0) return { allocations: [], repaid: 0 };
  const plan = planBurn(lots, repaid, now);
  return plan.ok ? { allocations: plan.allocations, repaid } : { allocations: [], repaid: 0 };
}

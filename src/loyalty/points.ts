// Points: earning with promotional multipliers, lots that expire, and burning oldest first.
import { refuse } from './refusal';
import type { Refusal } from './refusal';
import { addMonthsUtc, DAY_MS, localParts } from './time';
import type { EpochMs, Fen, LoyaltyRules, MonthDay, PointsLot, PurchaseLine } from './types';

export interface BurnAllocation {
  lotId: number;
  points: number;
}

export interface EarnedLine {
  category: string;
  amountFen: Fen;
  categoryMultiplier: number;
  points: number;
}

export interface EarnResult {
  points: number;
  promoMultiplier: number;
  birthday: boolean;
  memberDay: boolean;
  lines: EarnedLine[];
}

export function lotExpiry(earnedAt: EpochMs, rules: LoyaltyRules): EpochMs {
  return addMonthsUtc(earnedAt, rules.points.lotLifetimeMonths);
}

export function isBirthdayMonth(birthday: MonthDay | null, now: EpochMs, tz: string): boolean {
  return birthday !== null && localParts(now, tz).month === birthday.month;
}

export function isMemberDay(rules: LoyaltyRules, now: EpochMs, tz: string): boolean {
  return localParts(now, tz).day === rules.points.memberDayOfMonth;
}

/**
 * Points are floored (never rounded up: a point is only earned by a whole yuan's worth).
 * Multipliers such as 1.1 are not exact in binary, so a product that should be a whole number can
 * land a hair below it (0.57 × 100 = 56.99999…); snap such near-integers before flooring.
 */
function floorPoints(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x))) return r;
  return Math.floor(x);
}

function categoryMultiplier(rules: LoyaltyRules, category: string): number {
  // Own keys only: a category named "constructor" must not find Object.prototype's.
  const table = rules.points.categoryMultipliers;
  return Object.hasOwn(table, category) ? (table[category] ?? 1) : 1;
}

/**
 * Points for a purchase: per line floor(amountFen × pointsPerYuan × categoryMultiplier × promo / 100).
 * Flooring per line (not on the total) keeps each receipt line's points explainable on its own.
 * A line of zero or negative amount (a return, a discount line) earns 0 rather than taking points
 * back: reversing points is a void's job, not an earn's.
 */
export function earnPoints(
  rules: LoyaltyRules,
  lines: PurchaseLine[],
  ctx: { now: EpochMs; tz: string; birthday: MonthDay | null },
): EarnResult {
  const p = rules.points;
  const birthday = isBirthdayMonth(ctx.birthday, ctx.now, ctx.tz);
  const memberDay = isMemberDay(rules, ctx.now, ctx.tz);
  const applying: number[] = [];
  if (birthday) applying.push(p.birthdayMultiplier);
  if (memberDay) applying.push(p.memberDayMultiplier);
  const promoMultiplier =
    applying.length === 0
      ? 1
      : p.promoStacking === 'max'
        ? Math.max(...applying)
        : applying.reduce((a, b) => a * b, 1);

  const earned = lines.map((line): EarnedLine => {
    const cat = categoryMultiplier(rules, line.category);
    const points =
      line.amountFen > 0 ? floorPoints((line.amountFen * p.pointsPerYuan * cat * promoMultiplier) / 100) : 0;
    return { category: line.category, amountFen: line.amountFen, categoryMultiplier: cat, points };
  });
  return {
    points: earned.reduce((sum, l) => sum + l.points, 0),
    promoMultiplier,
    birthday,
    memberDay,
    lines: earned,
  };
}

/** A lot is usable while now < expiresAt: at the instant it expires it is gone. */
function usable(lot: PointsLot, now: EpochMs): boolean {
  return lot.remaining > 0 && lot.expiresAt > now;
}

export function availablePoints(lots: PointsLot[], now: EpochMs): number {
  return lots.reduce((sum, lot) => (usable(lot, now) ? sum + lot.remaining : sum), 0);
}

/**
 * Which lots pay for `points`: oldest earned first (ties by lower id, so the plan is stable), expired
 * lots skipped. A non-positive or fractional amount is a caller bug (inputs are parsed with .int()
 * at the boundary, and the exchange checks refuse such amounts first), so it throws.
 */
export function planBurn(
  lots: PointsLot[],
  points: number,
  now: EpochMs,
): { ok: true; allocations: BurnAllocation[] } | Refusal {
  if (!Number.isSafeInteger(points) || points <= 0) {
    throw new RangeError(`points to burn must be a positive integer, got ${points}`);
  }
  const available = availablePoints(lots, now);
  if (available < points) return refuse('INSUFFICIENT_POINTS', { needed: points, available });

  const ordered = lots.filter((l) => usable(l, now)).sort((a, b) => a.earnedAt - b.earnedAt || a.id - b.id);
  const allocations: BurnAllocation[] = [];
  let left = points;
  for (const lot of ordered) {
    if (left === 0) break;
    const take = Math.min(lot.remaining, left);
    allocations.push({ lotId: lot.id, points: take });
    left -= take;
  }
  return { ok: true, allocations };
}

/** Unexpired lots that expire within `days` days of now (inclusive), soonest first. */
export function expiringSoon(
  lots: PointsLot[],
  now: EpochMs,
  days: number,
): { total: number; lots: { lotId: number; expiresAt: EpochMs; points: number }[] } {
  const horizon = now + days * DAY_MS;
  const soon = lots
    .filter((l) => usable(l, now) && l.expiresAt <= horizon)
    .sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id)
    .map((l) => ({ lotId: l.id, expiresAt: l.expiresAt, points: l.remaining }));
  return { total: soon.reduce((sum, l) => sum + l.points, 0), lots: soon };
}

/** Lots whose remaining points must be written off: expiresAt <= now (expiry is exclusive). */
export function expiredLots(lots: PointsLot[], now: EpochMs): { lotId: number; points: number }[] {
  return lots
    .filter((l) => l.remaining > 0 && l.expiresAt <= now)
    .sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id)
    .map((l) => ({ lotId: l.id, points: l.remaining }));
}

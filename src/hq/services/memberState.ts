// Pure changes to one member's state at HQ (lots, months, grants): HQ's own burn order, so HQ
// decides what a burn takes no matter what the terminal's local lot ids were.
import type { MemberData } from '../../sync/protocolEntities';

type Lot = MemberData['lots'][number];

export interface BurnResult {
  lots: Lot[];
  burned: { key: string; points: number }[];
  shortfall: number;
}

/** Burns oldest first from lots not expired at `at`; whatever is missing is the shortfall. */
export function burnOldest(lots: Lot[], points: number, at: number): BurnResult {
  const next = lots.map((l) => ({ ...l }));
  const order = next
    .map((l, i) => ({ l, i }))
    .filter(({ l }) => l.remaining > 0 && l.expiresAt > at)
    .sort((a, b) => a.l.earnedAt - b.l.earnedAt || (a.l.key < b.l.key ? -1 : 1));
  const burned: BurnResult['burned'] = [];
  let left = points;
  for (const { l } of order) {
    if (left <= 0) break;
    const take = Math.min(left, l.remaining);
    l.remaining -= take;
    left -= take;
    burned.push({ key: l.key, points: take });
  }
  return { lots: next, burned, shortfall: left };
}

/** Gives burned points back to the lots they came from (never above a lot's size). */
export function restore(lots: Lot[], burned: { key: string; points: number }[]): Lot[] {
  const back = new Map(burned.map((b) => [b.key, b.points]));
  return lots.map((l) => (back.has(l.key) ? { ...l, remaining: Math.min(l.points, l.remaining + back.get(l.key)!) } : l));
}

type Usage = NonNullable<MemberData['usage']>;

/**
 * One more (or, for a void, one less) use of `benefitId` on business day `day`: the brand-wide count
 * terminals pull with the member. The day count follows the latest day a redemption fell on.
 */
export function countUse(usage: Usage, benefitId: string, day: string, at: number, delta: 1 | -1): Usage {
  const found = usage.find((u) => u.benefitId === benefitId);
  const u = found ?? { benefitId, total: 0, day: null, dayCount: 0, lastAt: null };
  const next =
    delta === 1
      ? { ...u, total: u.total + 1, day: u.day !== null && u.day > day ? u.day : day, dayCount: u.day === day ? u.dayCount + 1 : u.day !== null && u.day > day ? u.dayCount : 1, lastAt: Math.max(u.lastAt ?? at, at) }
      : { ...u, total: Math.max(0, u.total - 1), dayCount: u.day === day ? Math.max(0, u.dayCount - 1) : u.dayCount };
  return found ? usage.map((x) => (x === found ? next : x)) : [...usage, next];
}

export function addMonth(months: MemberData['months'], month: string, visits: number, spendFen: number): MemberData['months'] {
  const found = months.some((m) => m.month === month);
  const next = found
    ? months.map((m) => (m.month === month ? { month, visits: Math.max(0, m.visits + visits), spendFen: Math.max(0, m.spendFen + spendFen) } : m))
    : [...months, { month, visits: Math.max(0, visits), spendFen: Math.max(0, spendFen) }];
  return next.sort((a, b) => (a.month < b.month ? -1 : 1));
}

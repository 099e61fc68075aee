import { describe, expect, it } from 'vitest';
import {
  availablePoints,
  earnPoints,
  expiredLots,
  expiringSoon,
  isBirthdayMonth,
  isMemberDay,
  lotExpiry,
  planBurn,
} from '../../src/loyalty/points';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import type { LoyaltyRules, MonthDay, PointsLot, PurchaseLine } from '../../src/loyalty/types';

const R = DEFAULT_RULES;
const SH = 'Asia/Shanghai';
const t = (iso: string): number => Date.parse(iso);
const DAY = 86_400_000;

describe('lotExpiry', () => {
  it.each([
    ['2026-03-10T04:00:00.000Z', '2027-03-10T04:00:00.000Z'],
    ['2028-02-29T04:00:00.000Z', '2029-02-28T04:00:00.000Z'],
  ])('%s → %s', (earned, expires) => {
    expect(new Date(lotExpiry(t(earned), R)).toISOString()).toBe(expires);
  });
});

describe('isBirthdayMonth / isMemberDay across the Shanghai/UTC date line', () => {
  const feb: MonthDay = { month: 2, day: 14 };
  const jan: MonthDay = { month: 1, day: 3 };
  it.each([
    ['2026-01-31T17:00:00Z', SH, feb, true],
    ['2026-01-31T17:00:00Z', 'UTC', feb, false],
    ['2026-01-31T17:00:00Z', SH, jan, false],
    ['2026-01-31T17:00:00Z', 'UTC', jan, true],
    ['2026-01-31T15:59:59Z', SH, jan, true],
    ['2026-01-31T17:00:00Z', SH, null, false],
  ] as [string, string, MonthDay | null, boolean][])('%s in %s, birthday %j → %s', (at, tz, bday, expected) => {
    expect(isBirthdayMonth(bday, t(at), tz)).toBe(expected);
  });

  it.each([
    ['2026-03-07T16:00:00Z', SH, true], // 00:00 on the 8th in Shanghai
    ['2026-03-07T15:59:59Z', SH, false],
    ['2026-03-08T15:59:59Z', SH, true],
    ['2026-03-08T16:00:00Z', SH, false],
    ['2026-03-07T16:00:00Z', 'UTC', false],
    ['2026-03-08T23:00:00Z', 'UTC', true],
  ])('member day at %s in %s → %s', (at, tz, expected) => {
    expect(isMemberDay(R, t(at), tz)).toBe(expected);
  });
});

describe('earnPoints', () => {
  const ORDINARY = t('2026-03-10T04:00:00Z'); // not the 8th, March
  const MEMBER_DAY = t('2026-03-08T04:00:00Z');
  const MAR_BDAY: MonthDay = { month: 3, day: 20 };
  const OTHER_BDAY: MonthDay = { month: 7, day: 1 };
  const lines: PurchaseLine[] = [
    { category: 'food', amountFen: 12_345 }, // ¥123.45
    { category: 'cosmetics', amountFen: 10_050 }, // ×2
    { category: 'gift_card', amountFen: 50_000 }, // ×0
  ];
  const multiply: LoyaltyRules = { ...R, points: { ...R.points, promoStacking: 'multiply' } };

  it.each([
    ['ordinary day', R, ORDINARY, OTHER_BDAY, 1, false, false, [123, 201, 0]],
    ['no birthday on file', R, ORDINARY, null, 1, false, false, [123, 201, 0]],
    ['birthday month', R, ORDINARY, MAR_BDAY, 2, true, false, [246, 402, 0]],
    ['member day', R, MEMBER_DAY, OTHER_BDAY, 2, false, true, [246, 402, 0]],
    ['both, max stacking', R, MEMBER_DAY, MAR_BDAY, 2, true, true, [246, 402, 0]],
    ['both, multiply stacking', multiply, MEMBER_DAY, MAR_BDAY, 4, true, true, [493, 804, 0]],
    ['multiply with only one promo', multiply, MEMBER_DAY, OTHER_BDAY, 2, false, true, [246, 402, 0]],
  ] as [string, LoyaltyRules, number, MonthDay | null, number, boolean, boolean, number[]][])(
    '%s',
    (_, rules, now, birthday, promo, isBday, isMd, perLine) => {
      const r = earnPoints(rules, lines, { now, tz: SH, birthday });
      expect(r.promoMultiplier).toBe(promo);
      expect(r.birthday).toBe(isBday);
      expect(r.memberDay).toBe(isMd);
      expect(r.lines.map((l) => l.points)).toEqual(perLine);
      expect(r.lines.map((l) => l.categoryMultiplier)).toEqual([1, 2, 0]);
      expect(r.points).toBe(perLine.reduce((a, b) => a + b, 0));
    },
  );

  it('floors per line, not on the total', () => {
    const r = earnPoints(R, [
      { category: 'food', amountFen: 199 },
      { category: 'food', amountFen: 199 },
    ], { now: ORDINARY, tz: SH, birthday: null });
    expect(r.points).toBe(2); // 1 + 1, not floor(3.98) = 3
  });

  it.each([
    [99, 0],
    [100, 1],
    [0, 0],
    [-5_000, 0], // returns earn nothing here; a void reverses points
  ])('%d fen earns %d', (amountFen, points) => {
    expect(earnPoints(R, [{ category: 'food', amountFen }], { now: ORDINARY, tz: SH, birthday: null }).points).toBe(points);
  });

  it('does not find Object.prototype members as categories, and snaps float multipliers', () => {
    const rules: LoyaltyRules = { ...R, points: { ...R.points, categoryMultipliers: { tea: 0.57 } } };
    const r = earnPoints(rules, [
      { category: 'constructor', amountFen: 1_000 },
      { category: 'tea', amountFen: 10_000 }, // 0.57 × 100 is 56.99999… in binary
    ], { now: ORDINARY, tz: SH, birthday: null });
    expect(r.lines.map((l) => [l.categoryMultiplier, l.points])).toEqual([[1, 10], [0.57, 57]]);
  });

  it('never yields a fractional point', () => {
    const rules: LoyaltyRules = { ...R, points: { ...R.points, pointsPerYuan: 1.5, categoryMultipliers: { x: 1.1 } } };
    for (let amount = 1; amount < 3_000; amount += 37) {
      const r = earnPoints(rules, [{ category: 'x', amountFen: amount }], { now: MEMBER_DAY, tz: SH, birthday: null });
      expect(Number.isInteger(r.points)).toBe(true);
    }
  });
});

const NOW = t('2026-06-01T00:00:00Z');
const lot = (id: number, earnedAt: number, expiresAt: number, remaining: number): PointsLot => ({ id, earnedAt, expiresAt, remaining });
const LOTS: PointsLot[] = [
  lot(5, NOW - 100 * DAY, NOW + 265 * DAY, 300),
  lot(2, NOW - 300 * DAY, NOW + 65 * DAY, 100),
  lot(9, NOW - 366 * DAY, NOW, 999), // expires exactly now: gone
  lot(3, NOW - 300 * DAY, NOW + 65 * DAY, 50), // same earnedAt as lot 2: lot 2 goes first
  lot(7, NOW - 200 * DAY, NOW + 30 * DAY, 0), // spent
  lot(8, NOW - 330 * DAY, NOW + 1, 20), // expires one ms from now: still usable
  lot(4, NOW - 400 * DAY, NOW - DAY, 40), // expired yesterday
];

describe('availablePoints', () => {
  it('counts unexpired lots only (a lot expiring exactly now is expired)', () => {
    expect(availablePoints(LOTS, NOW)).toBe(470);
    expect(availablePoints(LOTS, NOW - 1)).toBe(470 + 999);
    expect(availablePoints([], NOW)).toBe(0);
  });
});

describe('planBurn', () => {
  it.each([
    [1, [{ lotId: 8, points: 1 }]],
    [20, [{ lotId: 8, points: 20 }]],
    [21, [{ lotId: 8, points: 20 }, { lotId: 2, points: 1 }]],
    [170, [{ lotId: 8, points: 20 }, { lotId: 2, points: 100 }, { lotId: 3, points: 50 }]],
    [470, [{ lotId: 8, points: 20 }, { lotId: 2, points: 100 }, { lotId: 3, points: 50 }, { lotId: 5, points: 300 }]],
  ])('%d points, oldest first', (points, allocations) => {
    expect(planBurn(LOTS, points, NOW)).toEqual({ ok: true, allocations });
  });

  it('refuses INSUFFICIENT_POINTS with needed and available', () => {
    expect(planBurn(LOTS, 471, NOW)).toEqual({ ok: false, reason: 'INSUFFICIENT_POINTS', params: { needed: 471, available: 470 } });
    expect(planBurn([], 1, NOW)).toEqual({ ok: false, reason: 'INSUFFICIENT_POINTS', params: { needed: 1, available: 0 } });
  });

  it.each([0, -5, 1.5, Number.NaN])('throws on %d points (a caller bug)', (points) => {
    expect(() => planBurn(LOTS, points, NOW)).toThrow(RangeError);
  });

  it('breaks a tie in earnedAt by the lower lot id, whatever the input order', () => {
    const same = NOW - 10 * DAY;
    const tied = [lot(12, same, NOW + DAY, 10), lot(11, same, NOW + DAY, 10)];
    expect(planBurn(tied, 15, NOW)).toEqual({ ok: true, allocations: [{ lotId: 11, points: 10 }, { lotId: 12, points: 5 }] });
  });

  it('does not mutate the lots it is given', () => {
    const copy = structuredClone(LOTS);
    planBurn(LOTS, 200, NOW);
    expect(LOTS).toEqual(copy);
  });
});

describe('expiringSoon', () => {
  it.each([
    [30, 20, [{ lotId: 8, expiresAt: NOW + 1, points: 20 }]],
    [64, 20, [{ lotId: 8, expiresAt: NOW + 1, points: 20 }]],
    // 65 days is inclusive: lots 2 and 3 expire exactly at the horizon.
    [65, 170, [
      { lotId: 8, expiresAt: NOW + 1, points: 20 },
      { lotId: 2, expiresAt: NOW + 65 * DAY, points: 100 },
      { lotId: 3, expiresAt: NOW + 65 * DAY, points: 50 },
    ]],
    [0, 0, []],
  ])('within %d days: %d points', (days, total, lots) => {
    expect(expiringSoon(LOTS, NOW, days)).toEqual({ total, lots });
  });
});

describe('expiredLots', () => {
  it('lists lots with points left whose expiry is at or before now', () => {
    expect(expiredLots(LOTS, NOW)).toEqual([
      { lotId: 4, points: 40 },
      { lotId: 9, points: 999 },
    ]);
    expect(expiredLots(LOTS, NOW - 1)).toEqual([{ lotId: 4, points: 40 }]);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { checkReturnWindow, planReturn, planTakeBack, shareLinePoints, tierAfterReturn, type PurchasedLine, type ReturnedLine, type ReturnRequest } from '../../src/loyalty/returns';
import { DAY_MS } from '../../src/loyalty/time';
import type { TierCode } from '../../src/loyalty/types';
import { mulberry32 } from '../../src/bench/prng';

const PURCHASE: PurchasedLine[] = [
  { category: 'cosmetics', amountFen: 30_000, points: 600 },
  { category: 'general', amountFen: 20_000, points: 200 },
  { category: 'gift_card', amountFen: 10_000, points: 0 },
];

function ok(purchase: PurchasedLine[], previous: ReturnedLine[], request: ReturnRequest) {
  const plan = planReturn(purchase, previous, request);
  if (!plan.ok) throw new Error(`refused: ${plan.reason}`);
  return plan;
}

describe('planReturn', () => {
  const cases: [string, ReturnRequest, number, number][] = [
    ['whole', { mode: 'whole' }, 60_000, 800],
    ['an amount, spread over the lines by what is left of each', { mode: 'amount', amountFen: 6_000 }, 6_000, 80],
    ['one line', { mode: 'lines', lines: [{ category: 'cosmetics', amountFen: 15_000 }] }, 15_000, 300],
    ['a line that earned nothing', { mode: 'lines', lines: [{ category: 'gift_card', amountFen: 10_000 }] }, 10_000, 0],
  ];
  it.each(cases)('returns %s', (_name, request, amountFen, points) => {
    const plan = ok(PURCHASE, [], request);
    expect(plan.amountFen).toBe(amountFen);
    expect(plan.points).toBe(points);
  });

  it('refuses more than is left, a category the purchase lacks, and a second whole return', () => {
    expect(planReturn(PURCHASE, [], { mode: 'amount', amountFen: 60_001 })).toMatchObject({ ok: false, reason: 'RETURN_EXCEEDS_PURCHASE', params: { remainingFen: 60_000 } });
    expect(planReturn(PURCHASE, [], { mode: 'lines', lines: [{ category: 'general', amountFen: 20_001 }] })).toMatchObject({ reason: 'RETURN_EXCEEDS_PURCHASE' });
    expect(planReturn(PURCHASE, [], { mode: 'lines', lines: [{ category: 'shoes', amountFen: 1 }] })).toMatchObject({ reason: 'RETURN_CATEGORY_NOT_IN_PURCHASE' });
    const all = ok(PURCHASE, [], { mode: 'whole' });
    expect(planReturn(PURCHASE, all.lines, { mode: 'whole' })).toMatchObject({ reason: 'RETURN_EXCEEDS_PURCHASE', params: { remainingFen: 0 } });
    expect(planReturn(PURCHASE, all.lines, { mode: 'amount', amountFen: 1 })).toMatchObject({ reason: 'RETURN_EXCEEDS_PURCHASE' });
  });

  it('in any number of generated parts, never takes back more than the purchase gave, and all of it at the end', () => {
    const rand = mulberry32(0x7e7);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(rand() * 4);
      const purchase = Array.from({ length: n }, (_, i) => ({
        category: ['a', 'b', 'c'][Math.floor(rand() * 3)]!,
        amountFen: 1 + Math.floor(rand() * 500_000),
        points: Math.floor(rand() * 10_000) * (i === 0 ? 1 : Math.round(rand())),
      }));
      const total = purchase.reduce((s, l) => s + l.amountFen, 0);
      const points = purchase.reduce((s, l) => s + l.points, 0);
      const previous: ReturnedLine[] = [];
      let returnedFen = 0;
      for (let step = 0; step < 20 && returnedFen < total; step++) {
        const left = total - returnedFen;
        const last = step === 19 || rand() < 0.15;
        const line = purchase[Math.floor(rand() * n)]!;
        const request: ReturnRequest = last
          ? { mode: 'whole' }
          : rand() < 0.5
            ? { mode: 'amount', amountFen: 1 + Math.floor(rand() * left) }
            : { mode: 'lines', lines: [{ category: line.category, amountFen: 1 + Math.floor(rand() * line.amountFen) }] };
        const plan = planReturn(purchase, previous, request);
        if (!plan.ok) {
          expect(plan.reason).toBe('RETURN_EXCEEDS_PURCHASE');
          continue;
        }
        expect(plan.lines.every((l) => l.amountFen > 0 && l.points >= 0)).toBe(true);
        previous.push(...plan.lines);
        returnedFen += plan.amountFen;
        const taken = previous.reduce((s, l) => s + l.points, 0);
        expect(taken).toBeLessThanOrEqual(points);
        if (plan.completes) expect(taken).toBe(points);
      }
      expect(returnedFen).toBeLessThanOrEqual(total);
    }
  });
});

describe('shareLinePoints', () => {
  it('keeps the lines’ own points when nothing was capped, and splits a capped total in proportion', () => {
    expect(shareLinePoints([600, 200, 0], 800)).toEqual([600, 200, 0]);
    expect(shareLinePoints([600, 200, 0], 400)).toEqual([300, 100, 0]);
    expect(shareLinePoints([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(shareLinePoints([0, 0], 5)).toEqual([0, 0]);
  });
});

describe('planTakeBack', () => {
  const now = Date.UTC(2026, 10, 23);
  const lots = [
    { id: 1, earnedAt: now - 100 * DAY_MS, expiresAt: now + 200 * DAY_MS, remaining: 50 },
    { id: 2, earnedAt: now - 5 * DAY_MS, expiresAt: now + 300 * DAY_MS, remaining: 30 },
  ];
  it('takes from the purchase’s own lot first, then oldest first, and never below zero', () => {
    expect(planTakeBack(lots, 2, 40, now)).toEqual({ allocations: [{ lotId: 2, points: 30 }, { lotId: 1, points: 10 }], shortfall: 0 });
    expect(planTakeBack(lots, 2, 100, now)).toEqual({ allocations: [{ lotId: 2, points: 30 }, { lotId: 1, points: 50 }], shortfall: 20 });
    expect(planTakeBack([], null, 10, now)).toEqual({ allocations: [], shortfall: 10 });
  });
});

describe('tierAfterReturn', () => {
  type Step = { from: TierCode; to: TierCode };
  const cases: [string, TierCode, TierCode, TierCode | null, Step][] = [
    ['the step undone whole', 'premium', 'basic', 'basic', { from: 'basic', to: 'premium' }],
    ['a tier between, still reached', 'premium', 'core', 'core', { from: 'basic', to: 'premium' }],
    ['the tier still reached', 'premium', 'premium', null, { from: 'basic', to: 'premium' }],
    ['a later step above it stands', 'premium', 'basic', null, { from: 'basic', to: 'core' }],
    ['no lower than the step started', 'core', 'basic', 'advanced', { from: 'advanced', to: 'core' }],
  ];
  it.each(cases)('%s', (_name, current, evaluated, expected, step) => {
    expect(tierAfterReturn(step, current, evaluated)).toBe(expected);
  });
});

describe('checkReturnWindow', () => {
  const at = Date.UTC(2026, 10, 1, 2);
  it('refuses the same business day and after the window, and allows the days between', () => {
    expect(checkReturnWindow(DEFAULT_RULES, { at, businessDate: '2026-11-01' }, at + 1000, '2026-11-01')).toMatchObject({ reason: 'RETURN_SAME_DAY' });
    expect(checkReturnWindow(DEFAULT_RULES, { at, businessDate: '2026-11-01' }, at + DAY_MS, '2026-11-02')).toBeNull();
    expect(checkReturnWindow(DEFAULT_RULES, { at, businessDate: '2026-11-01' }, at + 30 * DAY_MS, '2026-12-01')).toBeNull();
    expect(checkReturnWindow(DEFAULT_RULES, { at, businessDate: '2026-11-01' }, at + 30 * DAY_MS + 1, '2026-12-01')).toMatchObject({ reason: 'RETURN_WINDOW_PASSED', params: { days: 30 } });
  });
});

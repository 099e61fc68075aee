// KPIs: hand-computed figures over a few days, and the same figures whether a day is read from its
// kept Z-report (closed) or from its operations (open).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/loyalty/time';
import { closeDay } from '../../src/terminal/manager/dayEnd';
import { computeKpis } from '../../src/terminal/manager/kpis';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal;
let members: { id: string; tier: string }[];
beforeEach(() => {
  t = openDemoTerminal(200);
  t.online.value = true;
  members = t.db.prepare("SELECT id, tier FROM members WHERE status = 'active' AND tier IN ('core','premium') AND (birthday IS NULL OR birthday NOT LIKE '11-%') ORDER BY id LIMIT 3").all() as { id: string; tier: string }[];
});
afterEach(() => t.cleanup());

function on(daysAgo: number, fn: () => unknown): void {
  t.clock.now = NOW - daysAgo * DAY_MS;
  fn();
}

describe('KPIs', () => {
  it('counts redemptions per day, tier and type, points per week, and reads closed days the same as open ones', () => {
    const s = t.service;
    const [a, b] = [members[0]!, members[1]!];
    // 2026-11-23 is a Monday: the 20th and 21st fall in the week of 11-16.
    on(3, () => s.redeem({ memberId: a.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    on(3, () => s.earn({ memberId: a.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 50_000 }] }));
    on(2, () => s.redeem({ memberId: b.id, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-02', amountFen: 12_000 }));
    on(2, () => s.donate({ memberId: b.id, staffId: 'clerk-02', points: 100 }));
    on(0, () => s.redeem({ memberId: b.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    on(0, () => s.exchange({ memberId: a.id, staffId: 'clerk-01', itemId: 'C-COFFEE' }));
    // Outside the window (31 days ago): not counted.
    on(31, () => s.redeem({ memberId: a.id, benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' }));

    t.clock.now = NOW;
    const open = computeKpis(t.service.deps, '2026-11-23');
    expect(open.from).toBe('2026-10-25');
    expect(open.redemptionsPerDay).toHaveLength(30);
    expect(open.redemptionsPerDay.filter((d) => d.count > 0)).toEqual([
      { date: '2026-11-20', count: 1, valueFen: 2_000 },
      { date: '2026-11-21', count: 1, valueFen: 1_000 },
      { date: '2026-11-23', count: 1, valueFen: 2_000 },
    ]);
    const tierCount = (tier: string) => open.byTier.find((r) => r.tier === tier)!.count;
    expect(tierCount(a.tier) + (a.tier === b.tier ? 0 : tierCount(b.tier))).toBe(3);
    expect(open.usageRate.find((r) => r.type === 'voucher')?.redeemed).toBe(2);
    expect(open.usageRate.find((r) => r.type === 'threshold_coupon')?.redeemed).toBe(1);
    expect(open.usageRate.find((r) => r.type === 'service')?.redeemed).toBe(0);
    // Earned 500 (¥500, no multiplier); burned: donation 100 (week of 11-16), coffee 300 (week of 11-23).
    expect(open.pointsPerWeek.at(-2)).toEqual({ week: '2026-11-16', earned: 500, burned: 100, expired: 0 });
    expect(open.pointsPerWeek.at(-1)).toEqual({ week: '2026-11-23', earned: 0, burned: 300, expired: 0 });
    expect(open.pointsPerWeek[0]!.week).toBe('2026-10-19');

    for (const daysAgo of [3, 2, 1]) {
      t.clock.now = NOW - daysAgo * DAY_MS + 60_000;
      closeDay(t.service.deps, { staffId: 'mgr-01' });
    }
    t.clock.now = NOW;
    expect(computeKpis(t.service.deps, '2026-11-23')).toEqual(open);
  });
});

// The Z-report's sums against a hand-computed day in Shanghai (UTC+8): the business day 2026-11-23
// runs from 2026-11-22T16:00Z to 2026-11-23T16:00Z, so it crosses midnight UTC.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/store/audit';
import { insertLot } from '../../src/store/members';
import { closeDay } from '../../src/terminal/manager/dayEnd';
import { dayBounds, dayReport } from '../../src/terminal/manager/zReport';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

/** Shanghai wall time on 2026-11-23 (day offsets allowed) as a UTC instant. */
const sh = (hour: number, minute = 0, dayOffset = 0): number => Date.UTC(2026, 10, 23 + dayOffset, hour - 8, minute);

let t: DemoTerminal;
let memberId: string;
beforeEach(() => {
  t = openDemoTerminal(200);
  t.online.value = true;
  // A member with points to spend and no birthday this month (no birthday multiplier on the earn).
  memberId = (
    t.db
      .prepare(
        `SELECT m.id FROM members m JOIN point_lots l ON l.member_id = m.id
          WHERE m.status = 'active' AND m.tier IN ('core','premium') AND (m.birthday IS NULL OR m.birthday NOT LIKE '11-%')
          GROUP BY m.id HAVING sum(l.remaining) >= 2000 ORDER BY m.id LIMIT 1`,
      )
      .get() as { id: string }
  ).id;
  // Only this test's lots expire: the demo's already-expired lots are written off beforehand.
  t.db.prepare('UPDATE point_lots SET remaining = 0 WHERE expires_at <= ?').run(sh(2, 0, 2));
});
afterEach(() => t.cleanup());

function at<T>(instant: number, fn: () => T): T {
  t.clock.now = instant;
  return fn();
}

function makeTheDay(): void {
  const s = t.service;
  // 07:30 local = 23:30 UTC the day before: still 2026-11-23 for the store.
  at(sh(7, 30), () => s.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
  at(sh(12), () => s.redeem({ memberId, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-02', amountFen: 15_000 }));
  const voided = at(sh(13), () => s.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-02' }));
  at(sh(13, 5), () => s.voidOperation({ opId: voided.opId, staffId: 'clerk-02', approverId: 'mgr-01' }));
  at(sh(14), () => s.earn({ memberId, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 18_850 }] }));
  at(sh(15), () => s.exchange({ memberId, staffId: 'clerk-01', itemId: 'C-COFFEE' }));
  at(sh(16), () => s.cashDeduct({ memberId, staffId: 'clerk-01', points: 500, amountFen: 10_000 }));
  at(sh(17), () => s.donate({ memberId, staffId: 'clerk-02', points: 200 }));
  // 23:30 local = 15:30 UTC: the last minutes of the store's day.
  at(sh(23, 30), () => s.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
  // Lots: expired on the 20th (15 left), this morning (70), tonight before closing (40), after midnight (25).
  insertLot(t.db, { memberId, earnedAt: sh(9, 0, -365), expiresAt: sh(9, 0, -3), points: 100, opId: null });
  t.db.prepare('UPDATE point_lots SET remaining = 15 WHERE id = (SELECT max(id) FROM point_lots)').run();
  insertLot(t.db, { memberId, earnedAt: sh(9, 0, -365), expiresAt: sh(9), points: 70, opId: null });
  insertLot(t.db, { memberId, earnedAt: sh(9, 0, -365), expiresAt: sh(23), points: 40, opId: null });
  insertLot(t.db, { memberId, earnedAt: sh(9, 0, -365), expiresAt: sh(1, 0, 1), points: 25, opId: null });
}

describe('Z-report', () => {
  it('bounds the store day by local midnights, across midnight UTC', () => {
    expect(dayBounds('2026-11-23', 'Asia/Shanghai')).toEqual({ start: Date.UTC(2026, 10, 22, 16), end: Date.UTC(2026, 10, 23, 16) });
    // A DST day in New York is 25 hours long.
    const ny = dayBounds('2026-11-01', 'America/New_York');
    expect((ny.end - ny.start) / 3_600_000).toBe(25);
  });

  it('sums the day as computed by hand, leaving out the voided redemption and the next day', () => {
    makeTheDay();
    // 00:30 on the 24th local is still the 23rd in UTC: it belongs to the next business day.
    at(sh(0, 30, 1), () => t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    t.clock.now = sh(23, 45);
    const closed = closeDay(t.service.deps, { staffId: 'mgr-01' });
    const r = closed.report;
    expect(r.date).toBe('2026-11-23');
    expect(r.number).toBe(1);
    expect(r.redemptions).toEqual({
      count: 3,
      valueFen: 2_000 + 1_000 + 2_000,
      byType: { threshold_coupon: { count: 1, valueFen: 1_000 }, voucher: { count: 2, valueFen: 4_000 } },
    });
    // Earned 188 (¥188.50, 1 point a yuan); burned 300 (coffee) + 500 (cash); donated 200;
    // expired 15 + 70 + 40 (the lot expiring after midnight stays).
    expect(r.points).toEqual({ earned: 188, burned: 800, donated: 200, expired: 125 });
    expect(closed.expiry).toEqual({ lots: 3, points: 125 });
    expect(r.voids).toHaveLength(1);
    expect(r.voids[0]).toMatchObject({ kind: 'redeem', valueFen: 2_000, staff: { id: 'clerk-02' }, approvedBy: { id: 'mgr-01', name: '李娜' } });
    expect(r.byStaff).toEqual([
      { staffId: 'clerk-01', name: '王芳', count: 2, valueFen: 4_000 },
      { staffId: 'clerk-02', name: '陈磊', count: 1, valueFen: 1_000 },
    ]);
    // Nothing was pushed to HQ here: every operation of the day waits (3 + voided + void + earn, exchange, cash, donate).
    expect(r.pending).toBe(9);
    expect(r.synced).toBe(false);
    const next = dayReport(t.service.deps, '2026-11-24');
    expect(next.redemptions.count).toBe(1);
  });

  it('writes off each expired lot once, and keeps the chain of audit entries whole', () => {
    makeTheDay();
    t.clock.now = sh(23, 45);
    closeDay(t.service.deps, { staffId: 'mgr-01' });
    const left = t.db.prepare('SELECT count(*) AS n FROM point_lots WHERE member_id = ? AND expires_at <= ? AND remaining > 0').get(memberId, sh(23, 45)) as { n: number };
    expect(left.n).toBe(0);
    // HQ sending an expired lot's old remaining back does not make it expire twice.
    t.db.prepare('UPDATE point_lots SET remaining = 70 WHERE member_id = ? AND expires_at = ?').run(memberId, sh(9));
    t.clock.now = sh(10, 0, 1);
    const second = closeDay(t.service.deps, { staffId: 'mgr-01' });
    expect(second.report.points.expired).toBe(25);
    expect(second.report.number).toBe(2);
    const audit = verifyAuditChain(t.db);
    expect(audit.ok).toBe(true);
    expect(t.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'day.closed'").get()).toEqual({ n: 2 });
  });

  it('gives the same report when a day is closed twice, and keeps it after later operations', () => {
    makeTheDay();
    t.clock.now = sh(23, 45);
    const first = closeDay(t.service.deps, { staffId: 'mgr-01' });
    t.clock.now = sh(23, 50);
    const again = closeDay(t.service.deps, { staffId: 'mgr-01' });
    expect(again.alreadyClosed).toBe(true);
    expect(again.report).toEqual(first.report);
    expect(t.db.prepare('SELECT count(*) AS n FROM business_days').get()).toEqual({ n: 1 });
    // A redemption after closing carries the next business day (issue 18): the kept report is final,
    // and no operation lands late in the closed day.
    const late = at(sh(23, 55), () => t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    const shown = dayReport(t.service.deps, '2026-11-23');
    expect(shown.redemptions).toEqual(first.report.redemptions);
    expect(shown.lateOperations).toBe(0);
    expect(t.db.prepare('SELECT business_date AS d FROM operations WHERE id = ?').get(late.opId)).toEqual({ d: '2026-11-24' });
  });

  it('an empty day closes with zeros, and a clerk cannot close a day', () => {
    t.clock.now = sh(11, 0, -1);
    expect(() => closeDay(t.service.deps, { staffId: 'clerk-01' })).toThrow(expect.objectContaining({ code: 'NOT_MANAGER' }));
    const r = closeDay(t.service.deps, { staffId: 'mgr-01' }).report;
    expect(r).toMatchObject({ date: '2026-11-22', closed: true, redemptions: { count: 0, valueFen: 0, byType: {} }, voids: [], byStaff: [], pending: 0, synced: true });
  });

  it('counts a redemption under the tier the member held then, not the tier the member holds now', () => {
    const tier = (t.db.prepare('SELECT tier FROM members WHERE id = ?').get(memberId) as { tier: string }).tier;
    at(sh(10), () => t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    const other = tier === 'premium' ? 'basic' : 'premium';
    t.db.prepare('UPDATE members SET tier = ? WHERE id = ?').run(other, memberId);
    const r = at(sh(20), () => dayReport(t.service.deps, '2026-11-23'));
    expect(r.byTier).toEqual({ [tier]: { count: 1, valueFen: r.redemptions.valueFen } });
    // A redemption recorded before the tier was kept counts under the member's tier now.
    t.db.prepare("UPDATE operations SET detail_json = json_remove(detail_json, '$.tier') WHERE kind = 'redeem'").run();
    const older = at(sh(20), () => dayReport(t.service.deps, '2026-11-23'));
    expect(older.byTier).toEqual({ [other]: { count: 1, valueFen: r.redemptions.valueFen } });
  });
});

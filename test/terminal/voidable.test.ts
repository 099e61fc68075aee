// 今日业务 offers 撤销 exactly where the void would go through: RecentOperation.voidable agrees with
// what operation.void answers, for every kind of operation, yesterday's and today's, voided or not.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/loyalty/time';
import { codeOf } from '../helpers/codeOf';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal(80);
});
afterEach(() => t.cleanup());

const member = (sql: string, offset = 0): string =>
  (t.db.prepare(`SELECT id FROM members WHERE status='active' AND ${sql} ORDER BY id LIMIT 1 OFFSET ?`).get(offset) as { id: string }).id;

/** One of each kind this terminal records, on the day the clock says. */
function dayOfWork(offset: number) {
  const s = t.service;
  const who = member("tier = 'core' AND birthday NOT LIKE '11-%'", offset);
  const earn = s.earn({ memberId: who, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 30_000 }] });
  s.redeem({ memberId: who, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
  s.cashDeduct({ memberId: who, staffId: 'clerk-01', points: 100, amountFen: 1_000 });
  s.donate({ memberId: who, staffId: 'clerk-01', points: 200 });
  const item = s.catalog().find((c) => c.pointsCost <= 2_000);
  if (item) s.exchange({ memberId: who, itemId: item.id, staffId: 'clerk-01' });
  return { who, earn };
}

describe('the 撤销 offered in 今日业务', () => {
  it('is offered exactly where operation.void goes through, for each kind, day and state', () => {
    const yesterday = dayOfWork(0);
    t.clock.now = NOW + DAY_MS;
    dayOfWork(1);
    t.service.returnPurchase({ opId: yesterday.earn.opId, staffId: 'clerk-01', amountFen: 10_000 });
    const today = dayOfWork(2);
    t.service.voidOperation({ opId: today.earn.opId, staffId: 'clerk-01', approverId: 'mgr-01' });

    const rows = t.service.recentOperations(100).filter((r) => !['memberJoined', 'cardReplaced'].includes(r.kind));
    const kinds = new Set(rows.map((r) => `${r.kind}:${r.voidable}`));
    // The walk covers both answers, and more than one kind of each.
    expect([...kinds].filter((k) => k.endsWith(':true')).length).toBeGreaterThanOrEqual(3);
    expect([...kinds].filter((k) => k.endsWith(':false')).length).toBeGreaterThanOrEqual(4);
    // The newest first, so a void does not change what an earlier row in this walk will answer.
    for (const row of rows) {
      const answer = codeOf(() => t.service.voidOperation({ opId: row.opId, staffId: 'clerk-01', approverId: 'mgr-01' }));
      if (row.voidable) expect(['no error', 'VOID_GRANT_USED'], `${row.kind} ${row.businessDate}`).toContain(answer);
      else expect(['NOT_VOIDABLE', 'ALREADY_VOIDED', 'VOID_NOT_SAME_DAY'], `${row.kind} ${row.businessDate}`).toContain(answer);
    }
  });
});

// 今日业务 offers 撤销 exactly where the void would go through: RecentOperation.voidable agrees with
// what operation.void answers, for every kind of operation, yesterday's and today's, voided or not,
// and for a purchase whose tier step's welcome gift was already redeemed (VOID_GRANT_USED).
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
    // A purchase that lifted a basic member to Premium, whose welcome gift was then handed out: the
    // gift left the store, so the purchase cannot be voided until the gift's redemption is.
    const stepper = member("tier = 'basic'");
    const lift = t.service.earn({ memberId: stepper, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'general', amountFen: 2_000_000 }] });
    expect(lift.tierChange?.to).toBe('premium');
    const gift = t.service.redeem({ memberId: stepper, benefitId: 'B-WELCOME-PREMIUM', staffId: 'clerk-01' });

    const listed = () => t.service.recentOperations(100).filter((r) => !['memberJoined', 'cardReplaced'].includes(r.kind));
    const rows = listed();
    const kinds = new Set(rows.map((r) => `${r.kind}:${r.voidable}`));
    // The walk covers both answers, and more than one kind of each.
    expect([...kinds].filter((k) => k.endsWith(':true')).length).toBeGreaterThanOrEqual(3);
    expect([...kinds].filter((k) => k.endsWith(':false')).length).toBeGreaterThanOrEqual(4);

    // Every row not offered is refused when tried anyway (a refusal writes nothing), each for its reason.
    const refused = new Map<string, string>();
    for (const row of rows.filter((r) => !r.voidable)) {
      const answer = codeOf(() => t.service.voidOperation({ opId: row.opId, staffId: 'clerk-01', approverId: 'mgr-01' }));
      expect(['NOT_VOIDABLE', 'ALREADY_VOIDED', 'VOID_NOT_SAME_DAY', 'VOID_GRANT_USED'], `${row.kind} ${row.businessDate}`).toContain(answer);
      refused.set(row.opId, answer);
    }
    expect(refused.get(lift.opId)).toBe('VOID_GRANT_USED');

    // The newest first, each row as listed at that moment: every one offered goes through. (Voiding the
    // gift's redemption makes the purchase before it voidable, and the list says so.)
    for (const { opId } of rows) {
      const row = listed().find((r) => r.opId === opId)!;
      const answer = codeOf(() => t.service.voidOperation({ opId: row.opId, staffId: 'clerk-01', approverId: 'mgr-01' }));
      if (row.voidable) expect(answer, `${row.kind} ${row.businessDate}`).toBe('no error');
      else expect(['NOT_VOIDABLE', 'ALREADY_VOIDED', 'VOID_NOT_SAME_DAY', 'VOID_GRANT_USED'], `${row.kind} ${row.businessDate}`).toContain(answer);
    }
    expect(listed().find((r) => r.opId === gift.opId)?.voided).toBe(true);
    expect(listed().find((r) => r.opId === lift.opId)?.voided).toBe(true);
  });
});

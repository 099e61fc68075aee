import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { drawBlindBox } from '../../src/loyalty/draw';
import { getBenefit, stockOf } from '../../src/store/benefits';
import { setMeta } from '../../src/store/meta';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { DAY_MS } from '../../src/loyalty/time';
import { count, NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal();
});
afterEach(() => t.cleanup());

/** Members of the seeded demo data by what the rules care about. */
function memberWhere(sql: string): string {
  const row = t.db.prepare(`SELECT id FROM members WHERE ${sql} ORDER BY id LIMIT 1`).get() as { id: string } | undefined;
  if (!row) throw new Error(`no demo member where ${sql}`);
  return row.id;
}

function refusal(fn: () => unknown): { code: string; params: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeskError) return { code: err.code, params: err.params };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('redeem', () => {
  it('writes the operation, its ledger, an outbox event, an audit entry and a print job in one go', () => {
    const memberId = memberWhere("status = 'active'");
    const r = t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    expect(r.valueFen).toBe(2000);
    expect(r.offline).toBe(true);
    expect(r.opId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const op = t.db.prepare('SELECT * FROM operations WHERE id = ?').get(r.opId) as Record<string, unknown>;
    expect(op).toMatchObject({ kind: 'redeem', member_id: memberId, benefit_id: 'B-VOUCHER-20', staff_id: 'clerk-01', value_fen: 2000, business_date: '2026-11-23', offline: 1 });
    expect(t.db.prepare('SELECT account, delta, value_fen FROM ledger WHERE op_id = ?').all(r.opId)).toEqual([{ account: 'benefit', delta: -1, value_fen: 2000 }]);
    const outbox = t.db.prepare('SELECT * FROM outbox WHERE op_id = ?').all(r.opId) as { seq: number; id: string; payload_json: string }[];
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.seq).toBe(r.outboxSeq);
    expect(outbox[0]!.id).not.toBe(r.opId);
    expect(JSON.parse(outbox[0]!.payload_json)).toMatchObject({ v: 2, opId: r.opId, kind: 'redeem', valueFen: 2000, storeId: 'SH001', terminalId: 'SH001-T1' });
    expect(count(t, 'SELECT count(*) AS n FROM audit WHERE ref = ? AND action = ?', r.opId, 'operation.redeem')).toBe(1);
    const job = t.service.unprintedJobs().find((j) => j.id === r.printJobId);
    expect(job?.payload).toMatchObject({ kind: 'redeem', opId: r.opId, valueFen: 2000, offline: true, staff: { id: 'clerk-01', name: '王芳' } });
    const receipt = job!.payload as { member: { maskedName: string; maskedPhone: string } };
    expect(receipt.member.maskedName).toMatch(/^.\*+$/u);
    expect(receipt.member.maskedPhone).toMatch(/^\*{4}\d{4}$/);
  });

  it('numbers outbox events in sequence with distinct idempotency ids', () => {
    const ids = ['M00000001', 'M00000002', 'M00000005'].map((m) => t.service.redeem({ memberId: memberWhere(`id >= '${m}' AND status = 'active'`), benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    const seqs = ids.map((r) => r.outboxSeq);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    const events = t.service.pendingOutbox();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  const refusals: [string, () => { memberId: string; benefitId: string; amountFen?: number | null; staffId?: string }, string][] = [
    ['an unknown member', () => ({ memberId: 'M99999999', benefitId: 'B-VOUCHER-20' }), 'UNKNOWN_MEMBER'],
    ['an unknown benefit', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-NOPE' }), 'UNKNOWN_BENEFIT'],
    ['an unknown staff member', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-VOUCHER-20', staffId: 'ghost' }), 'UNKNOWN_STAFF'],
    ['a revoked card', () => ({ memberId: memberWhere("status='revoked'"), benefitId: 'B-VOUCHER-20' }), 'MEMBER_REVOKED'],
    ['a tier below the benefit', () => ({ memberId: memberWhere("tier='basic' AND status='active'"), benefitId: 'B-GIFT-MUG' }), 'TIER_NOT_ELIGIBLE'],
    ['a benefit not yet valid', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-SPRING' }), 'NOT_YET_VALID'],
    ['an expired benefit', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-SUMMER-OLD' }), 'BENEFIT_EXPIRED'],
    ['another store\'s benefit', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-BJ-ONLY' }), 'WRONG_STORE'],
    ['an online-only benefit while offline', () => ({ memberId: memberWhere("tier='premium' AND status='active'"), benefitId: 'B-SVC-WARRANTY' }), 'NOT_REDEEMABLE_OFFLINE'],
    ['a threshold coupon with no amount', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-THRESHOLD-100-10' }), 'AMOUNT_REQUIRED'],
    ['a threshold coupon below its threshold', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-THRESHOLD-100-10', amountFen: 9999 }), 'BELOW_THRESHOLD'],
    ['a grant-only benefit never granted', () => ({ memberId: memberWhere("status='active' AND id NOT IN (SELECT member_id FROM benefit_grants)"), benefitId: 'B-REFERRAL' }), 'NO_GRANT'],
    ['a birthday gift outside the birthday month', () => ({ memberId: memberWhere("status='active' AND birthday NOT LIKE '11-%'"), benefitId: 'B-BIRTHDAY' }), 'NOT_BIRTHDAY_MONTH'],
    ['a member-day offer on another day', () => ({ memberId: memberWhere("status='active'"), benefitId: 'B-MEMBER-DAY', amountFen: 20000 }), 'NOT_MEMBER_DAY'],
  ];
  it.each(refusals)('refuses %s with its code and writes nothing', (_what, input, code) => {
    const i = input();
    const before = snapshot(t.db);
    const r = refusal(() => t.service.redeem({ staffId: 'clerk-01', ...i }));
    expect(r.code).toBe(code);
    expect(snapshot(t.db)).toEqual(before);
  });

  it('enforces per-member and per-day limits, and a void gives the use back', () => {
    const memberId = memberWhere("tier IN ('core','premium') AND status='active'");
    const first = t.service.redeem({ memberId, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' });
    expect(refusal(() => t.service.redeem({ memberId, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' })).code).toBe('ALREADY_REDEEMED');
    t.service.voidOperation({ opId: first.opId, staffId: 'clerk-01', approverId: 'mgr-01' });
    expect(t.service.redeem({ memberId, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' }).valueFen).toBe(3900);

    const other = memberWhere("status='active'");
    t.service.redeem({ memberId: other, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-01', amountFen: 10000 });
    expect(refusal(() => t.service.redeem({ memberId: other, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-01', amountFen: 10000 })).code).toBe('DAILY_LIMIT_REACHED');
    t.clock.now = NOW + DAY_MS;
    expect(t.service.redeem({ memberId: other, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-01', amountFen: 10000 }).valueFen).toBe(1000);
  });

  it('takes gifts out of the store\'s stock and refuses when none is left', () => {
    t.db.prepare("UPDATE stock SET qty = 1 WHERE sku = 'GIFT-MUG'").run();
    const [a, b] = t.db.prepare("SELECT id FROM members WHERE tier IN ('core','premium') AND status='active' ORDER BY id LIMIT 2").all() as { id: string }[];
    t.service.redeem({ memberId: a!.id, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' });
    expect(stockOf(t.db, 'SH001', 'GIFT-MUG')).toBe(0);
    const before = snapshot(t.db);
    expect(refusal(() => t.service.redeem({ memberId: b!.id, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' })).code).toBe('OUT_OF_STOCK');
    expect(snapshot(t.db)).toEqual(before);
  });

  it('draws a blind box deterministically from the redemption id, never an item out of stock', () => {
    const members = t.db.prepare("SELECT id FROM members WHERE tier <> 'basic' AND status='active' ORDER BY id LIMIT 12").all() as { id: string }[];
    const pool = getBenefit(t.db, 'B-BLIND-BOX')!.params;
    if (pool.type !== 'blind_box') throw new Error('demo blind box changed');
    const seen = new Set<string>();
    for (const m of members) {
      const inStock = new Set((t.db.prepare('SELECT sku FROM stock WHERE qty > 0').all() as { sku: string }[]).map((r) => r.sku));
      const r = t.service.redeem({ memberId: m.id, benefitId: 'B-BLIND-BOX', staffId: 'clerk-01' });
      const expected = drawBlindBox(pool.pool, r.opId, (sku) => inStock.has(sku));
      expect(r.drawn?.sku).toBe(expected?.sku);
      expect(r.valueFen).toBe(expected?.valueFen);
      seen.add(r.drawn!.sku);
    }
    expect(seen.has('BOX-C')).toBe(false);
  });

  it('enforces the offline risk limits HQ set, and lets them go when online', () => {
    const rules = JSON.parse((t.db.prepare("SELECT value FROM meta WHERE key='rules_json'").get() as { value: string }).value);
    rules.offline.maxUnsyncedValueFen = 3000;
    setMeta(t.db, 'rules_json', JSON.stringify(rules));
    t.close();
    const reopened = openTerminal(t.dbPath, { clock: () => t.clock.now, connectivity: () => ({ online: t.online.value }) });
    Object.assign(t, { db: reopened.db, service: reopened.service, close: reopened.close });
    const [a, b] = t.db.prepare("SELECT id FROM members WHERE status='active' ORDER BY id LIMIT 2").all() as { id: string }[];
    t.service.redeem({ memberId: a!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    const r = refusal(() => t.service.redeem({ memberId: b!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    expect(r).toEqual({ code: 'OFFLINE_TOTAL_CAP', params: { capFen: 3000, unsyncedFen: 2000 } });
    t.online.value = true;
    expect(t.service.redeem({ memberId: b!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }).offline).toBe(false);

    t.online.value = false;
    setMeta(t.db, 'last_sync_at', String(NOW - 31 * DAY_MS));
    expect(refusal(() => t.service.redeem({ memberId: b!.id, benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' })).code).toBe('OFFLINE_SYNC_TOO_OLD');
  });
});

describe('rules from HQ', () => {
  it('take effect in a running terminal as soon as they are stored', () => {
    const t2 = openDemoTerminal(50);
    try {
      const [a, b] = t2.db.prepare("SELECT id FROM members WHERE status='active' ORDER BY id LIMIT 2").all() as { id: string }[];
      t2.service.redeem({ memberId: a!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      const rules = JSON.parse((t2.db.prepare("SELECT value FROM meta WHERE key='rules_json'").get() as { value: string }).value);
      rules.offline.maxValuePerRedemptionFen = 1000;
      setMeta(t2.db, 'rules_json', JSON.stringify(rules));
      let code = '';
      try {
        t2.service.redeem({ memberId: b!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      } catch (err) {
        code = (err as DeskError).code;
      }
      expect(code).toBe('OFFLINE_VALUE_CAP');
    } finally {
      t2.cleanup();
    }
  });
});

describe('the unsynced offline value', () => {
  it('grows with offline redemptions and a void gives the value back, never below zero', () => {
    const t3 = openDemoTerminal(50);
    try {
      const counter = () => (t3.db.prepare("SELECT value FROM counters WHERE name = 'unsynced_offline_value_fen'").get() as { value: number } | undefined)?.value ?? 0;
      const [a, b] = t3.db.prepare("SELECT id FROM members WHERE status='active' ORDER BY id LIMIT 2").all() as { id: string }[];
      const r1 = t3.service.redeem({ memberId: a!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      const r2 = t3.service.redeem({ memberId: b!.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      expect(counter()).toBe(4000);
      t3.service.voidOperation({ opId: r1.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
      expect(counter()).toBe(2000);
      // Say HQ already took part of it: the void gives back what is left, not a negative total.
      t3.db.prepare("UPDATE counters SET value = 500 WHERE name = 'unsynced_offline_value_fen'").run();
      t3.service.voidOperation({ opId: r2.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
      expect(counter()).toBe(0);
    } finally {
      t3.cleanup();
    }
  });
});

// The set-based push (src/hq/services/push.ts): operations later in a batch see the effect of the
// earlier ones exactly as if they had been pushed one by one. Real HQ on loopback, PGlite and (with
// DATABASE_URL) PostgreSQL; events sent through the terminal's HTTP client.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import type { HqDb } from '../../src/hq/db';
import { applyOperation, type BatchState, type MemberState } from '../../src/hq/services/applyOperation';
import { readEvent, type HqOp } from '../../src/hq/services/readEvent';
import { createEnrollmentCode, enrollTerminal } from '../../src/hq/services/enroll';
import type { OperationRecorded } from '../../src/sync/events';
import { createHqClient } from '../../src/syncClient/hqClient';
import type { PushEvent, PushResponse } from '../../src/sync/protocol';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, seedHq, startTestHq, type TestHq } from './harness';
import { mulberry32 } from '../../src/bench/prng';
import { uuidFrom } from '../helpers/uuidFrom';

interface Lot {
  key: string;
  expiresAt: number;
  remaining: number;
}

// ---- a seeded random mix of operations (every kind, in-batch voids, re-sent events) ----


const TIERS = ['basic', 'advanced', 'core', 'premium'] as const;
const BENEFITS = ['B-GIFT-MUG', 'B-DISCOUNT-95', 'B-BLIND-BOX', 'B-WELCOME-CORE', 'B-WELCOME-PREMIUM', 'B-VOUCHER-20', 'B-REFERRAL', 'B-NOT-AT-HQ', null];
const SKUS = ['GIFT-MUG', 'GIFT-CORE', 'BOX-A', 'NO-SUCH-SKU', undefined];
const ITEMS = ['C-COFFEE', 'C-BAG', 'C-CUP', 'C-NOT-AT-HQ'];
const CATEGORIES = ['apparel', 'cosmetics', 'gift_card', 'food'];
/** When the random mix's terminal was enrolled: its operations start an hour later. */
const ENROLLED = NOW - 2 * 3_600_000;

function randomOps(n: number, seed: number, who: { storeId: string; terminalId: string }, memberIds: string[]): OperationRecorded[] {
  const rand = mulberry32(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const ids = Array.from({ length: n }, () => uuidFrom(rand));
  const ops: OperationRecorded[] = [];
  let at = NOW - 3_600_000;
  for (let i = 0; i < n; i++) {
    at += Math.floor(rand() * 120_000) - 20_000; // mostly forward, sometimes back
    const memberId = pick(memberIds);
    const r = rand();
    const kind = r < 0.35 ? 'earn' : r < 0.6 ? 'redeem' : r < 0.7 ? 'exchange' : r < 0.75 ? 'cash' : r < 0.8 ? 'donate' : 'void';
    const detail: Record<string, unknown> = {};
    let points = 0;
    let amountFen: number | null = null;
    let benefitId: string | null = null;
    let itemId: string | null = null;
    let targetOpId: string | null = null;
    let approvedBy: string | null = null;
    if (kind === 'earn') {
      points = rand() < 0.1 ? 0 : 1 + Math.floor(rand() * 400);
      amountFen = rand() < 0.1 ? null : points * 100 + Math.floor(rand() * 100);
      // Mostly the lines a terminal keeps; else none (HQ takes the amount as one line).
      if (amountFen !== null && rand() < 0.7) detail.lines = [{ category: pick(CATEGORIES), amountFen }];
      if (rand() < 0.3) {
        const earlier = ops.filter((o) => o.memberId === memberId && o.kind === 'earn').at(-1);
        detail.tierChange = { from: pick(TIERS), to: rand() < 0.05 ? 'platinum' : pick(TIERS) };
        detail.before = { lastPurchaseAt: earlier && rand() < 0.7 ? earlier.at : null, tierSince: at - 86_400_000 };
      }
    } else if (kind === 'void') {
      const same = ops.filter((o) => o.memberId === memberId && o.kind !== 'void');
      const q = rand();
      // Mostly an earlier op of the member; else another member's, a later one, or none at all.
      targetOpId =
        q < 0.7 && same.length > 0 ? pick(same).opId : q < 0.8 && ops.length > 0 ? pick(ops).opId : q < 0.9 && i + 1 < n ? ids[i + 1 + Math.floor(rand() * (n - i - 1))]! : uuidFrom(rand);
      approvedBy = rand() < 0.9 ? 'mgr-01' : pick(['clerk-01', 'nobody']);
    } else {
      if (kind === 'redeem') benefitId = pick(BENEFITS);
      else if (kind === 'exchange') itemId = pick(ITEMS);
      points = kind === 'cash' ? -100 * (1 + Math.floor(rand() * 9)) : kind === 'redeem' ? 0 : -(100 + Math.floor(rand() * 800));
      const sku = pick(SKUS);
      if (sku !== undefined) detail.sku = sku;
    }
    // A few come from before the terminal was enrolled, or name a staff member of another store.
    const when = rand() < 0.03 ? ENROLLED - 86_400_000 : at;
    ops.push({
      v: 1, opId: ids[i]!, kind, memberId, benefitId, itemId, targetOpId, staffId: rand() < 0.03 ? 'bj-clerk' : 'clerk-01', approvedBy, storeId: who.storeId,
      terminalId: who.terminalId, at: when, businessDate: rand() < 0.9 ? '2026-11-23' : '2026-11-24', valueFen: Math.floor(rand() * 5_000), points, amountFen, detail,
      offline: rand() < 0.5, lots: [],
    });
  }
  return ops;
}

/** Events for `ops`; a few re-send an earlier operation under a new id, or an earlier id again. */
function randomEvents(ops: OperationRecorded[], seed: number): PushEvent[] {
  const rand = mulberry32(seed);
  const out: PushEvent[] = [];
  for (const [i, payload] of ops.entries()) {
    const r = rand();
    const e = { seq: i + 1, id: uuidFrom(rand), type: 'operation.recorded' as const, createdAt: payload.at, payload };
    const earlier = out.length > 0 ? out[Math.floor(rand() * out.length)]! : null;
    out.push(earlier && r < 0.03 ? { ...e, payload: earlier.payload } : earlier && r < 0.05 ? { ...e, id: earlier.id.toUpperCase() } : e);
  }
  return out;
}

// ---- helpers ----

interface Desk {
  storeId: string;
  terminalId: string;
  credential: string;
  seq: number;
}

async function enroll(hq: TestHq, at = NOW): Promise<Desk> {
  const { code } = await createEnrollmentCode(hq.db, 'SH001', at);
  const t = await enrollTerminal(hq.db, code, 'push-batch', at);
  return { storeId: t.storeId, terminalId: t.terminalId, credential: t.credential, seq: 0 };
}

/** An operation as an honest terminal records it (a void approved by the manager); `extra` overrides. */
function op(desk: Desk, kind: OperationRecorded['kind'], memberId: string, extra: Partial<OperationRecorded> = {}): OperationRecorded {
  return {
    v: 1, opId: randomUUID(), kind, memberId, benefitId: null, itemId: null, targetOpId: null, staffId: 'clerk-01', approvedBy: kind === 'void' ? 'mgr-01' : null,
    storeId: desk.storeId, terminalId: desk.terminalId, at: NOW, businessDate: '2026-11-23', valueFen: 0, points: 0, amountFen: null, detail: {}, offline: true, lots: [], ...extra,
  };
}

function events(desk: Desk, ops: OperationRecorded[]): PushEvent[] {
  return ops.map((payload) => ({ seq: ++desk.seq, id: randomUUID(), type: 'operation.recorded' as const, createdAt: payload.at, payload }));
}

async function push(hq: TestHq, desk: Desk, evs: PushEvent[]): Promise<PushResponse> {
  return (await createHqClient({ url: hq.url, credential: desk.credential }).push(evs)).value;
}

async function member(db: HqDb, id: string): Promise<{ lots: Lot[]; grants: { benefitId: string; usedOpId: string | null }[] }> {
  const [m] = await db.query<{ lots: Lot[]; grants: { benefitId: string; usedOpId: string | null }[] }>('SELECT lots, grants FROM members WHERE id = $1', [id]);
  return m!;
}

const available = (lots: Lot[], at: number) => lots.reduce((s, l) => s + (l.expiresAt > at ? l.remaining : 0), 0);

/** HQ's state without feed stamps and receive times (they depend on how many commits made it, and when). */
async function dump(db: HqDb) {
  return {
    members: await db.query('SELECT id, tier, tier_since, last_purchase_at, months, lots, grants, seq IS NULL AS unstamped FROM members ORDER BY id'),
    operations: await db.query('SELECT id, terminal_id, member_id, kind, benefit_id, target_op_id, at, value_fen, points, payload, burned, voided_by FROM operations ORDER BY id'),
    conflicts: await db.query('SELECT id, op_id, member_id, kind, decision, detail, at FROM conflicts ORDER BY id'),
    stock: await db.query('SELECT store_id, sku, qty FROM stock ORDER BY store_id, sku'),
    events: await db.query('SELECT id, seq, op_id FROM events ORDER BY terminal_id, seq'),
    terminals: await db.query('SELECT id, last_seq FROM terminals ORDER BY id'),
  };
}

describe.each(BACKENDS)('set-based push on %s', (backend) => {
  let hq: TestHq;
  let desk: Desk;
  const tmp = tempDir('ld-push-');

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
    desk = await enroll(hq);
  });
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('lets a burn spend points earned earlier in the same batch', async () => {
    const before = available((await member(hq.db, 'M00000011')).lots, NOW);
    const earn = op(desk, 'earn', 'M00000011', { points: 500, amountFen: 50_000 });
    const burn = op(desk, 'donate', 'M00000011', { points: -(before + 400), valueFen: before + 400, at: NOW + 1 });
    const r = await push(hq, desk, events(desk, [earn, burn]));
    expect(r.acks.map((a) => a.status)).toEqual(['applied', 'applied']);
    expect(r.conflicts).toEqual([]);
    const after = await member(hq.db, 'M00000011');
    expect(available(after.lots, NOW + 1)).toBe(100);
    expect(after.lots.find((l) => l.key === earn.opId)?.remaining).toBe(100);
    const [row] = await hq.db.query<{ burned: { key: string; points: number }[] }>('SELECT burned FROM operations WHERE id = $1', [burn.opId]);
    expect(row!.burned.reduce((s, b) => s + b.points, 0)).toBe(before + 400);
  });

  it('voids a redemption made earlier in the same batch: stock, limit and grant are back', async () => {
    const [stock] = await hq.db.query<{ qty: number }>("SELECT qty FROM stock WHERE store_id = 'SH001' AND sku = 'GIFT-MUG'");
    const redeem = op(desk, 'redeem', 'M00000012', { benefitId: 'B-GIFT-MUG', detail: { sku: 'GIFT-MUG' } });
    const undo = op(desk, 'void', 'M00000012', { targetOpId: redeem.opId, at: NOW + 1 });
    const r = await push(hq, desk, events(desk, [redeem, undo]));
    expect(r.conflicts).toEqual([]);
    const [voided] = await hq.db.query<{ voided_by: string | null }>('SELECT voided_by FROM operations WHERE id = $1', [redeem.opId]);
    expect(voided?.voided_by).toBe(undo.opId);
    const [after] = await hq.db.query<{ qty: number }>("SELECT qty FROM stock WHERE store_id = 'SH001' AND sku = 'GIFT-MUG'");
    expect(after?.qty).toBe(stock!.qty);
    // The voided redemption no longer counts toward the mug's limit of one.
    const again = await push(hq, desk, events(desk, [op(desk, 'redeem', 'M00000012', { benefitId: 'B-GIFT-MUG', at: NOW + 2 })]));
    expect(again.conflicts).toEqual([]);
  });

  it('voids two earns of the same batch: the last purchase falls back past both', async () => {
    const [t0, t1, t2] = [NOW + 5, NOW + 10, NOW + 20];
    const e0 = op(desk, 'earn', 'M00000017', { points: 10, amountFen: 1_000, at: t0 });
    const e1 = op(desk, 'earn', 'M00000017', { points: 20, amountFen: 2_000, at: t1 });
    const e2 = op(desk, 'earn', 'M00000017', { points: 30, amountFen: 3_000, at: t2, detail: { before: { lastPurchaseAt: t1, tierSince: NOW - 86_400_000 } } });
    const v1 = op(desk, 'void', 'M00000017', { targetOpId: e1.opId, at: t2 + 1 });
    const v2 = op(desk, 'void', 'M00000017', { targetOpId: e2.opId, at: t2 + 2 });
    await push(hq, desk, events(desk, [e0, e1, e2, v1, v2]));
    const [m] = await hq.db.query<{ last_purchase_at: number | null; lots: Lot[] }>('SELECT last_purchase_at, lots FROM members WHERE id = $1', ['M00000017']);
    expect(m?.last_purchase_at).toBe(t0);
    expect(m?.lots.filter((l) => [e1.opId, e2.opId].includes(l.key)).map((l) => l.remaining)).toEqual([0, 0]);
  });

  it('two redemptions of a once-per-member gift in one batch make exactly one benefit_limit conflict, on the second', async () => {
    // The mug is for core and premium members (HQ refuses it to others: benefit_not_allowed).
    const [{ id: member }] = (await hq.db.query<{ id: string }>(
      "SELECT id FROM members WHERE tier IN ('core', 'premium') AND status = 'active' AND id > 'M00000012' ORDER BY id LIMIT 1",
    )) as [{ id: string }];
    const first = op(desk, 'redeem', member, { benefitId: 'B-GIFT-MUG' });
    const second = op(desk, 'redeem', member, { benefitId: 'B-GIFT-MUG', at: NOW + 1 });
    const r = await push(hq, desk, events(desk, [first, second]));
    expect(r.conflicts.map((c) => ({ opId: c.opId, kind: c.kind, decision: c.decision, detail: c.detail }))).toEqual([
      { opId: second.opId, kind: 'benefit_limit', decision: 'honored', detail: { benefitId: 'B-GIFT-MUG', limit: 1, usedBefore: 1 } },
    ]);
  });

  it('floors a burn beyond the balance and reports the shortfall', async () => {
    const have = available((await member(hq.db, 'M00000014')).lots, NOW);
    const earn = op(desk, 'earn', 'M00000014', { points: 50, amountFen: 5_000 });
    const burn = op(desk, 'donate', 'M00000014', { points: -(have + 80), valueFen: have + 80, at: NOW + 1 });
    const r = await push(hq, desk, events(desk, [earn, burn]));
    expect(r.conflicts.map((c) => [c.opId, c.kind, c.decision, c.detail])).toEqual([
      [burn.opId, 'points_overdraw', 'points_floored', { wanted: have + 80, available: have + 50, shortfall: 30 }],
    ]);
    expect(available((await member(hq.db, 'M00000014')).lots, NOW + 1)).toBe(0);
  });

  it('answers a batch sent again with all duplicates and changes nothing', async () => {
    const batch = events(desk, [
      op(desk, 'earn', 'M00000015', { points: 120, amountFen: 12_000 }),
      op(desk, 'redeem', 'M00000015', { benefitId: 'B-VOUCHER-20', at: NOW + 1 }),
      op(desk, 'cash', 'M00000015', { points: -100, valueFen: 100, at: NOW + 2 }),
    ]);
    batch.push({ ...batch[2]!, seq: ++desk.seq, id: randomUUID() }); // the same operation under a second event
    const first = await push(hq, desk, batch);
    expect(first.acks.map((a) => a.status)).toEqual(['applied', 'applied', 'applied', 'duplicate']);
    const before = await dump(hq.db);
    const again = await push(hq, desk, batch);
    expect(again.acks.map((a) => a.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(again.conflicts).toEqual([]);
    const after = await dump(hq.db);
    expect({ ...after, terminals: [] }).toEqual({ ...before, terminals: [] });
  });

  it('records an operation for a member HQ does not know and applies the rest of the batch', async () => {
    const ghost = op(desk, 'redeem', 'M99999999', { benefitId: 'B-VOUCHER-20' });
    const earn = op(desk, 'earn', 'M00000016', { points: 10, amountFen: 1_000 });
    const r = await push(hq, desk, events(desk, [ghost, earn]));
    expect(r.acks.map((a) => a.status)).toEqual(['applied', 'applied']);
    expect(r.conflicts.filter((c) => c.opId === ghost.opId).map((c) => [c.opId, c.memberId, c.kind, c.decision])).toEqual([[ghost.opId, 'M99999999', 'unknown_member', 'recorded']]);
    expect(r.conflicts.filter((c) => c.decision === 'refused')).toEqual([]);
    const rows = await hq.db.query<{ id: string }>('SELECT id FROM operations WHERE id IN ($1, $2) ORDER BY id', [ghost.opId, earn.opId]);
    expect(rows).toHaveLength(2);
    expect((await member(hq.db, 'M00000016')).lots.some((l) => l.key === earn.opId)).toBe(true);
  });

  it('gives the same HQ state for 300 random operations in one batch as in batches of one', async () => {
    const [a, b] = [await startTestHq(backend), await startTestHq(backend)];
    try {
      for (const h of [a, b]) {
        // Every operation of the mix has reached HQ by then (they run about three hours from ENROLLED).
        h.setClock(NOW + 6 * 3_600_000);
        await seedHq(h, tmp.dir);
        await h.admin('POST', '/v1/admin/revocations', { memberId: 'M00000003', cardSerial: 0 });
      }
      const t = await enroll(a, ENROLLED);
      // The same terminal (id and credential) at both, so the payloads are identical.
      const [row] = await a.db.query<Record<string, unknown>>('SELECT id, store_id, label, credential_hash, enrolled_at FROM terminals WHERE id = $1', [t.terminalId]);
      await b.db.query('INSERT INTO terminals(id, store_id, label, credential_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [row!.id, row!.store_id, row!.label, row!.credential_hash, row!.enrolled_at]);
      expect(await dump(b.db)).toEqual(await dump(a.db));

      const memberIds = [...Array.from({ length: 10 }, (_, i) => `M${String(i + 1).padStart(8, '0')}`), 'M99999999'];
      const evs = randomEvents(randomOps(300, 7, t, memberIds), 8);
      const batch = await push(a, t, evs);
      const single: PushResponse[] = [];
      for (const e of evs) single.push(await push(b, t, [e]));
      const decisions = (r: PushResponse[]) => r.flatMap((x) => x.conflicts).map(({ decidedAt: _, ...c }) => c);
      expect(batch.acks).toEqual(single.flatMap((r) => r.acks));
      expect(decisions([batch])).toEqual(decisions(single));
      expect(await dump(b.db)).toEqual(await dump(a.db));
      // The mix really went down every path.
      const kinds = new Set(batch.conflicts.map((c) => c.kind));
      for (const k of ['benefit_limit', 'points_overdraw', 'revoked_card', 'unknown_member', 'time_out_of_range', 'staff_unknown', 'business_date', 'approver_invalid',
        'points_recomputed', 'value_adjusted', 'unknown_benefit', 'unknown_item', 'void_target'] as const) {
        expect(kinds, k).toContain(k);
      }
      expect(batch.acks.filter((x) => x.status === 'refused').length).toBeGreaterThan(10);
      expect(batch.acks.filter((x) => x.status === 'duplicate').length).toBeGreaterThan(3);
      const [voided] = await a.db.query<{ all: number; earns: number }>("SELECT count(*)::int AS all, count(*) FILTER (WHERE kind = 'earn')::int AS earns FROM operations WHERE voided_by IS NOT NULL");
      expect(voided!.earns).toBeGreaterThan(3);
      expect(voided!.all).toBeGreaterThan(10);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

// The pure step on its own: no database, the batch state built by hand.
describe('applyOperation on a batch state', () => {
  const who = { storeId: 'SH001', terminalId: 'SH001-T1', credential: '', seq: 0 };
  function state(members: Partial<MemberState>[]): BatchState {
    const full = members.map((m) => ({
      id: 'M1', status: 'active', cardSerial: 1, birthday: null, tier: 'basic', tierSinceNow: NOW - 86_400_000, tierSince: null, lastPurchaseAt: null, joinedAt: NOW - 400 * 86_400_000,
      months: [], lots: [], grants: [], usage: [], owed: 0, changed: false, ...m,
    }));
    return {
      rules: DEFAULT_RULES, tz: 'Asia/Shanghai', members: new Map(full.map((m) => [m.id, m])), revocations: new Map(),
      benefits: new Map([['B-MUG', { perMemberLimit: 1, requiresGrant: false, stores: [], tiers: [], validFrom: 0, validTo: Number.MAX_SAFE_INTEGER, params: null }]]), redeemCounts: new Map([['M1\u0000B-MUG', 0]]),
      ops: new Map(), earns: new Map(), welcome: [], newOps: [], voidedLoaded: new Map(), stock: new Map(), returned: new Map(),
      rulesByVersion: new Map([[DEFAULT_RULES.version, { rules: DEFAULT_RULES, publishedAt: null, supersededAt: null }]]), earnedToday: new Map(),
      facts: {
        now: NOW + 60_000, enrolledAt: NOW - 60_000, lowWaterAt: null, tz: 'Asia/Shanghai', rules: DEFAULT_RULES,
        staff: new Map([['clerk-01', { role: 'clerk', active: true }], ['mgr-01', { role: 'manager', active: true }]]), benefits: new Map([['B-MUG', { maxValueFen: 3_900 }]]), items: new Map(),
      },
    };
  }
  /** The operation as HQ reads a v1 event of it. */
  const hqOp = (o: OperationRecorded): HqOp => {
    const read = readEvent(o, [1]);
    if (!read.ok) throw new Error(read.problem);
    return read.op;
  };

  it('a void that comes before its target in the batch undoes nothing; one after it does', () => {
    const s = state([{ id: 'M1' }]);
    const redeem = op(who, 'redeem', 'M1', { benefitId: 'B-MUG', detail: { sku: 'MUG' } });
    const early = op(who, 'void', 'M1', { targetOpId: redeem.opId });
    const late = op(who, 'void', 'M1', { targetOpId: redeem.opId, at: NOW + 1 });
    applyOperation(s, hqOp(early));
    applyOperation(s, hqOp(redeem));
    expect(s.newOps.find((o) => o.id === redeem.opId)?.voidedBy).toBeNull();
    expect(s.redeemCounts.get('M1\u0000B-MUG')).toBe(1);
    applyOperation(s, hqOp(late));
    expect(s.newOps.find((o) => o.id === redeem.opId)?.voidedBy).toBe(late.opId);
    expect(s.redeemCounts.get('M1\u0000B-MUG')).toBe(0);
    // The stock row nets to zero but is still written (and so re-stamped), as one by one would.
    expect([...s.stock.values()]).toEqual([{ storeId: 'SH001', sku: 'MUG', delta: 0 }]);
    expect(s.voidedLoaded.size).toBe(0);
  });

  it('marks only members with an applied operation as changed, and flags unknown members', () => {
    const s = state([{ id: 'M1' }, { id: 'M2' }]);
    const conflicts = applyOperation(s, hqOp(op(who, 'earn', 'M9', { points: 5, amountFen: 500 })));
    expect(conflicts.map((c) => c.kind)).toEqual(['unknown_member']);
    applyOperation(s, hqOp(op(who, 'earn', 'M1', { points: 5, amountFen: 500 })));
    expect([...s.members.values()].map((m) => [m.id, m.changed])).toEqual([['M1', true], ['M2', false]]);
    expect(s.members.get('M1')!.lots.map((l) => l.remaining)).toEqual([5]);
  });
});

// Issue 15 item 7: a hostile terminal at the real boundary. One enrolled terminal sends well over
// 1,000 randomly mutated events (honest-looking v2 operations of every kind, then hostile values in
// a random subset of fields, v1 payloads mixed in, ids re-used) through its own HQ client to
// /v2/sync/push; after EACH batch HQ's database must hold: (a) every member's balance = its balance
// before + the points of its applied operations, (b) every member row as the change feed builds it
// passes the protocol schema, (c) every event acknowledged applied | duplicate | refused, a payload
// the protocol refuses as `refused` with a `malformed` conflict; and every few batches (d) a second,
// honest terminal of the same store still syncs with nothing set aside and reads what HQ holds.
// Deterministic from its seed (HOSTILE_SEED=n to replay one; every failure message names it;
// HOSTILE_LOG=1 prints what the mix came to).
// PGlite always, PostgreSQL with DATABASE_URL.
import { MEMBER_DATA } from '../../src/hq/services/pull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { uuidFrom } from '../helpers/uuidFrom';
import { DeskError } from '../../src/contract/errors';
import { businessDate, DAY_MS } from '../../src/loyalty/time';
import { getSyncState } from '../../src/store/syncState';
import { readEvent } from '../../src/hq/services/readEvent';
import { EVENT_BOUNDS } from '../../src/sync/events';
import { ALLOWED_SKEW_MS, type PushEvent, type PushResponse } from '../../src/sync/protocol';
import { memberDataSchema } from '../../src/sync/protocolEntities';
import { createHqClient } from '../../src/syncClient/hqClient';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';

const SEED = Number(process.env.HOSTILE_SEED ?? 0x15_0007);
const MIN_EVENTS = 2_000;
const MAX_BATCHES = 100;
/** The honest terminal syncs after every this many batches, and at the end. */
const HONEST_EVERY = 5;
const TZ = 'Asia/Shanghai';
const MEMBERS = Array.from({ length: 40 }, (_, i) => `M${String(i + 1).padStart(8, '0')}`);
const BENEFITS = [
  { id: 'B-VOUCHER-20', valueFen: 2_000, sku: null },
  { id: 'B-SVC-WRAP', valueFen: 0, sku: null },
  { id: 'B-GIFT-MUG', valueFen: 3_900, sku: 'GIFT-MUG' },
];
const ITEMS = [
  { id: 'C-COFFEE', cost: 300, valueFen: 2_500, sku: 'CAT-COFFEE' },
  { id: 'C-BAG', cost: 500, valueFen: 3_900, sku: 'CAT-BAG' },
];
const CATEGORIES = ['apparel', 'cosmetics', 'food', 'gift_card'];
const KINDS = ['earn', 'redeem', 'exchange', 'cash', 'donate', 'void'] as const;
type Kind = (typeof KINDS)[number];
type Payload = Record<string, unknown>;

interface Desk {
  dbPath: string;
  storeId: string;
  terminalId: string;
  credential: string;
  enrolledAt: number;
  seq: number;
}

interface OpRow {
  id: string;
  member_id: string;
  kind: string;
  status: 'applied' | 'refused';
  points: number;
  voided_by: string | null;
}


async function enroll(hq: TestHq, dir: string, name: string, storeId?: string): Promise<Desk> {
  const dbPath = await enrollNew(hq.url, hq.admin, dir, name, storeId);
  const t = openAt(dbPath, { now: NOW });
  const credential = getSyncState(t.db, 'credential')!;
  t.close();
  const [row] = await hq.db.query<{ id: string; store_id: string; enrolled_at: number }>(
    'SELECT id, store_id, enrolled_at FROM terminals ORDER BY enrolled_at DESC, id DESC LIMIT 1',
  );
  return { dbPath, storeId: row!.store_id, terminalId: row!.id, credential, enrolledAt: Number(row!.enrolled_at), seq: 0 };
}

/**
 * Does HQ read this payload (as it travels, after JSON)? The protocol's schemas, v1 held to v2's
 * bounds, and no string PostgreSQL cannot store: HQ's own reader (readEvent.ts) says so.
 */
function parses(payload: unknown): boolean {
  return readEvent(payload, [1, 2]).ok;
}

/** The op id HQ records a malformed event under: its opId when that is a uuid, else the event id. */
function malformedOpId(payload: unknown, eventId: string): string {
  const o = (typeof payload === 'object' && payload !== null ? payload : {}) as { opId?: unknown };
  return typeof o.opId === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(o.opId) ? o.opId.toLowerCase() : eventId.toLowerCase();
}

// ---- the generator: honest-looking operations, then hostile values in a random subset of fields ----

class Hostile {
  readonly rand: () => number;
  /** Operations at HQ (refreshed after each batch), and those generated in the batch being built. */
  atHq: OpRow[] = [];
  inBatch: { opId: string; memberId: string; kind: string }[] = [];
  sentOpIds: string[] = [];
  sentEventIds: string[] = [];
  otherStoreOpId = '';

  constructor(
    seed: number,
    private readonly desk: Desk,
    private readonly hqNow: () => number,
    private readonly rulesVersion: number,
  ) {
    this.rand = mulberry32(seed);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rand() * xs.length)]!;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  /** An operation as an honest v2 desk of this store records it, at around HQ's NOW. */
  honest(kind: Kind, memberId: string): Payload {
    const at = this.desk.enrolledAt + this.int(-20 * 60_000, 20 * 60_000);
    const p: Payload = {
      v: 2, opId: uuidFrom(this.rand), kind, memberId, benefitId: null, itemId: null, targetOpId: null, staffId: 'clerk-01', approvedBy: null,
      storeId: this.desk.storeId, terminalId: this.desk.terminalId, at, businessDate: businessDate(at, TZ), dayClosed: false, valueFen: 0, points: 0,
      amountFen: null, lines: [], rulesVersion: this.rulesVersion, detail: {}, offline: this.rand() < 0.5, lots: [],
    };
    switch (kind) {
      case 'earn': {
        const lines = Array.from({ length: this.int(1, 3) }, () => ({ category: this.pick(CATEGORIES), amountFen: this.int(100, 50_000) }));
        const amount = lines.reduce((s, l) => s + l.amountFen, 0);
        Object.assign(p, { lines, amountFen: amount, points: Math.floor(amount / 100) });
        break;
      }
      case 'redeem': {
        const b = this.pick(BENEFITS);
        Object.assign(p, { benefitId: b.id, valueFen: b.valueFen, detail: b.sku ? { sku: b.sku } : {} });
        break;
      }
      case 'exchange': {
        const item = this.pick(ITEMS);
        Object.assign(p, { itemId: item.id, points: -item.cost, valueFen: item.valueFen, detail: { sku: item.sku } });
        break;
      }
      case 'cash': {
        const k = this.int(1, 5);
        Object.assign(p, { points: -100 * k, valueFen: 100 * k });
        break;
      }
      case 'donate': {
        const n = this.int(100, 600);
        Object.assign(p, { points: -n, valueFen: n });
        break;
      }
      case 'void': {
        // An earlier operation of the member that HQ applied and nobody voided, or one earlier in this batch.
        const mine = [
          ...this.atHq.filter((o) => o.member_id === memberId && o.kind !== 'void' && o.status === 'applied' && o.voided_by === null).map((o) => o.id),
          ...this.inBatch.filter((o) => o.memberId === memberId && o.kind !== 'void').map((o) => o.opId),
        ];
        if (mine.length === 0) return this.honest('earn', memberId);
        Object.assign(p, { targetOpId: this.pick(mine), approvedBy: 'mgr-01', staffId: this.pick(['clerk-01', 'mgr-01']) });
        break;
      }
    }
    return p;
  }

  /** A value no honest desk would send, for a number field. */
  hostileNumber(): unknown {
    return this.pick([1e15, -1e15, -1, 0, 0.5, -0.25, 'NaN', NaN, Infinity, '100', 2 ** 53, 2 ** 53 - 1, -(2 ** 53 - 1), 1e9, -1e9, 1e9 + 1, 1e11, 1e11 + 1, null, true, [], {}]);
  }

  /** (Strings PostgreSQL cannot store, UNSTORABLE, are left to a case of their own below: HQ fails on them today.) */
  hostileString(): unknown {
    return this.pick(['', ' ', 'x'.repeat(81), 'x'.repeat(1_000), 'x'.repeat(20_000), '😀'.repeat(50), '<script>', "'; DROP TABLE members; --", 42, null, false, [], {}, ['clerk-01']]);
  }

  /** Targets a void should never be allowed to undo (docs/authority.md "void_target"). */
  hostileTarget(memberId: string, selfId: unknown): unknown {
    const others = this.atHq.filter((o) => o.member_id !== memberId);
    const refused = this.atHq.filter((o) => o.status === 'refused');
    const voids = this.atHq.filter((o) => o.kind === 'void');
    const voided = this.atHq.filter((o) => o.voided_by !== null);
    const choices: unknown[] = [uuidFrom(this.rand), null, selfId, this.otherStoreOpId];
    if (others.length > 0) choices.push(this.pick(others).id);
    if (refused.length > 0) choices.push(this.pick(refused).id);
    if (voids.length > 0) choices.push(this.pick(voids).id);
    if (voided.length > 0) choices.push(this.pick(voided).id);
    return this.pick(choices);
  }

  /** Hostile changes: each takes the payload and returns what is sent instead. */
  readonly mutators: ((p: Payload) => unknown)[] = [
    // numbers: huge, negative, fractional, NaN-as-string, wrong types
    (p) => ({ ...p, [this.pick(['points', 'valueFen', 'amountFen'])]: this.hostileNumber() }),
    // a rules version HQ never published, or no version at all (≥ 2^31 is left to a case of its own below: HQ fails on it today)
    (p) => ({ ...p, rulesVersion: this.pick<unknown>([0, 2, 999, 2 ** 31 - 1, -1, 0.5, '1', 'NaN', null, NaN]) }),
    // `at`: far past/future, just outside and just inside the skew window, the protocol's own bounds
    (p) => ({
      ...p,
      at: this.pick([
        -1e15, 1e15, 0, EVENT_BOUNDS.earliestAt - 1, EVENT_BOUNDS.latestAt + 1, EVENT_BOUNDS.latestAt,
        this.desk.enrolledAt - ALLOWED_SKEW_MS - 1, this.desk.enrolledAt - ALLOWED_SKEW_MS + 1,
        this.hqNow() + ALLOWED_SKEW_MS + 120_000, this.hqNow() + ALLOWED_SKEW_MS - 120_000, this.desk.enrolledAt - 400 * DAY_MS, '1764000000000',
      ]),
    }),
    // points of the wrong sign, or enormous
    (p) => ({ ...p, points: this.pick([-(Number(p.points) || 100), Math.abs(Number(p.points) || 100), 1e15, -1e15, 1e9, -1e9, 999_999, 150, -150, -101, -99]) }),
    // an earn whose amount is not its lines' sum, or a hundred lines of ¥10,000,000
    (p) => ({ ...p, amountFen: Number(p.amountFen ?? 0) + this.pick([1, -1, 10_000_000, 99_999_999_999]) }),
    (p) => {
      const lines = Array.from({ length: 100 }, () => ({ category: this.pick(CATEGORIES), amountFen: 1e9 }));
      return { ...p, lines, amountFen: this.pick([1e11, 1, null]), points: this.pick([2e9, 1e9, 1]), approvedBy: this.pick(['mgr-01', null]) };
    },
    // lines: too many, negative, too long a category, not an array, on a kind that has none
    (p) => ({
      ...p,
      lines: this.pick<unknown>([
        Array.from({ length: 201 }, () => ({ category: 'food', amountFen: 1 })),
        [{ category: 'apparel', amountFen: -100 }],
        [{ category: 'x'.repeat(41), amountFen: 100 }],
        [{ category: 'apparel', amountFen: 0.5 }],
        [{ category: 'apparel' }],
        [{ category: 'cosmetics', amountFen: 9_000_000 }, { category: 'cosmetics', amountFen: 900_000 }],
        [{ category: 'no-such-category', amountFen: 30_000 }],
        null,
        'apparel',
        {},
      ]),
    }),
    // tier claims
    (p) => ({
      ...p,
      detail: {
        ...(p.detail as object),
        tierChange: this.pick<unknown>([{ from: 'basic', to: 'premium' }, { from: 'basic', to: 'platinum' }, { from: 'core', to: 3 }, { to: 'core' }, 'premium', 7, null, { from: 'premium', to: 'basic' }]),
        ...(this.rand() < 0.3 ? { before: { lastPurchaseAt: -1e15, tierSince: 1e15 } } : {}),
      },
    }),
    // staff and approvers: unknown, another store's, the manager where a clerk stood, empty, absurd
    (p) => ({ ...p, staffId: this.pick<unknown>(['nobody', 'bj-clerk-01', 'bj-mgr-01', 'mgr-01', 'clerk-02', '', 'x'.repeat(81), null, 42]) }),
    (p) => ({ ...p, approvedBy: this.pick<unknown>(['clerk-01', 'nobody', 'bj-mgr-01', '', null, 'mgr-01', 'MGR-01', 'x'.repeat(200)]) }),
    // business date and the day-closed flag
    (p) => {
      const at = typeof p.at === 'number' ? p.at : NOW;
      return {
        ...p,
        businessDate: this.pick<unknown>(['9999-99-99', businessDate(at + DAY_MS, TZ), businessDate(at - DAY_MS, TZ), '0000-00-00', '2026-11-23T10', '', 20261123, null]),
        dayClosed: this.pick<unknown>([true, false, 'yes', null, 1]),
      };
    },
    // benefits and items HQ never had, or another kind's
    (p) => ({ ...p, benefitId: this.pick<unknown>(['B-NOPE', 'B-BJ-ONLY', 'B-SVC-WARRANTY', 'B-WELCOME-PREMIUM', 'C-COFFEE', '', null, 'x'.repeat(81)]) }),
    (p) => ({ ...p, itemId: this.pick<unknown>(['C-NOPE', 'C-CUP', 'C-EAR', 'B-VOUCHER-20', '', null, 'x'.repeat(81)]) }),
    (p) => ({ ...p, detail: { ...(p.detail as object), sku: this.pick<unknown>(['GIFT-PREMIUM', 'NO-SUCH-SKU', '', 5, null, 'x'.repeat(500)]) } }),
    // the kind itself
    (p) => ({ ...p, kind: this.pick<unknown>([...KINDS, 'refund', 'EARN', '', null, 3]) }),
    // void targets that do not exist, are another member's or store's, were refused, are voids, were voided
    (p) => ({ ...p, kind: 'void', targetOpId: this.hostileTarget(String(p.memberId), p.opId), approvedBy: this.pick(['mgr-01', 'mgr-01', 'clerk-01']) }),
    // members HQ does not have, or another one
    (p) => ({ ...p, memberId: this.pick<unknown>(['M99999999', 'm00000001', this.pick(MEMBERS), 'M00000041', ' M00000001', '', 'x'.repeat(81), 7, null]) }),
    // op ids: re-used (earlier or in this batch), upper case, not a uuid
    (p) => ({ ...p, opId: this.sentOpIds.length > 0 && this.rand() < 0.7 ? this.pick(this.sentOpIds) : this.pick<unknown>([String(p.opId).toUpperCase(), 'not-a-uuid', '', 1, null]) }),
    // a v1 payload (no lines, rulesVersion, dayClosed), sometimes its lines kept in detail as v1 desks did
    (p) => {
      const { lines, rulesVersion: _r, dayClosed: _d, ...rest } = p;
      return { ...rest, v: 1, ...(this.rand() < 0.5 && p.kind === 'earn' ? { detail: { ...(p.detail as object), lines } } : {}) };
    },
    (p) => ({ ...p, v: this.pick<unknown>([1, 2, '2', null, undefined]) }),
    // long strings, wrong types, missing and extra fields
    (p) => ({ ...p, [this.pick(['memberId', 'staffId', 'businessDate', 'benefitId', 'itemId', 'targetOpId', 'approvedBy'])]: this.hostileString() }),
    (p) => ({ ...p, detail: this.pick<unknown>([{ note: 'x'.repeat(9_000) }, { note: 'x'.repeat(7_000) }, [], 'detail', null, { nested: { deep: [[[[{}]]]] } }, { tierChange: { to: 'premium' }, toString: 'x', hasOwnProperty: 1 }]) }),
    (p) => ({ ...p, [this.pick(['offline', 'lots', 'lines', 'detail', 'dayClosed'])]: this.pick<unknown>([1, 'true', null, {}, [1, 2], 'x']) }),
    (p) => ({ ...p, lots: this.pick<unknown>([[{ lotId: 1, delta: 1e9 }], Array.from({ length: 1_001 }, (_, i) => ({ lotId: i, delta: -1 })), [{ lotId: 0.5, delta: 1 }], [{ lotId: 'S-1', delta: 5 }]]) }),
    (p) => {
      const q = { ...p };
      const field = this.pick(Object.keys(q).filter((k) => k !== 'storeId' && k !== 'terminalId'));
      delete q[field];
      return q;
    },
    (p) => ({ ...p, [this.pick(['extra', 'balance', 'tier', 'hqApproved', 'constructor'])]: this.pick<unknown>([1e15, 'premium', true, { points: 1e9 }]) }),
    // the terminal's identity only ever made unreadable here (another terminal's is FORBIDDEN: its own case below)
    (p) => {
      const q = { ...p };
      const field = this.pick(['storeId', 'terminalId']);
      if (this.rand() < 0.5) delete q[field];
      else q[field] = this.pick([null, 42, {}, []]);
      return q;
    },
    // the whole payload not an operation at all
    () => this.pick<unknown>([null, 42, [], ['earn'], 'operation', true, {}, { v: 2 }, { v: 1 }]),
  ];

  /** One event's payload: honest, then 0–4 hostile changes. */
  payload(): unknown {
    const memberId = this.rand() < 0.97 ? this.pick(MEMBERS) : 'M99999999';
    const r = this.rand();
    const kind: Kind = r < 0.3 ? 'earn' : r < 0.45 ? 'redeem' : r < 0.55 ? 'exchange' : r < 0.65 ? 'cash' : r < 0.75 ? 'donate' : 'void';
    let p: unknown = this.honest(kind, memberId);
    // Mostly one or two changes, so most events still parse and reach HQ's own checks.
    const r2 = this.rand();
    const n = r2 < 0.25 ? 0 : r2 < 0.7 ? 1 : r2 < 0.9 ? 2 : this.int(3, 4);
    for (let i = 0; i < n && typeof p === 'object' && p !== null && !Array.isArray(p); i++) p = this.pick(this.mutators)(p as Payload);
    // As it travels: NaN and Infinity become null, undefined fields go.
    const sent = JSON.parse(JSON.stringify(p ?? null)) as unknown;
    const o = (typeof sent === 'object' && sent !== null ? sent : {}) as { opId?: unknown; memberId?: unknown; kind?: unknown };
    if (typeof o.opId === 'string') {
      this.sentOpIds.push(o.opId);
      this.inBatch.push({ opId: o.opId, memberId: String(o.memberId), kind: String(o.kind) });
    }
    return sent;
  }

  /** A batch of 20–60 events in ascending seq; a few re-use an earlier event id (sometimes upper-cased). */
  batch(desk: Desk): PushEvent[] {
    this.inBatch = [];
    const size = this.int(20, 60);
    const out: PushEvent[] = [];
    for (let i = 0; i < size; i++) {
      const payload = this.payload();
      let id = uuidFrom(this.rand);
      if (this.sentEventIds.length > 0 && this.rand() < 0.04) {
        const earlier = this.pick(this.sentEventIds);
        id = this.rand() < 0.5 ? earlier : earlier.toUpperCase();
      }
      this.sentEventIds.push(id);
      const createdAt = this.rand() < 0.9 ? this.hqNow() : this.pick([0, -1e15, 1e15]);
      out.push({ seq: ++desk.seq, id, type: 'operation.recorded', createdAt, payload } as PushEvent);
    }
    return out;
  }
}

// ---- what HQ holds ----

async function memberFigures(hq: TestHq): Promise<Map<string, { balance: number; applied: number }>> {
  const rows = await hq.db.query<{ id: string; balance: number; applied: number }>(
    `SELECT m.id,
            (SELECT coalesce(sum((l->>'remaining')::bigint), 0) FROM jsonb_array_elements(m.lots) AS l)::bigint AS balance,
            (SELECT coalesce(sum(o.points), 0) FROM operations o WHERE o.member_id = m.id AND o.status = 'applied')::bigint AS applied
       FROM members m ORDER BY m.id`,
  );
  return new Map(rows.map((r) => [r.id, { balance: Number(r.balance), applied: Number(r.applied) }]));
}

async function memberRows(hq: TestHq): Promise<{ id: string; j: string }[]> {
  return hq.db.query<{ id: string; j: string }>(
    `SELECT id, ${MEMBER_DATA}::text AS j FROM members ORDER BY id`,
  );
}

async function counts(hq: TestHq) {
  const [r] = await hq.db.query<{ events: number; ops: number; conflicts: number; members: string }>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM operations)::int AS ops, (SELECT count(*) FROM conflicts)::int AS conflicts,
            (SELECT md5(string_agg(id || ':' || lots::text || ':' || tier, ',' ORDER BY id)) FROM members) AS members`,
  );
  return r!;
}

/**
 * Values PostgreSQL cannot hold: U+0000 and an unpaired surrogate (jsonb and text refuse both), and
 * a rules version beyond int4. HQ's reader refuses each as malformed, beside a good event that applies.
 */
const UNSTORABLE: { what: string; change: Payload }[] = [
  { what: 'U+0000 in memberId', change: { memberId: 'M0000\u00000001' } },
  { what: 'U+0000 in staffId', change: { staffId: 'clerk-01\u0000' } },
  { what: 'U+0000 in targetOpId', change: { kind: 'void', approvedBy: 'mgr-01', targetOpId: 'a\u0000b' } },
  { what: 'U+0000 in a line category', change: { lines: [{ category: 'food\u0000', amountFen: 1_000 }], amountFen: 1_000 } },
  { what: 'U+0000 in a detail key', change: { detail: { 'note\u0000': 1 } } },
  { what: 'an unpaired surrogate in itemId', change: { itemId: 'a\ud800b' } },
  { what: 'an unpaired surrogate in detail', change: { detail: { note: '\udc00' } } },
  { what: 'U+0000 in the memberId of a malformed payload', change: { memberId: 'M\u0000', at: 'noon' } },
  { what: 'rulesVersion 2^31', change: { rulesVersion: 2 ** 31 } },
  { what: 'rulesVersion 2^53 - 1', change: { rulesVersion: 2 ** 53 - 1 } },
];

const describeError = (err: unknown): string => (err instanceof DeskError ? `${err.code} ${JSON.stringify(err.params)}` : String(err));

/** After a batch failed (nothing applied): the first of its events that fails on its own, for the report. */
async function culprit(client: ReturnType<typeof createHqClient>, events: PushEvent[]): Promise<string> {
  for (const e of events) {
    const err = await client.push([e]).then(
      () => null,
      (x: unknown) => x,
    );
    if (err) return `it fails alone (${describeError(err)}): ${JSON.stringify(e).slice(0, 1_500)}`;
  }
  return 'no event fails alone';
}

describe.each(BACKENDS)('a hostile terminal sends over a thousand mutated events, on %s', (backend) => {
  let hq: TestHq;
  let hostile: Desk;
  let honest: Desk;
  let rulesVersion: number;
  let hqNow: () => number;
  const before = new Map<string, number>();
  const tmp = tempDir('ld-hostile-');

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
    // HQ's clock runs from NOW; the test knows it to the millisecond or so.
    hq.setClock(NOW);
    const t0 = Date.now();
    hqNow = () => NOW + (Date.now() - t0);
    for (const [id, f] of await memberFigures(hq)) before.set(id, f.balance - f.applied);
    hostile = await enroll(hq, tmp.dir, 'hostile');
    honest = await enroll(hq, tmp.dir, 'honest');
    const [r] = await hq.db.query<{ v: number }>("SELECT (rules->>'version')::int AS v FROM rules WHERE id = 'global'");
    rulesVersion = Number(r?.v ?? 1);
    const t = openAt(honest.dbPath, { now: NOW }, true);
    try {
      await syncOnce(t.db);
    } finally {
      t.close();
    }
  }, 60_000);

  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it(`every batch leaves balances = HQ's ledger, member rows the protocol reads, every event answered, and an honest terminal syncing (seed ${SEED})`, async () => {
    const seed = SEED;
    const gen = new Hostile(seed, hostile, hqNow, rulesVersion);
    const client = createHqClient({ url: hq.url, credential: hostile.credential });
    // An operation of another store, for voids to name: a Beijing desk's honest earn.
    const bj = await enroll(hq, tmp.dir, 'beijing', 'BJ001');
    const bjAt = bj.enrolledAt + 1;
    const bjEarn: Payload = {
      ...gen.honest('earn', 'M00000001'), storeId: bj.storeId, terminalId: bj.terminalId, staffId: 'bj-clerk-01', at: bjAt, businessDate: businessDate(bjAt, TZ),
    };
    const bjAck = await createHqClient({ url: hq.url, credential: bj.credential }).push([{ seq: 1, id: uuidFrom(gen.rand), type: 'operation.recorded', createdAt: bjAt, payload: bjEarn } as PushEvent]);
    expect(bjAck.value.acks.map((a) => a.status)).toEqual(['applied']);
    gen.otherStoreOpId = String(bjEarn.opId);

    const seenEvents = new Set<string>();
    const knownOps = new Set<string>([gen.otherStoreOpId]);
    const touched = new Set<string>();
    let sent = 0;
    let honestSyncs = 0;
    const tally = { applied: 0, duplicate: 0, refused: 0, malformed: 0 };

    const checkHonestDesk = async (why: string) => {
      const t = openAt(honest.dbPath, { now: hqNow() }, true);
      try {
        const s = await syncOnce(t.db);
        expect(s.setAside, `${why}: set aside (seed ${seed})`).toBe(0);
        expect(s.pending, `${why}: pending (seed ${seed})`).toBe(0);
        // A member the hostile terminal touched: the honest desk finds it and holds HQ's figures.
        const figures = await memberFigures(hq);
        const ids = [...touched].filter((id) => figures.has(id)).sort();
        const id = ids[honestSyncs % Math.max(1, ids.length)] ?? 'M00000001';
        expect(t.service.lookupMember({ memberId: id }).id).toBe(id);
        const [m] = await hq.db.query<{ tier: string }>('SELECT tier FROM members WHERE id = $1', [id]);
        expect(t.service.lookupMember({ memberId: id }).tier, `${why}: ${id}'s tier (seed ${seed})`).toBe(m!.tier);
        // With nothing of its own unsynced, the honest desk holds HQ's balance of every member.
        const local = new Map(
          (t.db.prepare('SELECT member_id AS id, coalesce(sum(remaining), 0) AS n FROM point_lots GROUP BY member_id').all() as { id: string; n: number }[]).map((r) => [r.id, r.n]),
        );
        const differ = [...figures].filter(([mid, f]) => (local.get(mid) ?? 0) !== f.balance).map(([mid, f]) => `${mid}: desk ${local.get(mid) ?? 0}, HQ ${f.balance}`);
        expect(differ, `${why}: balances at the honest desk that are not HQ's (seed ${seed})`).toEqual([]);
        honestSyncs++;
      } finally {
        t.close();
      }
    };

    for (let b = 0; b < MAX_BATCHES && sent < MIN_EVENTS; b++) {
      const where = `seed ${seed}, batch ${b}`;
      const events = gen.batch(hostile);
      sent += events.length;

      // (c) the push is answered: no 5xx, no thrown error, one ack per event in order.
      let res: PushResponse;
      try {
        res = (await client.push(events)).value;
      } catch (err) {
        throw new Error(`${where}: push failed ${describeError(err)}; ${await culprit(client, events)}`);
      }
      expect(res.acks.map((a) => [a.seq, a.id]), where).toEqual(events.map((e) => [e.seq, e.id]));
      expect(res.ackedThrough, where).toBe(events.at(-1)!.seq);

      gen.atHq = await hq.db.query<OpRow>('SELECT id, member_id, kind, status, points::bigint AS points, voided_by FROM operations ORDER BY id');
      const ops = new Map(gen.atHq.map((o) => [o.id, o]));
      const malformedIds: string[] = [];
      for (const [i, e] of events.entries()) {
        const ack = res.acks[i]!;
        const what = `${where}, event seq ${e.seq}: ${JSON.stringify(e.payload)?.slice(0, 300)}`;
        expect(['applied', 'duplicate', 'refused'], what).toContain(ack.status);
        const idl = e.id.toLowerCase();
        if (seenEvents.has(idl)) {
          expect(ack.status, `${what}: an event id seen before`).toBe('duplicate');
          tally.duplicate++;
          continue;
        }
        seenEvents.add(idl);
        if (!parses(e.payload)) {
          expect(ack.status, `${what}: a payload the protocol refuses`).toBe('refused');
          malformedIds.push(malformedOpId(e.payload, e.id));
          tally.malformed++;
          continue;
        }
        const p = e.payload as { opId: string; memberId: string; at: number };
        if (knownOps.has(p.opId)) {
          expect(ack.status, `${what}: an op id HQ holds`).toBe('duplicate');
          tally.duplicate++;
          continue;
        }
        knownOps.add(p.opId);
        const row = ops.get(p.opId);
        expect(row, `${what}: HQ holds the operation`).toBeDefined();
        expect(ack.status, `${what}: the ack says what HQ did`).toBe(row!.status);
        if (row!.status === 'refused') expect(Number(row!.points), `${what}: a refused operation moves no points`).toBe(0);
        tally[row!.status]++;
        if (row!.status === 'applied') touched.add(p.memberId);
        // The first checks are sure: `at` outside enrollment − skew … receipt + skew is refused.
        if (p.at < hostile.enrolledAt - ALLOWED_SKEW_MS || p.at > hqNow() + ALLOWED_SKEW_MS + 60_000) {
          expect(row!.status, `${what}: at outside HQ's window`).toBe('refused');
        }
      }
      if (malformedIds.length > 0) {
        const found = await hq.db.query<{ op_id: string }>(
          "SELECT DISTINCT op_id FROM conflicts WHERE kind = 'malformed' AND decision = 'refused' AND op_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))",
          [JSON.stringify(malformedIds)],
        );
        const have = new Set(found.map((r) => r.op_id));
        expect(malformedIds.filter((id) => !have.has(id)), `${where}: malformed events without a 'malformed' conflict`).toEqual([]);
      }
      // Every refused operation says why.
      const unexplained = await hq.db.query<{ id: string }>(
        "SELECT o.id FROM operations o WHERE o.status = 'refused' AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.op_id = o.id AND c.decision = 'refused')",
      );
      expect(unexplained.map((r) => r.id), `${where}: refused operations without a refusal`).toEqual([]);

      // (a) balance = balance before + the points HQ applied, for every member; nothing moved otherwise.
      const figures = await memberFigures(hq);
      const off: string[] = [];
      for (const [id, f] of figures) if (f.balance !== before.get(id)! + f.applied) off.push(`${id}: balance ${f.balance}, before ${before.get(id)} + applied ${f.applied}`);
      expect(off, `${where}: balances that are not HQ's ledger`).toEqual([]);
      const [stray] = await hq.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM operations o WHERE (o.status = 'refused' AND o.points <> 0) OR (o.points <> 0 AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = o.member_id))",
      );
      expect(stray!.n, `${where}: points moved by refused operations or on no member`).toBe(0);

      // What HQ applied is what an honest desk of this store could have done (docs/authority.md): signs per
      // kind, an earn within the caps (every `at` HQ accepts falls on one store day), a void only of an
      // applied, unvoided operation of the same store and member, giving back at most what it moved.
      const [caps] = await hq.db.query<{ rules: { earn: { maxPointsPerEarn: number; maxPointsPerMemberDay: number } } }>("SELECT rules FROM rules WHERE id = 'global'");
      const { maxPointsPerEarn, maxPointsPerMemberDay } = caps!.rules.earn;
      const unruly = await hq.db.query<{ id: string; why: string }>(
        `SELECT id, 'sign or cap of ' || kind || ': ' || points AS why FROM operations
          WHERE status = 'applied' AND ((kind = 'earn' AND (points < 0 OR points > $1)) OR (kind = 'redeem' AND points <> 0) OR (kind IN ('exchange', 'cash', 'donate') AND points > 0))
         UNION ALL
         SELECT member_id, 'member-day ' || sum(points) FROM operations WHERE kind = 'earn' AND status = 'applied' AND voided_by IS NULL GROUP BY member_id HAVING sum(points) > $2
         UNION ALL
         SELECT v.id, 'void of ' || coalesce(t.kind || '/' || t.status || '/' || t.store_id || '/' || t.member_id || '/' || coalesce(t.voided_by, '-'), 'nothing') || ' moving ' || v.points
           FROM operations v LEFT JOIN operations t ON t.id = v.target_op_id
          WHERE v.kind = 'void' AND v.status = 'applied' AND EXISTS (SELECT 1 FROM members m WHERE m.id = v.member_id) -- (else only recorded: unknown_member)
            AND (t.id IS NULL OR t.status <> 'applied' OR t.kind = 'void' OR t.store_id <> v.store_id OR t.member_id <> v.member_id OR t.voided_by IS DISTINCT FROM v.id
                 OR (v.points <> 0 AND sign(v.points) = sign(t.points)) OR abs(v.points) > abs(t.points))`,
        [maxPointsPerEarn, maxPointsPerMemberDay],
      );
      expect(unruly.map((r) => `${r.id} ${r.why}`), `${where}: operations HQ should not have applied so`).toEqual([]);

      // (b) every member row, as the change feed builds it, passes the protocol schema.
      for (const r of await memberRows(hq)) {
        const parsed = memberDataSchema.safeParse(JSON.parse(r.j));
        expect(parsed.success, `${where}: member ${r.id} ${parsed.success ? '' : JSON.stringify(parsed.error.issues[0])} ${r.j.slice(0, 300)}`).toBe(true);
      }

      // (d) every few batches: an honest terminal of the same store still syncs.
      if ((b + 1) % HONEST_EVERY === 0) await checkHonestDesk(where);
    }
    await checkHonestDesk(`seed ${seed}, at the end`);

    if (process.env.HOSTILE_LOG) console.log(JSON.stringify({ seed, sent, honestSyncs, ...tally }));
    expect(sent).toBeGreaterThanOrEqual(1_000);
    // The mix really exercised every answer (a generator gone honest, or gone all-malformed, would not).
    expect(tally.applied, `seed ${seed}: ${JSON.stringify(tally)}`).toBeGreaterThan(400);
    expect(tally.refused, `seed ${seed}: ${JSON.stringify(tally)}`).toBeGreaterThan(100);
    expect(tally.malformed, `seed ${seed}: ${JSON.stringify(tally)}`).toBeGreaterThan(400);
    expect(tally.duplicate, `seed ${seed}: ${JSON.stringify(tally)}`).toBeGreaterThan(40);
    const kinds = await hq.db.query<{ kind: string }>("SELECT DISTINCT kind FROM conflicts WHERE terminal_id = $1 ORDER BY kind", [hostile.terminalId]);
    for (const k of ['malformed', 'time_out_of_range', 'staff_unknown', 'business_date', 'points_recomputed', 'points_sign', 'value_adjusted', 'earn_refused', 'tier_not_confirmed', 'unknown_benefit', 'unknown_item', 'void_target', 'approver_invalid', 'unknown_member']) {
      expect(kinds.map((r) => r.kind), `seed ${seed}: conflict kinds seen`).toContain(k);
    }
    expect(honestSyncs).toBeGreaterThanOrEqual(Math.floor(MIN_EVENTS / 60 / HONEST_EVERY));
  }, 180_000);

  it('a batch whose envelope breaks the protocol is a 400 and applies nothing, its good events included', async () => {
    const gen = new Hostile(SEED + 100, hostile, hqNow, rulesVersion);
    const client = createHqClient({ url: hq.url, credential: hostile.credential });
    const good = (): PushEvent => ({ seq: ++hostile.seq, id: uuidFrom(gen.rand), type: 'operation.recorded', createdAt: hqNow(), payload: gen.honest('earn', 'M00000002') } as PushEvent);
    const breaks: ((es: PushEvent[]) => unknown[])[] = [
      (es) => [es[1], es[0], es[2]], // seq not ascending
      (es) => es.map((e, i) => (i === 1 ? { ...e, id: 'not-a-uuid' } : e)),
      (es) => es.map((e, i) => (i === 1 ? { ...e, type: 'operation.deleted' } : e)),
      (es) => es.map((e, i) => (i === 1 ? { ...e, seq: 0 } : e)),
      (es) => es.map((e, i) => (i === 1 ? { ...e, createdAt: 'yesterday' } : e)),
      (es) => es.map((e, i) => (i === 1 ? { ...e, seq: 1.5 } : e)),
      (es) => es.map((e, i) => (i === 1 ? 42 : e)),
    ];
    for (const [i, broken] of breaks.entries()) {
      const was = await counts(hq);
      const events = broken([good(), good(), good()]);
      const err = await client.push(events as PushEvent[]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `break ${i}`).toBeInstanceOf(DeskError);
      expect((err as DeskError).code, `break ${i}`).toBe('HQ_REFUSED');
      expect((err as DeskError).params, `break ${i}`).toMatchObject({ hqCode: 'BAD_REQUEST', status: 400 });
      expect(await counts(hq), `break ${i}: nothing applied`).toEqual(was);
    }
  });

  it('a value the protocol accepts but PostgreSQL cannot store is one bad event, not a failed batch', async () => {
    const gen = new Hostile(SEED + 300, hostile, hqNow, rulesVersion);
    const client = createHqClient({ url: hq.url, credential: hostile.credential });
    for (const { what, change } of UNSTORABLE) {
      const good = gen.honest('earn', 'M00000004');
      const bad = { ...gen.honest('earn', 'M00000004'), ...change };
      const events = [good, bad].map((payload) => ({ seq: ++hostile.seq, id: uuidFrom(gen.rand), type: 'operation.recorded', createdAt: hqNow(), payload }) as PushEvent);
      const was = await memberFigures(hq);
      const answer = await client.push(events).then(
        (r) => r.value,
        (e: unknown) => describeError(e),
      );
      // Once a 500 for the whole batch (the terminal's outbox stalled); now the event alone is refused.
      expect(typeof answer === 'string' ? answer : 'answered', what).toBe('answered');
      if (typeof answer === 'string') {
        expect(await memberFigures(hq), `${what}: nothing applied by the failed batch`).toEqual(was);
        continue;
      }
      expect(answer.acks.map((a) => a.status)[0], what).toBe('applied');
      expect(answer.acks[1]!.status, what).toBe('refused');
      const after = await memberFigures(hq);
      for (const [id, f] of after) expect(f.balance - f.applied, `${what}: ${id}`).toBe(before.get(id));
      for (const r of await memberRows(hq)) expect(memberDataSchema.safeParse(JSON.parse(r.j)).success, `${what}: member ${r.id}`).toBe(true);
    }
  });

  it("a batch naming another terminal is FORBIDDEN and applies nothing, its own terminal's events included", async () => {
    const gen = new Hostile(SEED + 200, hostile, hqNow, rulesVersion);
    const client = createHqClient({ url: hq.url, credential: hostile.credential });
    const other = [
      { storeId: honest.storeId, terminalId: honest.terminalId }, // a terminal of the same store
      { storeId: 'BJ001', terminalId: hostile.terminalId }, // another store
      { storeId: 'BJ001', terminalId: 'T-NOBODY' },
    ];
    for (const [i, who] of other.entries()) {
      const was = await counts(hq);
      const payloads = [gen.honest('earn', 'M00000003'), { ...gen.honest('earn', 'M00000003'), ...who }, gen.honest('cash', 'M00000003')];
      if (i === 2) payloads[1] = { ...payloads[1], v: 1, lines: undefined, rulesVersion: undefined, dayClosed: undefined };
      const events = payloads.map((payload) => ({ seq: ++hostile.seq, id: uuidFrom(gen.rand), type: 'operation.recorded', createdAt: hqNow(), payload }) as PushEvent);
      const err = await client.push(JSON.parse(JSON.stringify(events)) as PushEvent[]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `case ${i}`).toBeInstanceOf(DeskError);
      expect((err as DeskError).params, `case ${i}`).toMatchObject({ hqCode: 'FORBIDDEN', status: 403 });
      expect(await counts(hq), `case ${i}: nothing applied`).toEqual(was);
    }
  });
});

// Schema 100: outbox seqs come from the table and a high-water mark instead of AUTOINCREMENT, and
// ledger entries are found through ledger_member. A seq must never be reused (HQ refuses a new event
// under a seq it acknowledged): not after acks delete events, not across a reopen, not across the
// migration from schema 90, where only sqlite_sequence may remember the last seq.
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGroupCommit } from '../../src/store/groupCommit';
import { loadMigrations } from '../../src/store/migrations';
import { openStore, type Db } from '../../src/store/open';
import { ledgerForOp } from '../../src/store/operations';
import { appendOutbox, OUTBOX_SEQ_HIGH_WATER, pendingOutbox } from '../../src/store/outbox';
import { applyPage } from '../../src/store/syncApply';
import { applyAcks } from '../../src/store/syncState';
import { stockOf } from '../../src/store/benefits';
import { openTerminal, type OpenedTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, seedDemoDb, tempDir } from '../helpers/demoDb';

// Every SQL text the store prepares, so the plan checks look at the statements as they run.
const prepared = vi.hoisted(() => new Set<string>());
vi.mock('../../src/store/statements', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/store/statements')>();
  const stmt: typeof real.stmt = (db, sql) => {
    prepared.add(sql);
    return real.stmt(db, sql);
  };
  return { ...real, stmt };
});

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

function seeded(): string {
  const s = seedDemoDb(60);
  cleanups.push(s.cleanup);
  return s.dbPath;
}

function open(dbPath: string, online = true): OpenedTerminal {
  const t = openTerminal(dbPath, { clock: () => NOW, connectivity: () => ({ online }) });
  let closed = false;
  cleanups.push(() => {
    if (!closed) t.close();
  });
  return { ...t, close: () => ((closed = true), t.close()) };
}

const activeMembers = (db: Db, n: number) =>
  db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT ?").pluck().all(n) as string[];
const seqs = (db: Db) => db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[];
const highWater = (db: Db) => db.prepare('SELECT value FROM counters WHERE name = ?').pluck().get(OUTBOX_SEQ_HIGH_WATER) as number | undefined;
const ack = (db: Db, acked: number[]) => db.transaction(() => applyAcks(db, acked))();
const event = (n: number) => ({ id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`, opId: null, type: 'test.event', payload: { n }, createdAt: NOW + n });
const upTo90 = () => loadMigrations().filter((m) => m.version <= 90);

const stockChange = (seq: number, qty: number) =>
  ({ entity: 'stock', id: 'CAT-BAG', seq, deleted: false, data: { name: { 'zh-CN': '帆布袋', 'zh-TW': '帆布袋', en: 'Canvas bag' }, qty } }) as const;

function redeem(t: OpenedTerminal, memberId: string): number {
  return t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }).outboxSeq;
}

describe('outbox seq after acknowledgements', () => {
  it('is never reused once events are acknowledged, deleted and the file reopened', () => {
    const dbPath = seeded();
    let t = open(dbPath);
    const members = activeMembers(t.db, 6);
    const first = members.slice(0, 3).map((m) => redeem(t, m));
    expect(first).toEqual([...first].sort((a, b) => a - b));
    expect(new Set(first).size).toBe(3);

    // The newest event acknowledged alone: the largest seq leaves while older ones stay.
    ack(t.db, [first[2]!]);
    expect(seqs(t.db)).toEqual(first.slice(0, 2));
    expect(redeem(t, members[3]!)).toBe(first[2]! + 1);

    // Everything acknowledged: the outbox is empty, and the next seq still goes on.
    ack(t.db, seqs(t.db));
    expect(seqs(t.db)).toEqual([]);
    t.close();
    t = open(dbPath);
    expect(redeem(t, members[4]!)).toBe(first[2]! + 2);
    expect(pendingOutbox(t.db).map((e) => e.seq)).toEqual([first[2]! + 2]);
  });

  it('a write refused inside a group commit gives its seq back whole; committed seqs keep rising', async () => {
    const dbPath = seeded();
    const t = open(dbPath);
    const [a, b, c] = activeMembers(t.db, 3);
    const start = redeem(t, a!);
    ack(t.db, [start]);
    const commits = createGroupCommit(t.db);
    const settled = await Promise.allSettled([
      commits.run(() => redeem(t, b!)),
      commits.run(() => {
        appendOutbox(t.db, event(1));
        throw new Error('refused after taking a seq');
      }),
      commits.run(() => {
        // An acknowledgement rolled back with its savepoint must not move the high-water mark.
        applyAcks(t.db, seqs(t.db));
        throw new Error('refused after deleting');
      }),
      commits.run(() => redeem(t, c!)),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    const [sb, , , sc] = settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
    expect(sb).toBe(start + 1);
    expect(sc).toBe(start + 2);
    expect(seqs(t.db)).toEqual([start + 1, start + 2]);
    expect(highWater(t.db)).toBe(start);
    expect(t.db.prepare("SELECT count(*) FROM outbox WHERE type = 'test.event'").pluck().get()).toBe(0);
  });
});

describe('migrating from schema 90', () => {
  /** A schema-90 file whose outbox was written and acknowledged the way schema 90 did it. */
  function schema90(events: number, acked: number[]): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const dbPath = join(dir, 'desk.db');
    const { db } = openStore(dbPath, { migrations: upTo90() });
    const insert = db.prepare('INSERT INTO outbox(id, op_id, type, payload_json, created_at) VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let n = 1; n <= events; n++) {
        const e = event(n);
        insert.run(e.id, e.opId, e.type, JSON.stringify(e.payload), e.createdAt);
      }
    })();
    ack(db, acked);
    db.close();
    return dbPath;
  }

  function migrated(dbPath: string): Db {
    const s = openStore(dbPath);
    cleanups.push(() => s.db.close());
    // Schema 100 and whatever came after it, in order.
    expect(s.migrated).toEqual(loadMigrations().filter((m) => m.version > 90).map((m) => m.version));
    return s.db;
  }

  const sqliteSequence = (dbPath: string) => {
    const { db } = openStore(dbPath, { migrations: upTo90() });
    try {
      return db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").pluck().get();
    } finally {
      db.close();
    }
  };

  it('keeps pending events as they were and continues above the old high-water', () => {
    const dbPath = schema90(5, [1, 2]);
    const db = migrated(dbPath);
    expect(pendingOutbox(db)).toEqual([3, 4, 5].map((n) => ({ seq: n, ...event(n) })));
    expect(highWater(db)).toBe(5);
    expect(db.transaction(() => appendOutbox(db, event(6)))()).toBe(6);
    ack(db, seqs(db));
    expect(db.transaction(() => appendOutbox(db, event(7)))()).toBe(7);
  });

  it('continues above sqlite_sequence when every event had been deleted', () => {
    const dbPath = schema90(4, [1, 2, 3, 4]);
    expect(sqliteSequence(dbPath)).toBe(4);
    const db = migrated(dbPath);
    expect(seqs(db)).toEqual([]);
    expect(db.transaction(() => appendOutbox(db, event(5)))()).toBe(5);
  });

  it('continues above sqlite_sequence when the newest event had been deleted', () => {
    const dbPath = schema90(5, [5]);
    const db = migrated(dbPath);
    expect(seqs(db)).toEqual([1, 2, 3, 4]);
    expect(db.transaction(() => appendOutbox(db, event(6)))()).toBe(6);
  });

  it('drops the pages a redemption wrote for nothing: sqlite_sequence, the outbox id index, ledger_op', () => {
    const db = migrated(schema90(0, []));
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('outbox', 'ledger')").pluck().all();
    expect(indexes).toEqual(['ledger_member']);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'outbox'").pluck().get()).not.toMatch(/AUTOINCREMENT|UNIQUE/);
    // Empty, or gone altogether: the VACUUM after schema 130 drops an unused sqlite_sequence.
    const sequence = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'").pluck().get() === 0 ? 0 : db.prepare('SELECT count(*) FROM sqlite_sequence').pluck().get();
    expect(sequence).toBe(0);
  });
});

describe('ledger reads without ledger_op', () => {
  it('every ledger read the store prepares (void, stock from HQ) goes through an index, never a ledger scan', () => {
    const t = open(seeded(), false);
    const [m] = activeMembers(t.db, 1);
    const r = t.service.exchange({ memberId: m!, staffId: 'clerk-01', itemId: 'C-BAG' });
    t.service.voidOperation({ opId: r.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    t.db.transaction(() => applyPage(t.db, 'SH001', [stockChange(1, 70)], NOW))();
    const reads = [...prepared].filter((sql) => /^\s*SELECT/i.test(sql) && /\bledger\b/.test(sql));
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const sql of reads) {
      const params = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => 'x');
      const plan = (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join('\n');
      expect(plan, sql).toMatch(/USING INDEX ledger_member \(member_id=\? AND at=\?\)/);
      expect(plan, sql).not.toMatch(/SCAN (l|ledger|o|operations)\b/);
    }
  });

  it("an operation's entries come back whole, and only its own, beside another at the same instant", () => {
    const t = open(seeded(), false);
    const [m] = activeMembers(t.db, 1);
    const a = t.service.exchange({ memberId: m!, staffId: 'clerk-01', itemId: 'C-BAG' });
    const b = t.service.exchange({ memberId: m!, staffId: 'clerk-01', itemId: 'C-BAG' });
    const direct = (opId: string) =>
      t.db.prepare('SELECT id, account, delta, value_fen AS valueFen, lot_id AS lotId, ref FROM ledger WHERE op_id = ? ORDER BY id').all(opId);
    for (const r of [a, b]) {
      expect(direct(r.opId).length).toBeGreaterThan(1);
      expect(ledgerForOp(t.db, r.opId)).toEqual(direct(r.opId));
    }
  });

  it('HQ stock keeps counting the unsynced local moves until they are acknowledged', () => {
    const t = open(seeded(), false);
    const [m] = activeMembers(t.db, 1);
    const r = t.service.exchange({ memberId: m!, staffId: 'clerk-01', itemId: 'C-BAG' });
    const hqStock = (seq: number) => t.db.transaction(() => applyPage(t.db, 'SH001', [stockChange(seq, 70)], NOW))();
    hqStock(1);
    expect(stockOf(t.db, 'SH001', 'CAT-BAG')).toBe(69);
    ack(t.db, [r.outboxSeq]);
    hqStock(2);
    expect(stockOf(t.db, 'SH001', 'CAT-BAG')).toBe(70);
  });
});

// The outbox: events for HQ in the terminal's sequence, each with a UUIDv7 idempotency id.
import type { Db } from './open';
import { stmt } from './statements';

export interface OutboxEvent {
  seq: number;
  id: string;
  opId: string | null;
  type: string;
  payload: unknown;
  createdAt: number;
}

/**
 * Counter holding the highest seq that has left the outbox (db/terminal/100_lean_outbox.sql: a
 * trigger raises it on every delete). HQ refuses a new event under a seq it has acknowledged, so a
 * seq is never reused, even once every event before it has been acknowledged and deleted.
 */
export const OUTBOX_SEQ_HIGH_WATER = 'outbox_seq_high_water';

/**
 * Appends an event inside the caller's transaction; returns its seq: one more than any seq the
 * outbox holds or has held. Read, not kept per insert, so a redemption writes no page for it; a
 * rolled-back savepoint takes its row and so its seq back with it, and nothing was sent under it.
 */
export function appendOutbox(
  db: Db,
  e: { id: string; opId: string | null; type: string; payload: unknown; createdAt: number },
): number {
  const info = stmt(
    db,
    `INSERT INTO outbox(seq, id, op_id, type, payload_json, created_at)
     VALUES (max(coalesce((SELECT max(seq) FROM outbox), 0), coalesce((SELECT value FROM counters WHERE name = ?), 0)) + 1,
       ?, ?, ?, ?, ?)`,
  ).run(
    OUTBOX_SEQ_HIGH_WATER,
    e.id,
    e.opId,
    e.type,
    JSON.stringify(e.payload),
    e.createdAt,
  );
  return Number(info.lastInsertRowid);
}

/** `afterSeq`: only events after it (the sync sends the next batch while the previous one's acks are still being written). */
export function pendingOutbox(db: Db, limit = 1000, afterSeq = 0): OutboxEvent[] {
  return stmt<[number, number], { seq: number; id: string; op_id: string | null; type: string; payload_json: string; created_at: number }>(
    db,
    'SELECT seq, id, op_id, type, payload_json, created_at FROM outbox WHERE acked_at IS NULL AND seq > ? ORDER BY seq LIMIT ?',
  )
    .all(afterSeq, limit)
    .map((r) => ({
      seq: r.seq,
      id: r.id,
      opId: r.op_id,
      type: r.type,
      payload: JSON.parse(r.payload_json) as unknown,
      createdAt: r.created_at,
    }));
}

/**
 * Operations not yet acknowledged by HQ: their outbox rows (joins and card replacements carry no
 * operation). The status bar counts these, the same unit as the Z-report's pending (operations with
 * synced = 0), so "N 笔待同步" means the same in both; the outbox is lean, so this stays cheap.
 */
export function pendingOperationCount(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL AND op_id IS NOT NULL').get()?.n ?? 0;
}

export function pendingOutboxCount(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL').get()?.n ?? 0;
}

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

export function appendOutbox(
  db: Db,
  e: { id: string; opId: string | null; type: string; payload: unknown; createdAt: number },
): number {
  const info = stmt(db, 'INSERT INTO outbox(id, op_id, type, payload_json, created_at) VALUES (?, ?, ?, ?, ?)').run(
    e.id,
    e.opId,
    e.type,
    JSON.stringify(e.payload),
    e.createdAt,
  );
  return Number(info.lastInsertRowid);
}

export function pendingOutbox(db: Db, limit = 1000): OutboxEvent[] {
  return stmt<[number], { seq: number; id: string; op_id: string | null; type: string; payload_json: string; created_at: number }>(
    db,
    'SELECT seq, id, op_id, type, payload_json, created_at FROM outbox WHERE acked_at IS NULL ORDER BY seq LIMIT ?',
  )
    .all(limit)
    .map((r) => ({
      seq: r.seq,
      id: r.id,
      opId: r.op_id,
      type: r.type,
      payload: JSON.parse(r.payload_json) as unknown,
      createdAt: r.created_at,
    }));
}

export function pendingOutboxCount(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL').get()?.n ?? 0;
}

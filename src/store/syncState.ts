// sync_state and sync_conflicts: what the terminal keeps about its link with HQ.
import type { ConflictWire } from '../sync/protocolEntities';
import type { Db } from './open';
import { countsTowardOfflineTotal, releaseOfflineValue } from './operations';
import { stmt } from './statements';

/**
 * audit_anchor: the latest audit anchor HQ signed for this terminal (JSON, src/sync/anchor.ts).
 * restored_from: this database came from a backup (JSON, src/store/restore.ts); the next sync tells HQ.
 */
export type SyncKey = 'hq_url' | 'credential' | 'cursor' | 'clock_skew_ms' | 'last_push_at' | 'last_pull_at' | 'last_error' | 'audit_anchor' | 'restored_from';

export function getSyncState(db: Db, key: SyncKey): string | null {
  return stmt<[string], { value: string }>(db, 'SELECT value FROM sync_state WHERE key = ?').get(key)?.value ?? null;
}

export function setSyncState(db: Db, key: SyncKey, value: string): void {
  stmt(db, 'INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Idempotent: the same conflict delivered by push and again by pull is kept once. */
export function recordConflict(db: Db, c: Omit<ConflictWire, 'id'> & { id: number }, receivedAt: number): void {
  stmt(
    db,
    `INSERT INTO sync_conflicts(id, op_id, terminal_id, member_id, kind, decision, detail_json, at, decided_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  ).run(c.id, c.opId, c.terminalId, c.memberId, c.kind, c.decision, JSON.stringify(c.detail), c.at, c.decidedAt, receivedAt);
}

export interface StoredConflict {
  id: number;
  opId: string;
  terminalId: string;
  memberId: string;
  kind: string;
  decision: string;
  detail: unknown;
  at: number;
  decidedAt: number;
  seenAt: number | null;
}

export function listConflicts(db: Db, onlyOpen = false): StoredConflict[] {
  return stmt<[], { id: number; op_id: string; terminal_id: string; member_id: string; kind: string; decision: string; detail_json: string; at: number; decided_at: number; seen_at: number | null }>(
    db,
    `SELECT id, op_id, terminal_id, member_id, kind, decision, detail_json, at, decided_at, seen_at FROM sync_conflicts ${onlyOpen ? 'WHERE seen_at IS NULL' : ''} ORDER BY id`,
  )
    .all()
    .map((r) => ({
      id: r.id,
      opId: r.op_id,
      terminalId: r.terminal_id,
      memberId: r.member_id,
      kind: r.kind,
      decision: r.decision,
      detail: JSON.parse(r.detail_json) as unknown,
      at: r.at,
      decidedAt: r.decided_at,
      seenAt: r.seen_at,
    }));
}

/** After HQ acknowledged events: gone from the outbox, their operations synced, exposure released. */
export function applyAcks(db: Db, seqs: number[]): number {
  let done = 0;
  for (const seq of seqs) {
    const row = stmt<[number], { op_id: string | null }>(db, 'SELECT op_id FROM outbox WHERE seq = ?').get(seq);
    if (!row) continue;
    if (row.op_id !== null) {
      const op = stmt<[string], { kind: string; offline: number; synced: number; voided_by_op: string | null; value_fen: number }>(
        db,
        'SELECT kind, offline, synced, voided_by_op, value_fen FROM operations WHERE id = ?',
      ).get(row.op_id);
      // A voided op already gave its value back to the counter (src/terminal/operations/void.ts).
      if (op && op.synced === 0 && op.voided_by_op === null && countsTowardOfflineTotal({ kind: op.kind, offline: op.offline === 1 })) {
        releaseOfflineValue(db, op.value_fen);
      }
      stmt(db, 'UPDATE operations SET synced = 1 WHERE id = ?').run(row.op_id);
    }
    stmt(db, 'DELETE FROM outbox WHERE seq = ?').run(seq);
    done++;
  }
  return done;
}

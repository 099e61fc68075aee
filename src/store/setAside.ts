// Rows from HQ this terminal could not parse (schema 110): kept as received, with the reason, so a
// bad row never stops the pull and nothing HQ sent is silently lost.
import type { Db } from './open';
import { stmt } from './statements';

/** Enough to see what it was; a hostile row cannot fill the disk. */
const MAX_ROW_CHARS = 16_384;

export interface SetAsideRow {
  entity: string | null;
  entityId: string | null;
  reason: string;
  row: unknown;
}

export function setAside(db: Db, r: SetAsideRow, receivedAt: number): void {
  let json: string;
  try {
    json = JSON.stringify(r.row) ?? 'null';
  } catch {
    json = '"(not serialisable)"';
  }
  stmt(db, 'INSERT INTO sync_set_aside(entity, entity_id, received_at, reason, row_json) VALUES (?, ?, ?, ?, ?)').run(
    r.entity?.slice(0, 64) ?? null,
    r.entityId?.slice(0, 200) ?? null,
    receivedAt,
    r.reason.slice(0, 1000),
    json.slice(0, MAX_ROW_CHARS),
  );
}


export interface StoredSetAside {
  id: number;
  entity: string | null;
  entityId: string | null;
  reason: string;
  receivedAt: number;
  reportedAt: number | null;
}

const COLUMNS = 'id, entity, entity_id AS entityId, reason, received_at AS receivedAt, reported_at AS reportedAt';

/** Newest first, for the manager; `unreported` for the report to HQ (oldest first). */
export function listSetAside(db: Db, limit: number, unreported = false): StoredSetAside[] {
  return unreported
    ? stmt<[number], StoredSetAside>(db, `SELECT ${COLUMNS} FROM sync_set_aside WHERE reported_at IS NULL ORDER BY id LIMIT ?`).all(limit)
    : stmt<[number], StoredSetAside>(db, `SELECT ${COLUMNS} FROM sync_set_aside ORDER BY id DESC LIMIT ?`).all(limit);
}

export function markSetAsideReported(db: Db, ids: number[], at: number): void {
  const mark = stmt(db, 'UPDATE sync_set_aside SET reported_at = ? WHERE id = ? AND reported_at IS NULL');
  for (const id of ids) mark.run(at, id);
}

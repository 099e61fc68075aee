// Rows of the change feed a terminal could not parse and set aside (docs/authority.md "No poison"),
// as the terminal reports them: kept once each, listed for HQ's admin beside the conflicts.
import type { z } from 'zod';
import type { setAsideReportSchema } from '../../sync/protocol';
import type { HqDb } from '../db';
import type { TerminalPrincipal } from './enroll';

type Report = z.infer<typeof setAsideReportSchema>;

export async function recordSetAside(db: HqDb, who: TerminalPrincipal, reports: Report[], now: number): Promise<number> {
  const rows = await db.query<{ local_id: number }>(
    `INSERT INTO set_aside_reports(terminal_id, local_id, entity, entity_id, reason, received_at, reported_at)
     SELECT $2, r.local_id, r.entity, r.entity_id, r.reason, r.received_at, $3
       FROM jsonb_to_recordset($1::jsonb) AS r(local_id bigint, entity text, entity_id text, reason text, received_at bigint)
     ON CONFLICT (terminal_id, local_id) DO NOTHING RETURNING local_id`,
    [JSON.stringify(reports.map((r) => ({ local_id: r.localId, entity: r.entity, entity_id: r.entityId, reason: r.reason, received_at: r.receivedAt }))), who.terminalId, now],
  );
  return rows.length;
}

export async function listSetAsideReports(db: HqDb, storeId: string | undefined) {
  const rows = await db.query(
    `SELECT s.terminal_id AS "terminalId", t.store_id AS "storeId", s.local_id AS "localId", s.entity, s.entity_id AS "entityId", s.reason,
            s.received_at AS "receivedAt", s.reported_at AS "reportedAt"
       FROM set_aside_reports s JOIN terminals t ON t.id = s.terminal_id
      WHERE ($1::text IS NULL OR t.store_id = $1) ORDER BY s.reported_at, s.terminal_id, s.local_id`,
    [storeId ?? null],
  );
  return { setAside: rows };
}

// A terminal restored from a backup (docs/sync.md "After a restore"). Before it pushes anything it
// tells HQ the backup's audit head and outbox seq. HQ records the restore (an audit rewind its admin
// can see), re-anchors the terminal's chain at that head, and answers with the highest seq it holds
// for the terminal and, page by page, the operations the terminal pushed after the backup, so the
// terminal keeps them as history instead of losing them or sending anything twice. Only the
// caller's own events are ever read back.
import { MAX_RESTORE_OPERATIONS, type RestoreRequest, type RestoreResponse } from '../../sync/protocol';
import type { HqDb } from '../db';
import { reanchorAtRestore } from './auditAnchor';
import type { TerminalPrincipal } from './enroll';
import type { HqOp } from './readEvent';

export async function takeRestore(db: HqDb, who: TerminalPrincipal, req: RestoreRequest, now: number): Promise<RestoreResponse> {
  return db.tx(async (q) => {
    // The terminal's row locked: a push of the same terminal waits for this answer, and the other way round.
    const [t] = await q.query<{ last_seq: number }>('SELECT last_seq FROM terminals WHERE id = $1 FOR UPDATE', [who.terminalId]);
    const lastSeq = Number(t?.last_seq ?? 0);
    let anchor: RestoreResponse['anchor'] = null;
    if (req.after === undefined) {
      const re = await reanchorAtRestore(q, who.terminalId, req.audit, now);
      anchor = re.anchor;
      await q.query(
        `INSERT INTO terminal_restores(terminal_id, backup_at, audit_seq, audit_hash, outbox_seq, hq_last_seq, anchor_seq_before, head_known, head_diverges, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (terminal_id, backup_at, audit_seq, audit_hash) DO NOTHING`,
        [who.terminalId, req.backupAt, req.audit.seq, req.audit.hash, req.outboxSeq, lastSeq, re.before, re.known, re.diverges, now],
      );
    }
    const after = req.after ?? req.outboxSeq;
    // An operation carried by two events comes back once, at its first seq; a refused malformed event has no operation.
    const rows = await q.query<{ seq: number; status: 'applied' | 'refused'; payload: HqOp }>(
      `SELECT min(e.seq) AS seq, o.status, o.payload FROM events e JOIN operations o ON o.id = e.op_id
        WHERE e.terminal_id = $1 AND e.seq > $2 AND o.terminal_id = $1
        GROUP BY o.id, o.status, o.payload ORDER BY min(e.seq) LIMIT $3`,
      [who.terminalId, after, MAX_RESTORE_OPERATIONS + 1],
    );
    const page = rows.slice(0, MAX_RESTORE_OPERATIONS);
    return {
      ok: true as const,
      lastSeq,
      // As the terminal pushed it, in the current payload version (a v1 event names no rules version).
      operations: page.map((r) => ({ seq: Number(r.seq), status: r.status, payload: { ...r.payload, v: 2 as const, rulesVersion: r.payload.rulesVersion ?? 0 } })),
      more: rows.length > MAX_RESTORE_OPERATIONS,
      anchor,
      serverTime: Date.now(),
    };
  });
}

// `doctor`: integrity, schema version, row counts and the audit chain, read without changing anything.
import { verifyAuditChain } from '../../store/audit';
import { checkAuditAnchor, checkOperationsAgainstAudit } from '../../store/auditChecks';
import { readIdentity } from '../../store/meta';
import { openStore } from '../../store/open';
import { countUnprinted } from '../../store/printJobs';
import { readRestoredFrom } from '../../store/restore';
import { dbPathFrom, type Flags } from '../args';

// sync_set_aside: rows from HQ this terminal could not parse (schema 110), kept for IT and HQ.
const COUNTED = ['members', 'point_lots', 'benefits', 'catalog_items', 'staff', 'operations', 'ledger', 'outbox', 'audit', 'print_jobs', 'sync_set_aside'] as const;

export function doctorCommand(flags: Flags) {
  const path = dbPathFrom(flags);
  const { db, schemaVersion } = openStore(path, { create: false, quickCheck: false });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    const foreignKeys = db.pragma('foreign_key_check') as unknown[];
    const counts = Object.fromEntries(
      COUNTED.map((table) => [table, (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]),
    );
    const pending = {
      outbox: (db.prepare('SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL').get() as { n: number }).n,
      printJobs: countUnprinted(db),
    };
    const audit = verifyAuditChain(db);
    // HQ's signed anchor and the operations' own entries: what a local edit of the log cannot hide.
    const auditAnchor = checkAuditAnchor(db);
    const operationsVsAudit = checkOperationsAgainstAudit(db);
    const problems = [
      ...(audit.ok ? [] : [{ code: 'AUDIT_CHAIN_BROKEN', seq: audit.firstBrokenSeq, problem: audit.problem }]),
      ...(auditAnchor.problem ? [{ code: auditAnchor.problem, seq: auditAnchor.anchor?.seq ?? null }] : []),
      ...(operationsVsAudit.mismatchedTotal > 0 ? [{ code: 'AUDIT_OPERATION_MISMATCH', count: operationsVsAudit.mismatchedTotal }] : []),
    ];
    // A restored terminal's chain goes back to the backup's head: said as such, not as a truncation.
    const restored = readRestoredFrom(db);
    const healthy = integrity.length === 1 && integrity[0] === 'ok' && foreignKeys.length === 0 && problems.length === 0;
    return {
      healthy,
      path,
      schemaVersion,
      identity: readIdentity(db),
      integrity,
      foreignKeyProblems: foreignKeys.length,
      counts,
      pending,
      audit,
      auditAnchor,
      operationsVsAudit,
      problems,
      restored: restored && {
        note: `restored from a backup of ${new Date(restored.backupAt).toISOString()}`,
        backupAt: restored.backupAt,
        restoredAt: restored.restoredAt,
        auditSeq: restored.audit.seq,
        toldHq: restored.reportedAt !== null,
      },
    };
  } finally {
    db.close();
  }
}

// What `doctor` (and the day-end) check of the audit log beyond its own chain (docs/authority.md):
// that it still reaches and matches the last head HQ signed, and that every operation has the
// audit entry written with it, saying the same.
import { anchorSignedBy, signedAnchorSchema, type SignedAnchor } from '../sync/anchor';
import { auditHashAt, auditHead } from './audit';
import type { Db } from './open';
import { stmt } from './statements';
import { getSyncState } from './syncState';

export type AnchorProblem = 'AUDIT_TRUNCATED' | 'AUDIT_REWRITTEN' | 'AUDIT_ANCHOR_INVALID';

export interface AnchorCheck {
  /** The anchor this terminal holds (null: never anchored). */
  anchor: Pick<SignedAnchor, 'seq' | 'at' | 'kid'> | null;
  problem: AnchorProblem | null;
}

/** A break HQ recorded in this terminal's chain (a conflict pulled from HQ) that no manager has acknowledged yet. */
function openAuditConflict(db: Db): AnchorProblem | null {
  const row = stmt<[], { kind: string }>(
    db,
    `SELECT kind FROM sync_conflicts WHERE kind IN ('audit_truncated', 'audit_rewritten') AND seen_at IS NULL
        AND terminal_id = (SELECT value FROM meta WHERE key = 'terminal_id') ORDER BY id LIMIT 1`,
  ).get();
  return row ? (row.kind === 'audit_truncated' ? 'AUDIT_TRUNCATED' : 'AUDIT_REWRITTEN') : null;
}

/**
 * The held anchor checked against the log: a chain shorter than it, or different at its seq, is
 * reported — and so is a break HQ recorded, until a manager acknowledges it (HQ then anchors the
 * new head, so the local comparison alone would pass).
 */
export function checkAuditAnchor(db: Db): AnchorCheck {
  const recorded = openAuditConflict(db);
  const local = checkHeldAnchor(db);
  return { anchor: local.anchor, problem: local.problem ?? recorded };
}

function checkHeldAnchor(db: Db): AnchorCheck {
  const text = getSyncState(db, 'audit_anchor');
  if (text === null) return { anchor: null, problem: null };
  let parsed: SignedAnchor;
  try {
    parsed = signedAnchorSchema.parse(JSON.parse(text));
  } catch {
    return { anchor: null, problem: 'AUDIT_ANCHOR_INVALID' };
  }
  const anchor = { seq: parsed.seq, at: parsed.at, kid: parsed.kid };
  const key = stmt<[string], { x: string }>(db, 'SELECT x FROM trusted_keys WHERE kid = ?').get(parsed.kid);
  // Only HQ's key signs an anchor: an edited one (a later seq, another hash) no longer verifies.
  if (!key || !anchorSignedBy(parsed, key.x)) return { anchor, problem: 'AUDIT_ANCHOR_INVALID' };
  if (parsed.seq === 0) return { anchor, problem: null };
  if (auditHead(db).seq < parsed.seq) return { anchor, problem: 'AUDIT_TRUNCATED' };
  const hash = auditHashAt(db, parsed.seq);
  if (hash === null) return { anchor, problem: 'AUDIT_TRUNCATED' };
  return { anchor, problem: hash === parsed.hash ? null : 'AUDIT_REWRITTEN' };
}

export interface OperationAuditCheck {
  checked: number;
  /** Operations without their audit entry, or whose entry says something else (at most 20 named). */
  mismatched: { opId: string; problem: 'missing' | 'differs' }[];
  mismatchedTotal: number;
}

/** Every operation against the audit entry recordOperation wrote with it (member, value, points, approver). */
export function checkOperationsAgainstAudit(db: Db): OperationAuditCheck {
  const rows = db
    .prepare(
      `WITH a AS MATERIALIZED (SELECT ref, action, content_json FROM audit WHERE action LIKE 'operation.%')
       SELECT o.id, CASE WHEN a.ref IS NULL THEN 'missing' ELSE 'differs' END AS problem
         FROM operations o LEFT JOIN a ON a.ref = o.id AND a.action = 'operation.' || o.kind
        WHERE a.ref IS NULL
           OR json_extract(a.content_json, '$.data.memberId') IS NOT o.member_id
           OR json_extract(a.content_json, '$.data.valueFen') IS NOT o.value_fen
           OR json_extract(a.content_json, '$.data.points') IS NOT o.points
           OR json_extract(a.content_json, '$.data.approvedBy') IS NOT o.approved_by
        ORDER BY o.at, o.id`,
    )
    .all() as { id: string; problem: 'missing' | 'differs' }[];
  const checked = (db.prepare('SELECT count(*) AS n FROM operations').get() as { n: number }).n;
  return { checked, mismatched: rows.slice(0, 20).map((r) => ({ opId: r.id, problem: r.problem })), mismatchedTotal: rows.length };
}

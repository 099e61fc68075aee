// A restored terminal's first sync (docs/sync.md "After a restore"): before pushing, it tells HQ the
// backup's audit head and outbox seq; HQ re-anchors its chain there and answers with the highest
// seq it holds and the operations this terminal pushed after the backup. The outbox moves past
// that seq at once (nothing is ever sent under a seq HQ holds); the operations are kept as history
// after the pull has brought the members they name. Until both are done the restore is told again
// at the next sync (HQ takes it twice without harm).
import { DeskError } from '../contract/errors';
import type { Db } from '../store/open';
import { keepHistoryOperation, moveOutboxPast } from '../store/restoreHistory';
import { readRestoredFrom, type RestoredFrom } from '../store/restore';
import { setSyncState } from '../store/syncState';
import type { RestoreResponse } from '../sync/protocol';
import type { HqClient } from './hqClient';

export interface RestoreTold {
  restored: RestoredFrom;
  hqLastSeq: number;
  /** Events recorded since the restore, moved past HQ's highest seq. */
  moved: number;
  history: RestoreResponse['operations'];
}

/** Bounds the pages: 500 operations each, far beyond a day's work at one desk. */
const MAX_PAGES = 200;

export async function tellRestore(db: Db, client: HqClient): Promise<RestoreTold | null> {
  const restored = readRestoredFrom(db);
  if (!restored || restored.reportedAt !== null) return null;
  const history: RestoreResponse['operations'] = [];
  const base = { audit: restored.audit, outboxSeq: restored.outboxSeq, backupAt: restored.backupAt };
  let first: RestoreResponse;
  try {
    first = (await client.restored(base)).value;
  } catch (err) {
    // An HQ from before restores (no such endpoint): sync as before; the restore is told to a newer one.
    if (err instanceof DeskError && err.code === 'HQ_REFUSED' && err.params.status === 404) return null;
    throw err;
  }
  let page = first;
  history.push(...page.operations);
  for (let i = 1; page.more && i < MAX_PAGES; i++) {
    page = (await client.restored({ ...base, after: history.at(-1)!.seq })).value;
    history.push(...page.operations);
  }
  const moved = db.transaction(() => {
    const n = moveOutboxPast(db, restored.outboxSeq, first.lastSeq);
    if (first.anchor) setSyncState(db, 'audit_anchor', JSON.stringify(first.anchor));
    return n;
  }).immediate();
  return { restored, hqLastSeq: first.lastSeq, moved, history };
}

/** After the pull: HQ's operations kept as history, and the restore marked told. */
export function keepRestoreHistory(db: Db, told: RestoreTold, now: number): { kept: number; known: number; skipped: number } {
  return db.transaction(() => {
    const counts = { kept: 0, known: 0, skipped: 0 };
    for (const op of told.history) counts[keepHistoryOperation(db, op.payload)]++;
    setSyncState(db, 'restored_from', JSON.stringify({ ...told.restored, reportedAt: now }));
    return counts;
  }).immediate();
}

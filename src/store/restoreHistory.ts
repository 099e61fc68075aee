// What a restored terminal writes once HQ has answered its restore (docs/sync.md "After a restore"):
// its outbox moved past every seq HQ holds, and the operations it had pushed after the backup kept
// as history — synced, with their audit entries, no ledger, receipt or outbox event of their own
// (HQ already applied them; the members they touched come back by pull).
import type { OperationRecordedV2 } from '../sync/events';
import { appendAudit } from './audit';
import { getOperation, insertOperation, markVoided } from './operations';
import type { Db } from './open';
import { OUTBOX_SEQ_HIGH_WATER } from './outbox';
import { stmt } from './statements';

/**
 * Events recorded since the restore took seqs after the backup's, which HQ may already hold under
 * other ids: they move, in order, to just after HQ's highest; and no later event goes below it.
 * Returns how many moved.
 */
export function moveOutboxPast(db: Db, backupSeq: number, hqLastSeq: number): number {
  const low = stmt<[number], { n: number | null; c: number }>(db, 'SELECT min(seq) AS n, count(*) AS c FROM outbox WHERE seq > ?').get(backupSeq);
  let moved = 0;
  if (low && low.n !== null && low.n <= hqLastSeq) {
    const shift = hqLastSeq - low.n + 1;
    // Through negative seqs, so no two rows ever share one on the way.
    stmt(db, 'UPDATE outbox SET seq = -seq WHERE seq > ?').run(backupSeq);
    stmt(db, 'UPDATE outbox SET seq = ? - seq WHERE seq < 0').run(shift);
    moved = low.c;
  }
  stmt(db, `INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = max(value, excluded.value)`).run(OUTBOX_SEQ_HIGH_WATER, hqLastSeq);
  return moved;
}

const exists = (db: Db, table: 'members' | 'staff' | 'benefits' | 'catalog_items' | 'operations', id: string | null): boolean =>
  id === null || stmt<[string], { one: number }>(db, `SELECT 1 AS one FROM ${table} WHERE id = ?`).get(id) !== undefined;

/**
 * Keeps one operation HQ sent back as history; 'known' when the terminal holds it already, 'skipped'
 * when it names a member, staff, benefit, item or operation this terminal does not hold (HQ's member
 * rows still carry its effect).
 */
export function keepHistoryOperation(db: Db, p: OperationRecordedV2): 'kept' | 'known' | 'skipped' {
  if (getOperation(db, p.opId)) return 'known';
  const named =
    exists(db, 'members', p.memberId) && exists(db, 'staff', p.staffId) && exists(db, 'staff', p.approvedBy) &&
    exists(db, 'benefits', p.benefitId) && exists(db, 'catalog_items', p.itemId) && exists(db, 'operations', p.targetOpId);
  if (!named) return 'skipped';
  insertOperation(db, {
    id: p.opId, kind: p.kind, memberId: p.memberId, benefitId: p.benefitId, itemId: p.itemId, targetOpId: p.targetOpId,
    staffId: p.staffId, approvedBy: p.approvedBy, storeId: p.storeId, terminalId: p.terminalId, at: p.at,
    businessDate: p.businessDate, valueFen: p.valueFen, points: p.points, amountFen: p.amountFen, detail: p.detail, offline: p.offline,
  });
  stmt(db, 'UPDATE operations SET synced = 1 WHERE id = ?').run(p.opId);
  if (p.kind === 'void' && p.targetOpId !== null) markVoided(db, p.targetOpId, p.opId);
  // The same entry recordOperation writes, so doctor's check of operations against the log holds; marked as HQ's copy.
  appendAudit(db, {
    at: p.at, actor: p.staffId, action: `operation.${p.kind}`, ref: p.opId,
    data: { memberId: p.memberId, valueFen: p.valueFen, points: p.points, approvedBy: p.approvedBy, fromHqAfterRestore: true },
  });
  return 'kept';
}

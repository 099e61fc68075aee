// The one writer behind every operation: inside the caller's transaction it writes the operation,
// its ledger entries, the outbox event, the audit entry and the print job — all or nothing.
import { appendAudit } from '../../store/audit';
import { addToCounter, countsTowardOfflineTotal, insertLedger, insertOperation, UNSYNCED_VALUE, type LedgerEntry, type Operation } from '../../store/operations';
import { appendOutbox } from '../../store/outbox';
import { enqueuePrint } from '../../store/printJobs';
import { OUTBOX_EVENT_TYPES, purchaseLineSchema, type OperationRecordedV2 } from '../../sync/events';
import type { ServiceDeps } from './deps';
import { businessDate } from '../../loyalty/time';
import type { Recorded, ReceiptModel } from '../../contract/deskTypes';

/** An earn's purchase lines as its detail keeps them (with each line's points), or the lines a return names, for the event. */
function purchaseLines(detail: Record<string, unknown>): OperationRecordedV2['lines'] {
  const lines = Array.isArray(detail.lines) ? (detail.lines as unknown[]) : [];
  return lines.flatMap((l) => {
    const p = purchaseLineSchema.safeParse(l);
    return p.success ? [{ category: p.data.category, amountFen: p.data.amountFen }] : [];
  });
}

export function recordOperation(
  deps: ServiceDeps,
  op: Operation,
  ledger: LedgerEntry[],
  receipt: ReceiptModel,
): Recorded {
  const { db } = deps;
  insertOperation(db, op);
  for (const entry of ledger) insertLedger(db, op.id, op.memberId, op.at, entry);
  if (countsTowardOfflineTotal(op)) addToCounter(db, UNSYNCED_VALUE, op.valueFen);

  const event: OperationRecordedV2 = {
    v: 2,
    opId: op.id,
    kind: op.kind,
    memberId: op.memberId,
    benefitId: op.benefitId,
    itemId: op.itemId,
    targetOpId: op.targetOpId,
    staffId: op.staffId,
    approvedBy: op.approvedBy,
    storeId: op.storeId,
    terminalId: op.terminalId,
    at: op.at,
    businessDate: op.businessDate,
    // After the manager closed the day, operations carry the next business day (businessDay.ts).
    dayClosed: op.businessDate !== businessDate(op.at, deps.identity.tz),
    valueFen: op.valueFen,
    points: op.points,
    amountFen: op.amountFen,
    // HQ computes an earn's points from its lines under the rules version named here (docs/authority.md).
    lines: op.kind === 'earn' || op.kind === 'return' ? purchaseLines(op.detail) : [],
    rulesVersion: deps.rules.version,
    detail: op.detail,
    offline: op.offline,
    lots: ledger.filter((e) => e.account === 'points' && e.lotId !== null).map((e) => ({ lotId: e.lotId!, delta: e.delta })),
  };
  const outboxSeq = appendOutbox(db, {
    id: deps.newId(),
    opId: op.id,
    type: OUTBOX_EVENT_TYPES.operationRecorded,
    payload: event,
    createdAt: op.at,
  });
  const audit = appendAudit(db, {
    at: op.at,
    actor: op.staffId,
    action: `operation.${op.kind}`,
    ref: op.id,
    data: { memberId: op.memberId, valueFen: op.valueFen, points: op.points, approvedBy: op.approvedBy, outboxSeq },
  });
  // The receipt carries the mark of its audit entry, so the paper in the customer's hand anchors the log.
  const printJobId = enqueuePrint(db, { opId: op.id, kind: op.kind, payload: { ...receipt, audit: { seq: audit.seq, mark: audit.hash.slice(0, 8) } }, createdAt: op.at });
  return { opId: op.id, outboxSeq, auditSeq: audit.seq, printJobId };
}

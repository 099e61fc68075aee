// The one writer behind every operation: inside the caller's transaction it writes the operation,
// its ledger entries, the outbox event, the audit entry and the print job — all or nothing.
import { appendAudit } from '../../store/audit';
import { addToCounter, countsTowardOfflineTotal, insertLedger, insertOperation, UNSYNCED_VALUE, type LedgerEntry, type Operation } from '../../store/operations';
import { appendOutbox } from '../../store/outbox';
import { enqueuePrint } from '../../store/printJobs';
import { OUTBOX_EVENT_TYPES, type OperationRecorded } from '../../sync/events';
import type { ServiceDeps } from './deps';
import type { Recorded, ReceiptModel } from '../../contract/deskTypes';

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

  const event: OperationRecorded = {
    v: 1,
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
    valueFen: op.valueFen,
    points: op.points,
    amountFen: op.amountFen,
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
  const auditSeq = appendAudit(db, {
    at: op.at,
    actor: op.staffId,
    action: `operation.${op.kind}`,
    ref: op.id,
    data: { memberId: op.memberId, valueFen: op.valueFen, points: op.points, approvedBy: op.approvedBy, outboxSeq },
  });
  const printJobId = enqueuePrint(db, { opId: op.id, kind: op.kind, payload: receipt, createdAt: op.at });
  return { opId: op.id, outboxSeq, auditSeq, printJobId };
}

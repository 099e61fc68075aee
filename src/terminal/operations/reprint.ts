// Reprints (a new print job with the stored receipt, marked as a copy, and an audit entry saying
// who asked) and the receipt as the screen shows it.
import { DeskError } from '../../contract/errors';
import { appendAudit } from '../../store/audit';
import { enqueuePrint, printJobsForOp } from '../../store/printJobs';
import type { ServiceDeps } from './deps';
import { requireStaff } from './lookups';
import { RECENT_DAYS } from './recentOps';
import { slipJobs } from './slips';
import type { ReceiptModel } from '../../contract/deskTypes';
import type { ReceiptPreview } from '../../contract/terminalApi';

export function reprint(deps: ServiceDeps, input: { opId: string; staffId: string }): { printJobId: number } {
  return deps.db.transaction(() => {
    const now = deps.clock();
    const staff = requireStaff(deps, input.staffId);
    // Not an operation: a sign-up's or replacement's slip 今日业务 lists, named by its own id.
    const opJobs = printJobsForOp(deps.db, input.opId);
    const jobs = opJobs.length > 0 ? opJobs : slipJobs(deps, input.opId, RECENT_DAYS);
    const original = jobs[0];
    if (!original) throw new DeskError('UNKNOWN_OPERATION', { ref: input.opId });
    // A paper of this receipt still waiting (the original or a copy) prints by itself once a printer
    // can: another copy would only pile up (ten taps with no printer were ten copies). Refused with
    // nothing written, inside the same IMMEDIATE transaction as the insert, so two desks racing
    // cannot both add one. A job that gave up ('failed') waits for no one: a reprint then adds one.
    const waiting = jobs.find((j) => j.status === 'pending');
    if (waiting) throw new DeskError('RECEIPT_ALREADY_WAITING', { ref: input.opId, ...(waiting.id === original.id ? {} : { context: 'copy' }) });
    const payload = { ...(original.payload as Record<string, unknown>), copy: true };
    const printJobId = enqueuePrint(deps.db, { opId: original.opId, kind: original.kind, payload, createdAt: now });
    appendAudit(deps.db, { at: now, actor: staff.id, action: 'receipt.reprint', ref: input.opId, data: { printJobId } });
    return { printJobId };
  }).immediate();
}

/** The receipt of an operation as its newest print job holds it (a reprint's says COPY). */
export function receiptPreview(deps: ServiceDeps, opId: string): ReceiptPreview {
  const jobs = printJobsForOp(deps.db, opId);
  const job = jobs[jobs.length - 1];
  if (!job) throw new DeskError('UNKNOWN_OPERATION', { ref: opId });
  const payload = job.payload as ReceiptModel & { copy?: boolean };
  return { opId, printJobId: job.id, status: job.status, copy: payload.copy === true, receipt: payload };
}

// Reprints: a new print job with the stored receipt, marked as a copy, and an audit entry saying who asked.
import { DeskError } from '../contract/errors';
import { appendAudit } from '../store/audit';
import { enqueuePrint, printJobsForOp } from '../store/printJobs';
import type { ServiceDeps } from './deps';
import { requireStaff } from './lookups';

export function reprint(deps: ServiceDeps, input: { opId: string; staffId: string }): { printJobId: number } {
  return deps.db.transaction(() => {
    const now = deps.clock();
    const staff = requireStaff(deps, input.staffId);
    const original = printJobsForOp(deps.db, input.opId)[0];
    if (!original) throw new DeskError('UNKNOWN_OPERATION', { ref: input.opId });
    const payload = { ...(original.payload as Record<string, unknown>), copy: true };
    const printJobId = enqueuePrint(deps.db, { opId: input.opId, kind: original.kind, payload, createdAt: now });
    appendAudit(deps.db, { at: now, actor: staff.id, action: 'receipt.reprint', ref: input.opId, data: { printJobId } });
    return { printJobId };
  }).immediate();
}

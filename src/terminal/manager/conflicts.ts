// What HQ decided about this store's offline operations, for the manager: the member, the benefit,
// our redemption and any other redemption of the same benefit this terminal knows, HQ's decision.
// Acknowledging one records who saw it and when, audited.
import { conflictReason } from '../../contract/conflictReason';
import { DeskError } from '../../contract/errors';
import { appendAudit } from '../../store/audit';
import { actorOf, approvalData, requireActor, type ManagerAct } from './approval';
import { getBenefit } from '../../store/benefits';
import { getMember } from '../../store/members';
import { getOperation } from '../../store/operations';
import { stmt } from '../../store/statements';
import { listConflicts } from '../../store/syncState';
import type { ServiceDeps } from '../operations/deps';
import { requireManager } from '../operations/lookups';
import type { ConflictOp, ConflictView, SetAsideView } from '../../contract/managerTypes';
import { listSetAside } from '../../store/setAside';

interface OpRow {
  id: string;
  kind: string;
  at: number;
  terminal_id: string;
  staff_id: string;
  value_fen: number;
  amount_fen: number | null;
  points: number;
  voided_by_op: string | null;
}
const toOp = (o: OpRow): ConflictOp => ({
  opId: o.id, kind: o.kind, at: o.at, terminalId: o.terminal_id, staffId: o.staff_id, valueFen: o.value_fen, amountFen: o.amount_fen, points: o.points, voided: o.voided_by_op !== null,
});

export function conflictViews(deps: ServiceDeps, onlyOpen = false): ConflictView[] {
  const { db } = deps;
  return listConflicts(db, onlyOpen).map((c): ConflictView => {
    const member = getMember(db, c.memberId);
    const op = getOperation(db, c.opId);
    const detail = (c.detail ?? {}) as { benefitId?: unknown };
    const benefitId = op?.benefitId ?? (typeof detail.benefitId === 'string' ? detail.benefitId : null);
    const benefit = benefitId ? getBenefit(db, benefitId) : undefined;
    const others = benefitId
      ? stmt<[string, string, string], OpRow>(
          db,
          "SELECT id, kind, at, terminal_id, staff_id, value_fen, amount_fen, points, voided_by_op FROM operations WHERE member_id = ? AND benefit_id = ? AND kind = 'redeem' AND id <> ? ORDER BY at",
        )
          .all(c.memberId, benefitId, c.opId)
          .map(toOp)
      : [];
    const seen = stmt<[number], { seen_at: number | null; seen_by: string | null }>(db, 'SELECT seen_at, seen_by FROM sync_conflicts WHERE id = ?').get(c.id);
    return {
      id: c.id,
      kind: c.kind,
      decision: c.decision,
      detail: c.detail,
      reason: conflictReason(c.kind, c.detail),
      at: c.at,
      decidedAt: c.decidedAt,
      terminalId: c.terminalId,
      member: { id: c.memberId, name: member?.name ?? null, cardNo: member?.card_no ?? null },
      benefit: benefit ? { id: benefit.id, name: benefit.name } : benefitId ? { id: benefitId, name: { 'zh-CN': benefitId, 'zh-TW': benefitId, en: benefitId } } : null,
      op: op ? toOp({ id: op.id, kind: op.kind, at: op.at, terminal_id: op.terminalId, staff_id: op.staffId, value_fen: op.valueFen, amount_fen: op.amountFen, points: op.points, voided_by_op: op.voidedByOp }) : null,
      others,
      acknowledged: seen?.seen_at != null && seen.seen_by != null ? { at: seen.seen_at, by: seen.seen_by } : null,
    };
  });
}

/** Idempotent: acknowledging twice keeps the first acknowledgement. */
export function acknowledgeConflict(deps: ServiceDeps, input: ManagerAct & { conflictId: number; note?: string | undefined }): { id: number; at: number; by: string } {
  return deps.db.transaction(() => {
    requireManager(deps, input.managerId);
    requireActor(deps, input);
    const row = stmt<[number], { seen_at: number | null; seen_by: string | null; op_id: string; kind: string }>(
      deps.db,
      'SELECT seen_at, seen_by, op_id, kind FROM sync_conflicts WHERE id = ?',
    ).get(input.conflictId);
    if (!row) throw new DeskError('UNKNOWN_CONFLICT', { ref: input.conflictId });
    if (row.seen_at !== null && row.seen_by !== null) return { id: input.conflictId, at: row.seen_at, by: row.seen_by };
    const now = deps.clock();
    stmt(deps.db, 'UPDATE sync_conflicts SET seen_at = ?, seen_by = ? WHERE id = ?').run(now, input.managerId, input.conflictId);
    appendAudit(deps.db, {
      at: now,
      actor: actorOf(input),
      action: 'conflict.acknowledged',
      ref: String(input.conflictId),
      data: { opId: row.op_id, kind: row.kind, ...(input.note ? { note: input.note } : {}), ...approvalData(input) },
    });
    return { id: input.conflictId, at: now, by: input.managerId };
  }).immediate();
}

/** The rows from HQ this terminal set aside, newest first (the last 100), for the manager. */
export function setAsideViews(deps: ServiceDeps): SetAsideView[] {
  return listSetAside(deps.db, 100).map((r) => ({ id: r.id, entity: r.entity, entityId: r.entityId, receivedAt: r.receivedAt, reported: r.reportedAt !== null }));
}

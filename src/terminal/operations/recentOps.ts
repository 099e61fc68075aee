// The desk's recent operations (this terminal, newest first): what staff pick from to void or reprint.
// Sign-ups and lost-card replacements are listed too, to reprint (they are not operations: no void).
import { businessDate, DAY_MS } from '../../loyalty/time';
import type { LocalizedText } from '../../loyalty/types';
import { maskName } from '../../print/receiptModel';
import { stmt } from '../../store/statements';
import { operatingDay } from './businessDay';
import type { ServiceDeps } from './deps';
import { recentSlips } from './slips';
import { isVoidable } from './void';
import type { RecentOperation, OpKind } from '../../contract/deskTypes';

interface Row {
  id: string;
  kind: OpKind;
  at: number;
  business_date: string;
  member_id: string;
  name: string | null;
  staff_id: string;
  value_fen: number;
  amount_fen: number | null;
  points: number;
  voided_by_op: string | null;
  target_op_id: string | null;
  payload_json: string | null;
  status: string | null;
}

/** How many business days back 今日业务 reaches, and so what 补打 can find of a slip with no operation. */
export const RECENT_DAYS = 3;

/**
 * Operations of the last few business days (the day index keeps this a range scan, not a table scan),
 * with the sign-ups' and replacements' slips of those days among them (slips.ts), newest first.
 */
export function recentOperations(deps: ServiceDeps, limit: number, days = RECENT_DAYS): RecentOperation[] {
  return [...operationsSince(deps, limit, days), ...recentSlips(deps, days)]
    .sort((a, b) => b.at - a.at || (a.opId < b.opId ? 1 : a.opId > b.opId ? -1 : 0))
    .slice(0, limit);
}

function operationsSince(deps: ServiceDeps, limit: number, days: number): RecentOperation[] {
  const since = businessDate(deps.clock() - days * DAY_MS, deps.identity.tz);
  const rows = stmt<[string, string, number], Row>(
    deps.db,
    `SELECT o.id, o.kind, o.at, o.business_date, o.member_id, m.name, o.staff_id, o.value_fen, o.amount_fen, o.points,
            o.voided_by_op, o.target_op_id, j.payload_json, j.status
       FROM operations o
       LEFT JOIN members m ON m.id = o.member_id
       LEFT JOIN print_jobs j ON j.id = (SELECT MAX(id) FROM print_jobs WHERE op_id = o.id)
      WHERE o.business_date >= ? AND o.terminal_id = ?
      ORDER BY o.at DESC, o.id DESC
      LIMIT ?`,
  ).all(since, deps.identity.terminalId, limit);
  const today = operatingDay(deps, deps.clock()).date;
  return rows.map((r) => {
    let subject: LocalizedText | null = null;
    if (r.payload_json !== null) {
      const payload = JSON.parse(r.payload_json) as { subject?: { name?: LocalizedText } | null };
      subject = payload.subject?.name ?? null;
    }
    return {
      opId: r.id,
      kind: r.kind,
      at: r.at,
      businessDate: r.business_date,
      memberId: r.member_id,
      maskedName: maskName(r.name ?? ''),
      staffId: r.staff_id,
      valueFen: r.value_fen,
      amountFen: r.amount_fen,
      points: r.points,
      subject,
      voided: r.voided_by_op !== null,
      voidable: isVoidable(deps.db, { id: r.id, kind: r.kind, memberId: r.member_id, voidedByOp: r.voided_by_op, businessDate: r.business_date }, today),
      targetOpId: r.target_op_id,
      printStatus: r.status,
    };
  });
}

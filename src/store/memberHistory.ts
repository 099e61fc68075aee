// What the member's history reads here (docs/history.md): the member's operations at this terminal
// since an instant, newest first, under their id and the ids merged into them (their operations
// stay under the old id here), with what later returns took back of each purchase.
import type { OpKind } from '../contract/deskTypes';
import type { Db } from './open';
import { stmt } from './statements';

export interface LocalHistoryRow {
  id: string;
  kind: OpKind;
  at: number;
  business_date: string;
  store_id: string;
  terminal_id: string;
  staff_id: string;
  points: number;
  amount_fen: number | null;
  value_fen: number;
  benefit_id: string | null;
  item_id: string | null;
  target_op_id: string | null;
  synced: number;
  voided: number;
  returned_fen: number;
}

/** The member's id and every alias merged into it (db/terminal/140). */
export function memberIdsOf(db: Db, memberId: string): string[] {
  const aliases = stmt<[string], { alias_id: string }>(db, 'SELECT alias_id FROM member_aliases WHERE member_id = ? AND tombstone = 0').all(memberId);
  return [memberId, ...aliases.map((a) => a.alias_id)];
}

export function localHistory(db: Db, memberId: string, terminalId: string, since: number, limit: number): LocalHistoryRow[] {
  const ids = memberIdsOf(db, memberId);
  // operations_member_benefit leads with member_id: one short range per id, sorted after.
  return stmt<unknown[], LocalHistoryRow>(
    db,
    `SELECT o.id, o.kind, o.at, o.business_date, o.store_id, o.terminal_id, o.staff_id, o.points, o.amount_fen, o.value_fen,
            o.benefit_id, o.item_id, o.target_op_id, o.synced, o.voided_by_op IS NOT NULL AS voided,
            CASE WHEN o.kind = 'earn' THEN coalesce((SELECT sum(r.amount_fen) FROM operations r
                                                      WHERE r.member_id = o.member_id AND r.benefit_id IS NULL AND r.kind = 'return'
                                                        AND r.target_op_id = o.id AND r.voided_by_op IS NULL), 0)
                 ELSE 0 END AS returned_fen
       FROM operations o
      WHERE o.member_id IN (SELECT value FROM json_each(?)) AND o.terminal_id = ? AND o.at >= ?
      ORDER BY o.at DESC, o.id DESC
      LIMIT ?`,
  ).all(JSON.stringify(ids), terminalId, since, limit);
}

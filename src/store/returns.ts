// What a return reads of the purchase it returns: the earlier returns of it and the lot it created.
import { returnedLinesOf, type ReturnedLine } from '../loyalty/returns';
import type { Db } from './open';
import { stmt } from './statements';

/**
 * Every line the returns of `purchaseId` took so far. A return carries no benefit, so
 * operations_member_benefit finds the member's few such rows before target_op_id is compared.
 */
export function returnsOfPurchase(db: Db, memberId: string, purchaseId: string): ReturnedLine[] {
  return stmt<[string, string], { detail_json: string }>(
    db,
    `SELECT detail_json FROM operations INDEXED BY operations_member_benefit
      WHERE member_id = ? AND benefit_id IS NULL AND kind = 'return' AND target_op_id = ? AND voided_by_op IS NULL`,
  )
    .all(memberId, purchaseId)
    .flatMap((r) => returnedLinesOf(JSON.parse(r.detail_json)));
}

/** The member's purchases (earns) recorded here since `since`, not voided, newest first. */
export function purchasesSince(db: Db, memberId: string, since: number, limit: number): string[] {
  return stmt<[string, number, number], { id: string }>(
    db,
    `SELECT id FROM operations INDEXED BY operations_member_benefit
      WHERE member_id = ? AND benefit_id IS NULL AND at >= ? AND kind = 'earn' AND voided_by_op IS NULL ORDER BY at DESC, id DESC LIMIT ?`,
  )
    .all(memberId, since, limit)
    .map((r) => r.id);
}

/** The lot a purchase's points went into: ours (op_id) or HQ's copy of it (hq_key, the purchase's id). */
export function purchaseLotId(db: Db, memberId: string, purchaseId: string): number | null {
  return (
    stmt<[string, string, string], { id: number }>(
      db,
      'SELECT id FROM point_lots WHERE member_id = ? AND (op_id = ? OR hq_key = ?) ORDER BY id LIMIT 1',
    ).get(memberId, purchaseId, purchaseId)?.id ?? null
  );
}

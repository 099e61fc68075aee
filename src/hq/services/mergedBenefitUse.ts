// A once-only benefit used under both sign-ups HQ merged into one member (docs/join.md): the usual
// benefit_limit conflict says the limit was passed; merge_benefit_twice says why — each sign-up used
// it before HQ merged them, so the manager need not look for a desk that redeemed twice. The side of
// a use is the id its terminal named: an alias (kept in alias_operations) or the member itself.
import type { Queryable } from '../db';
import type { BatchState, NewConflict } from './applyOperation';

/** Records which operations of the batch named an alias (op id → alias id). */
export async function recordAliasOps(q: Queryable, named: ReadonlyMap<string, string>): Promise<void> {
  if (named.size === 0) return;
  await q.query(
    `INSERT INTO alias_operations(op_id, alias_id) SELECT r.op_id, r.alias_id FROM jsonb_to_recordset($1::jsonb) AS r(op_id text, alias_id text)
     ON CONFLICT (op_id) DO NOTHING`,
    [JSON.stringify([...named].map(([op_id, alias_id]) => ({ op_id, alias_id })))],
  );
}

/** The sides (named ids) of the member's standing uses of the benefit before `opId`: earlier batches, then this one. */
async function earlierSides(q: Queryable, state: BatchState, named: ReadonlyMap<string, string>, c: { opId: string; memberId: string; benefitId: string }): Promise<string[]> {
  const rows = await q.query<{ side: string }>(
    `SELECT coalesce(a.alias_id, o.member_id) AS side FROM operations o LEFT JOIN alias_operations a ON a.op_id = o.id
      WHERE o.member_id = $1 AND o.kind = 'redeem' AND o.benefit_id = $2 AND o.status = 'applied' AND o.voided_by IS NULL`,
    [c.memberId, c.benefitId],
  );
  const sides = rows.map((r) => r.side);
  for (const o of state.newOps) {
    if (o.id === c.opId) break;
    if (o.kind === 'redeem' && o.status === 'applied' && o.voidedBy === null && o.memberId === c.memberId && o.benefitId === c.benefitId) sides.push(named.get(o.id) ?? o.memberId);
  }
  return sides;
}

/** merge_benefit_twice for each benefit_limit conflict of the batch whose earlier use was by the other sign-up. */
export async function mergedBenefitTwice(q: Queryable, state: BatchState, decided: readonly NewConflict[], named: ReadonlyMap<string, string>): Promise<NewConflict[]> {
  const out: NewConflict[] = [];
  for (const c of decided) {
    if (c.kind !== 'benefit_limit' || typeof c.detail.benefitId !== 'string') continue;
    const side = named.get(c.opId) ?? c.memberId;
    const other = (await earlierSides(q, state, named, { opId: c.opId, memberId: c.memberId, benefitId: c.detail.benefitId })).find((s) => s !== side);
    if (other === undefined) continue;
    const aliasId = side === c.memberId ? other : side;
    out.push({ ...c, kind: 'merge_benefit_twice', detail: { benefitId: c.detail.benefitId, limit: c.detail.limit ?? null, aliasId } });
  }
  return out;
}

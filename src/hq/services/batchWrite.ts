// Writes the result of a push batch (applyOperation.ts on batchLoad.ts's state) back in a few bulk
// statements: new operations, voided targets, stock deltas, conflicts. Every row written gets seq
// NULL, for stampChanges to stamp at commit. Changed members are the exception: the stamp writes
// them (memberWrites) in the UPDATE that stamps them, so each is rewritten once per batch, not
// twice (a member row has five indexes, and every rewrite that moves seq updates all of them).
import type { ConflictWire } from '../../sync/protocolEntities';
import type { Queryable } from '../db';
import type { BatchState, MemberState, NewConflict } from './applyOperation';
import { memberRecordColumns, memberSetClause, type MemberWrite } from './memberWrite';

async function insertOperations(q: Queryable, state: BatchState, now: number): Promise<void> {
  if (state.newOps.length === 0) return;
  const rows = state.newOps.map((o) => ({
    id: o.id, terminal_id: o.payload.terminalId, store_id: o.storeId, member_id: o.memberId, kind: o.kind, benefit_id: o.benefitId,
    target_op_id: o.payload.targetOpId, at: o.at, value_fen: o.status === 'applied' ? o.payload.valueFen : 0, points: o.points, payload: o.payload, status: o.status,
    burned: o.burned, voided_by: o.voidedBy,
  }));
  await q.query(
    `INSERT INTO operations(id, terminal_id, store_id, member_id, kind, benefit_id, target_op_id, at, value_fen, points, payload, status, burned, voided_by, received_at)
     SELECT id, terminal_id, store_id, member_id, kind, benefit_id, target_op_id, at, value_fen, points, payload, status, burned, voided_by, $2
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, terminal_id text, store_id text, member_id text, kind text, benefit_id text, target_op_id text,
                                                at bigint, value_fen bigint, points bigint, payload jsonb, status text, burned jsonb, voided_by text)`,
    [JSON.stringify(rows), now],
  );
}

async function markVoided(q: Queryable, state: BatchState): Promise<void> {
  if (state.voidedLoaded.size === 0) return;
  await q.query('UPDATE operations o SET voided_by = v.by FROM jsonb_to_recordset($1::jsonb) AS v(id text, by text) WHERE o.id = v.id', [
    JSON.stringify([...state.voidedLoaded].map(([id, by]) => ({ id, by }))),
  ]);
}

function memberWrite(m: MemberState): MemberWrite {
  return {
    id: m.id, lots: m.lots, months: m.months, grants: m.grants, usage: m.usage, points_owed: m.owed, tier: m.tier,
    ...(m.tierSince === null ? {} : { tier_since: m.tierSince }), last_purchase_at: m.lastPurchaseAt,
  };
}

/** The batch's changed members not written yet, as rows for the stamp (stamp.ts) to write. */
export function memberWrites(state: BatchState): MemberWrite[] {
  return [...state.members.values()].filter((m) => m.changed).map(memberWrite);
}

/**
 * Writes the named changed members now, unstamped (seq NULL), for a statement that changes them
 * in SQL after the batch (referralReward.ts): the stamp then treats them as any other unstamped
 * row. Members not named wait for the stamp, which writes them in the same UPDATE that stamps them.
 */
export async function flushMembers(q: Queryable, state: BatchState, ids: readonly string[]): Promise<void> {
  const due = ids.map((id) => state.members.get(id)).filter((m): m is MemberState => m?.changed === true);
  if (due.length === 0) return;
  const rows = due.map(memberWrite);
  await q.query(
    `UPDATE members m SET ${memberSetClause('d')}, seq = NULL FROM jsonb_to_recordset($1::jsonb) AS d(${memberRecordColumns()}) WHERE m.id = d.id`,
    [JSON.stringify(rows)],
  );
  for (const m of due) m.changed = false;
}

async function moveStock(q: Queryable, state: BatchState): Promise<void> {
  if (state.stock.size === 0) return;
  const moves = JSON.stringify([...state.stock.values()].map((s) => ({ store_id: s.storeId, sku: s.sku, delta: s.delta })));
  // Locked in key order first: two batches of one store moving the same items never deadlock.
  await q.query(
    `SELECT 1 FROM stock s WHERE (s.store_id, s.sku) IN (SELECT d.store_id, d.sku FROM jsonb_to_recordset($1::jsonb) AS d(store_id text, sku text))
      ORDER BY s.store_id, s.sku FOR UPDATE OF s`,
    [moves],
  );
  await q.query(
    `UPDATE stock s SET qty = s.qty + d.delta, seq = NULL FROM jsonb_to_recordset($1::jsonb) AS d(store_id text, sku text, delta integer)
      WHERE s.store_id = d.store_id AND s.sku = d.sku`,
    [moves],
  );
}

/** Inserts the decided conflicts (in decision order, so their ids are too); returns those that were new. */
async function insertConflicts(q: Queryable, decided: NewConflict[], who: { storeId: string; terminalId: string }, now: number): Promise<ConflictWire[]> {
  if (decided.length === 0) return [];
  const rows = await q.query<{ id: number; op_id: string; kind: string }>(
    `INSERT INTO conflicts(store_id, terminal_id, op_id, member_id, kind, decision, detail, at, decided_at)
     SELECT $2, $3, c.op_id, c.member_id, c.kind, c.decision, c.detail, c.at, $4
       FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (op_id text, member_id text, kind text, decision text, detail jsonb, at bigint)) WITH ORDINALITY AS c(op_id, member_id, kind, decision, detail, at, n)
      ORDER BY c.n
     ON CONFLICT (op_id, kind) DO NOTHING RETURNING id, op_id, kind`,
    [JSON.stringify(decided.map((c) => ({ op_id: c.opId, member_id: c.memberId, kind: c.kind, decision: c.decision, detail: c.detail, at: c.at }))), who.storeId, who.terminalId, now],
  );
  const ids = new Map(rows.map((r) => [`${r.op_id}\u0000${r.kind}`, r.id]));
  return decided.flatMap((c) => {
    const id = ids.get(`${c.opId}\u0000${c.kind}`);
    return id === undefined ? [] : [{ id, terminalId: who.terminalId, ...c, decidedAt: now }];
  });
}

export async function writeBatch(q: Queryable, state: BatchState, decided: NewConflict[], who: { storeId: string; terminalId: string }, now: number): Promise<ConflictWire[]> {
  await insertOperations(q, state, now);
  await markVoided(q, state);
  await moveStock(q, state);
  return insertConflicts(q, decided, who, now);
}

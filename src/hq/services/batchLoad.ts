// Reads, in a few set-based queries, everything the operations of one push batch can look at
// (applyOperation.ts then runs on it in memory). Rows the batch will change are locked in id order,
// so two HQ processes applying batches that share members queue instead of deadlocking.
// Lists go to PostgreSQL as one jsonb parameter: the same on pg and PGlite, any batch size.
import type { LoyaltyRules } from '../../loyalty/types';
import type { OperationRecorded } from '../../sync/events';
import type { Queryable } from '../db';
import { redeemKey, type BatchState, type Burned, type EarnRow, type MemberState, type OpRow } from './applyOperation';

const SPENDING_KINDS = new Set(['redeem', 'exchange', 'cash', 'donate']);
const IDS = 'ARRAY(SELECT jsonb_array_elements_text($1::jsonb))';

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

interface MemberRow {
  id: string;
  status: string;
  card_serial: number;
  tier: string;
  last_purchase_at: number | null;
  months: MemberState['months'];
  lots: MemberState['lots'];
  grants: MemberState['grants'];
}

interface TargetRow {
  id: string;
  store_id: string;
  member_id: string;
  kind: string;
  benefit_id: string | null;
  at: number;
  points: number;
  payload: OperationRecorded;
  burned: Burned;
  voided_by: string | null;
}

async function loadMembers(q: Queryable, ops: OperationRecorded[]): Promise<Map<string, MemberState>> {
  const rows = await q.query<MemberRow>(
    `SELECT id, status, card_serial, tier, last_purchase_at, months, lots, grants FROM members WHERE id = ANY(${IDS}) ORDER BY id FOR UPDATE`,
    [JSON.stringify(unique(ops.map((o) => o.memberId)))],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, status: r.status, cardSerial: r.card_serial, tier: r.tier, tierSince: null, lastPurchaseAt: r.last_purchase_at, months: r.months, lots: r.lots, grants: r.grants, changed: false },
    ]),
  );
}

async function loadRevocations(q: Queryable, memberIds: string[]): Promise<BatchState['revocations']> {
  const out: BatchState['revocations'] = new Map();
  if (memberIds.length === 0) return out;
  const rows = await q.query<{ member_id: string; card_serial: number; revoked_at: number }>(
    `SELECT member_id, card_serial, revoked_at FROM revocations WHERE member_id = ANY(${IDS}) AND NOT tombstone`,
    [JSON.stringify(memberIds)],
  );
  for (const r of rows) out.set(r.member_id, [...(out.get(r.member_id) ?? []), { cardSerial: r.card_serial, revokedAt: r.revoked_at }]);
  return out;
}

async function loadBenefits(q: Queryable, ids: string[]): Promise<BatchState['benefits']> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: string; def: { perMemberLimit?: number | null; requiresGrant?: unknown } }>(`SELECT id, def FROM benefits WHERE id = ANY(${IDS})`, [JSON.stringify(ids)]);
  return new Map(rows.map((r) => [r.id, { perMemberLimit: r.def.perMemberLimit ?? null, requiresGrant: Boolean(r.def.requiresGrant) }]));
}

/** Non-voided redeems per (member, benefit) pair; read after the members are locked. */
async function loadRedeemCounts(q: Queryable, pairs: { m: string; b: string }[]): Promise<Map<string, number>> {
  if (pairs.length === 0) return new Map();
  const rows = await q.query<{ m: string; b: string; n: number }>(
    `SELECT p.m, p.b, (SELECT count(*) FROM operations o
                        WHERE o.member_id = p.m AND o.benefit_id = p.b AND o.kind = 'redeem' AND o.voided_by IS NULL)::int AS n
       FROM jsonb_to_recordset($1::jsonb) AS p(m text, b text)`,
    [JSON.stringify(pairs)],
  );
  return new Map(rows.map((r) => [redeemKey(r.m, r.b), r.n]));
}

/** The operations the voids name, when of the void's store and member (locked: they get voided_by). */
async function loadTargets(q: Queryable, voids: OperationRecorded[]): Promise<OpRow[]> {
  if (voids.length === 0) return [];
  const rows = await q.query<TargetRow>(
    `SELECT o.id, o.store_id, o.member_id, o.kind, o.benefit_id, o.at, o.points, o.payload, o.burned, o.voided_by
       FROM operations o
      WHERE (o.id, o.store_id, o.member_id) IN (SELECT t.id, t.s, t.m FROM jsonb_to_recordset($1::jsonb) AS t(id text, s text, m text))
      ORDER BY o.id FOR UPDATE OF o`,
    [JSON.stringify(voids.map((v) => ({ id: v.targetOpId, s: v.storeId, m: v.memberId })))],
  );
  return rows.map((r) => ({
    id: r.id, storeId: r.store_id, memberId: r.member_id, kind: r.kind, benefitId: r.benefit_id, at: r.at, points: r.points,
    payload: r.payload, burned: r.burned, voidedBy: r.voided_by, loaded: true,
  }));
}

async function loadEarns(q: Queryable, memberIds: string[]): Promise<Map<string, EarnRow[]>> {
  const out = new Map<string, EarnRow[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return out;
  const rows = await q.query<{ id: string; member_id: string; at: number; voided_by: string | null }>(
    `SELECT id, member_id, at, voided_by FROM operations WHERE member_id = ANY(${IDS}) AND kind = 'earn'`,
    [JSON.stringify(memberIds)],
  );
  for (const r of rows) out.get(r.member_id)!.push({ id: r.id, at: r.at, voidedBy: r.voided_by });
  return out;
}

async function loadWelcome(q: Queryable): Promise<BatchState['welcome']> {
  return q.query<{ id: string; tier: string }>(
    `SELECT id, def->'params'->>'tier' AS tier FROM benefits
      WHERE NOT tombstone AND def->'params'->>'type' = 'tier_welcome' AND (def->>'requiresGrant')::boolean ORDER BY id`,
  );
}

/** `ops`: the operations the batch will apply, in order (none seen before). */
export async function loadBatchState(q: Queryable, ops: OperationRecorded[], rules: LoyaltyRules, tz: string): Promise<BatchState> {
  const members = await loadMembers(q, ops);
  const onMembers = ops.filter((o) => members.has(o.memberId));
  const redeems = onMembers.filter((o): o is OperationRecorded & { benefitId: string } => o.kind === 'redeem' && o.benefitId !== null && o.benefitId !== '');
  const voids = onMembers.filter((o) => o.kind === 'void' && o.targetOpId);
  const pairs = new Map(redeems.map((o) => [redeemKey(o.memberId, o.benefitId), { m: o.memberId, b: o.benefitId }]));

  const revocations = await loadRevocations(q, unique(onMembers.filter((o) => SPENDING_KINDS.has(o.kind)).map((o) => o.memberId)));
  const benefits = await loadBenefits(q, unique(redeems.map((o) => o.benefitId)));
  const redeemCounts = await loadRedeemCounts(q, [...pairs.values()]);
  const targets = await loadTargets(q, voids);
  // A void of an earn may need the member's other purchases (see lastPurchaseWithout).
  const batchEarns = new Set(ops.filter((o) => o.kind === 'earn').map((o) => o.opId));
  const undoEarn = voids.filter((v) => batchEarns.has(v.targetOpId!) || targets.some((t) => t.id === v.targetOpId && t.kind === 'earn'));
  const earns = await loadEarns(q, unique(undoEarn.map((v) => v.memberId)));
  const welcome = onMembers.some((o) => o.kind === 'earn' && o.detail.tierChange !== undefined) ? await loadWelcome(q) : [];

  return {
    rules, tz, members, revocations, benefits, redeemCounts, earns, welcome,
    ops: new Map(targets.map((t) => [t.id, t])),
    newOps: [],
    voidedLoaded: new Map(),
    stock: new Map(),
  };
}

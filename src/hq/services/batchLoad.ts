// Reads, in a few set-based queries, everything the operations of one push batch can look at
// (applyOperation.ts then runs on it in memory). Rows the batch will change are locked in id order,
// so two HQ processes applying batches that share members queue instead of deadlocking.
// Lists go to PostgreSQL as one jsonb parameter: the same on pg and PGlite, any batch size.
import { maxBenefitValueFen } from '../../loyalty/benefits';
import { returnedLinesOf, type ReturnedLine } from '../../loyalty/returns';
import { benefitParamsSchema } from '../../loyalty/schemas';
import { DAY_MS, startOfLocalDay } from '../../loyalty/time';
import type { LoyaltyRules, MonthDay } from '../../loyalty/types';
import type { Queryable } from '../db';
import { earnDayKey, redeemKey, type BatchState, type Burned, type EarnRow, type MemberState, type OpRow } from './applyOperation';
import type { CheckFacts } from './eventChecks';
import type { HqOp } from './readEvent';
import { rulesVersions } from './rules';

const SPENDING_KINDS = new Set(['redeem', 'exchange', 'cash', 'donate']);
const IDS = 'ARRAY(SELECT jsonb_array_elements_text($1::jsonb))';

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

interface MemberRow {
  id: string;
  status: string;
  card_serial: number;
  birthday: string | null;
  tier: string;
  tier_since: number;
  last_purchase_at: number | null;
  joined_at: number;
  months: MemberState['months'];
  lots: MemberState['lots'];
  grants: MemberState['grants'];
  usage: MemberState['usage'];
  points_owed: number;
}

interface TargetRow {
  id: string;
  store_id: string;
  member_id: string;
  kind: string;
  benefit_id: string | null;
  at: number;
  points: number;
  payload: HqOp;
  status: 'applied' | 'refused';
  burned: Burned;
  voided_by: string | null;
}

function monthDay(birthday: string | null): MonthDay | null {
  const m = birthday === null ? null : /^(\d{2})-(\d{2})$/.exec(birthday);
  return m ? { month: Number(m[1]), day: Number(m[2]) } : null;
}

async function loadMembers(q: Queryable, ops: HqOp[]): Promise<Map<string, MemberState>> {
  const rows = await q.query<MemberRow>(
    `SELECT id, status, card_serial, birthday, tier, tier_since, last_purchase_at, joined_at, months, lots, grants, usage, points_owed FROM members WHERE id = ANY(${IDS}) ORDER BY id FOR UPDATE`,
    [JSON.stringify(unique(ops.map((o) => o.memberId)))],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id, status: r.status, cardSerial: r.card_serial, birthday: monthDay(r.birthday), tier: r.tier, tierSinceNow: Number(r.tier_since), tierSince: null,
        lastPurchaseAt: r.last_purchase_at, joinedAt: Number(r.joined_at), months: r.months, lots: r.lots, grants: r.grants, usage: r.usage, owed: Number(r.points_owed), changed: false,
      },
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

interface BenefitFacts {
  benefits: BatchState['benefits'];
  values: CheckFacts['benefits'];
}

/** Benefits the batch's redeems name, deleted ones too (a redemption may predate the deletion). */
async function loadBenefits(q: Queryable, ids: string[]): Promise<BenefitFacts> {
  const out: BenefitFacts = { benefits: new Map(), values: new Map() };
  if (ids.length === 0) return out;
  const rows = await q.query<{
    id: string;
    def: { perMemberLimit?: number | null; requiresGrant?: unknown; params?: unknown; stores?: unknown; tiers?: unknown; validFrom?: unknown; validTo?: unknown };
  }>(`SELECT id, def FROM benefits WHERE id = ANY(${IDS})`, [JSON.stringify(ids)]);
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : []);
  for (const r of rows) {
    const params = benefitParamsSchema.safeParse(r.def.params);
    out.benefits.set(r.id, {
      perMemberLimit: r.def.perMemberLimit ?? null,
      requiresGrant: Boolean(r.def.requiresGrant),
      stores: strings(r.def.stores),
      tiers: strings(r.def.tiers),
      validFrom: typeof r.def.validFrom === 'number' ? r.def.validFrom : 0,
      validTo: typeof r.def.validTo === 'number' ? r.def.validTo : Number.MAX_SAFE_INTEGER,
      params: params.success ? params.data : null,
    });
    out.values.set(r.id, { maxValueFen: params.success ? maxBenefitValueFen(params.data) : 0 });
  }
  return out;
}

async function loadItems(q: Queryable, ids: string[]): Promise<CheckFacts['items']> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: string; cost: number | null; value: number | null; tiers: unknown; active: boolean | null }>(
    `SELECT id, (data->>'pointsCost')::bigint AS cost, (data->>'valueFen')::bigint AS value, data->'tiers' AS tiers, (data->>'active')::boolean AS active
       FROM catalog_items WHERE id = ANY(${IDS})`,
    [JSON.stringify(ids)],
  );
  return new Map(
    rows
      .filter((r) => r.cost !== null && r.value !== null)
      .map((r) => [
        r.id,
        { pointsCost: Number(r.cost), valueFen: Number(r.value), tiers: Array.isArray(r.tiers) ? r.tiers.filter((t): t is string => typeof t === 'string') : [], active: r.active !== false },
      ]),
  );
}

/** Staff of the store, deleted and inactive ones too (they may have acted before they left); only an active one approves. */
async function loadStaff(q: Queryable, storeId: string): Promise<CheckFacts['staff']> {
  const rows = await q.query<{ id: string; role: string | null; active: boolean }>(
    "SELECT id, data->>'role' AS role, (NOT tombstone AND coalesce((data->>'active')::boolean, false)) AS active FROM staff WHERE store_id = $1",
    [storeId],
  );
  return new Map(rows.map((r) => [r.id, { role: r.role ?? '', active: r.active }]));
}

/**
 * HQ-applied earn points of each (member, store-day) the given operations fall on, referral credits
 * of that day included, keyed by earnDayKey: the batch's earns, and a referral's two sides
 * (referralReward.ts) against the same member-day cap.
 */
export async function loadEarnedToday(q: Queryable, earns: Pick<HqOp, 'memberId' | 'at'>[], tz: string): Promise<Map<string, number>> {
  const days = new Map<string, { m: string; s: number; e: number }>();
  for (const o of earns) {
    const s = startOfLocalDay(o.at, tz);
    days.set(earnDayKey(o.memberId, o.at, tz), { m: o.memberId, s, e: startOfLocalDay(s + DAY_MS + 6 * 3_600_000, tz) });
  }
  if (days.size === 0) return new Map();
  const rows = await q.query<{ m: string; s: number; n: number }>(
    // Referral points (referralReward.ts) count as earned on their day too.
    `SELECT p.m, p.s, ((SELECT coalesce(sum(o.points), 0) FROM operations o
                         WHERE o.member_id = p.m AND o.kind = 'earn' AND o.status = 'applied' AND o.voided_by IS NULL AND o.at >= p.s AND o.at < p.e)
                     + (SELECT coalesce(sum(CASE WHEN r.referrer_id = p.m THEN r.referrer_points ELSE 0 END + CASE WHEN r.referee_id = p.m THEN r.referee_points ELSE 0 END), 0)
                          FROM referral_rewards r WHERE (r.referrer_id = p.m OR r.referee_id = p.m) AND r.at >= p.s AND r.at < p.e))::bigint AS n
       FROM jsonb_to_recordset($1::jsonb) AS p(m text, s bigint, e bigint)`,
    [JSON.stringify([...days.values()])],
  );
  return new Map(rows.map((r) => [`${r.m}\u0000${Number(r.s)}`, Number(r.n)]));
}

/** Non-voided redeems per (member, benefit) pair; read after the members are locked. */
async function loadRedeemCounts(q: Queryable, pairs: { m: string; b: string }[]): Promise<Map<string, number>> {
  if (pairs.length === 0) return new Map();
  const rows = await q.query<{ m: string; b: string; n: number }>(
    `SELECT p.m, p.b, (SELECT count(*) FROM operations o
                        WHERE o.member_id = p.m AND o.benefit_id = p.b AND o.kind = 'redeem' AND o.voided_by IS NULL AND o.status = 'applied')::int AS n
       FROM jsonb_to_recordset($1::jsonb) AS p(m text, b text)`,
    [JSON.stringify(pairs)],
  );
  return new Map(rows.map((r) => [redeemKey(r.m, r.b), r.n]));
}

/**
 * The operations the voids and returns name (locked: they may get voided_by, and two returns of one
 * purchase queue); whether one may be undone or returned is applyOperation's to say.
 */
async function loadTargets(q: Queryable, voids: HqOp[]): Promise<OpRow[]> {
  if (voids.length === 0) return [];
  const rows = await q.query<TargetRow>(
    `SELECT o.id, o.store_id, o.member_id, o.kind, o.benefit_id, o.at, o.points, o.payload, o.status, o.burned, o.voided_by
       FROM operations o WHERE o.id = ANY(${IDS}) ORDER BY o.id FOR UPDATE OF o`,
    [JSON.stringify(unique(voids.map((v) => v.targetOpId!)))],
  );
  return rows.map((r) => ({
    id: r.id, storeId: r.store_id, memberId: r.member_id, kind: r.kind, benefitId: r.benefit_id, at: Number(r.at), points: Number(r.points),
    payload: r.payload, status: r.status, burned: r.burned, voidedBy: r.voided_by, loaded: true,
  }));
}

/** What the applied returns of each purchase took (HQ's own figures, index operations_returns). */
async function loadReturned(q: Queryable, purchaseIds: string[]): Promise<Map<string, ReturnedLine[]>> {
  const out = new Map<string, ReturnedLine[]>();
  if (purchaseIds.length === 0) return out;
  const rows = await q.query<{ target_op_id: string; detail: unknown }>(
    `SELECT target_op_id, payload->'detail' AS detail FROM operations WHERE target_op_id = ANY(${IDS}) AND kind = 'return' AND status = 'applied'`,
    [JSON.stringify(purchaseIds)],
  );
  for (const r of rows) out.set(r.target_op_id, [...(out.get(r.target_op_id) ?? []), ...returnedLinesOf(r.detail)]);
  return out;
}

async function loadEarns(q: Queryable, memberIds: string[]): Promise<Map<string, EarnRow[]>> {
  const out = new Map<string, EarnRow[]>(memberIds.map((id) => [id, []]));
  if (memberIds.length === 0) return out;
  const rows = await q.query<{ id: string; member_id: string; at: number; voided_by: string | null }>(
    `SELECT id, member_id, at, voided_by FROM operations WHERE member_id = ANY(${IDS}) AND kind = 'earn' AND status = 'applied'`,
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

export interface BatchContext {
  rules: LoyaltyRules;
  tz: string;
  storeId: string;
  /** When the sending terminal was enrolled, and when HQ received the batch. */
  enrolledAt: number;
  /** The latest plausible `at` of this terminal's earlier batches (null: none yet). */
  lowWaterAt: number | null;
  now: number;
}

/** `ops`: the operations the batch will apply, in order (none seen before). */
export async function loadBatchState(q: Queryable, ops: HqOp[], ctx: BatchContext): Promise<BatchState> {
  const { rules, tz } = ctx;
  const members = await loadMembers(q, ops);
  const onMembers = ops.filter((o) => members.has(o.memberId));
  const redeems = onMembers.filter((o): o is HqOp & { benefitId: string } => o.kind === 'redeem' && o.benefitId !== null && o.benefitId !== '');
  // Every void's target, a member's HQ does not know too, so the refusal says what the target was.
  const voids = ops.filter((o) => o.kind === 'void' && o.targetOpId);
  const returns = ops.filter((o) => o.kind === 'return' && o.targetOpId);
  const earnsIn = onMembers.filter((o) => o.kind === 'earn');
  const pairs = new Map(redeems.map((o) => [redeemKey(o.memberId, o.benefitId), { m: o.memberId, b: o.benefitId }]));

  const revocations = await loadRevocations(q, unique(onMembers.filter((o) => SPENDING_KINDS.has(o.kind)).map((o) => o.memberId)));
  // Every redeem's benefit, a member's HQ does not know too: the checks read its value.
  const benefits = await loadBenefits(q, unique(ops.filter((o) => o.kind === 'redeem' && o.benefitId).map((o) => o.benefitId!)));
  const items = await loadItems(q, unique(ops.filter((o) => o.kind === 'exchange' && o.itemId !== null).map((o) => o.itemId!)));
  const staff = await loadStaff(q, ctx.storeId);
  const redeemCounts = await loadRedeemCounts(q, [...pairs.values()]);
  const targets = await loadTargets(q, [...voids, ...returns]);
  const returned = await loadReturned(q, unique([...voids, ...returns].map((o) => o.targetOpId!)));
  // A void of an earn may need the member's other purchases (see lastPurchaseWithout).
  const batchEarns = new Set(earnsIn.map((o) => o.opId));
  const undoEarn = voids.filter((v) => batchEarns.has(v.targetOpId!) || targets.some((t) => t.id === v.targetOpId && t.kind === 'earn'));
  const earns = await loadEarns(q, unique(undoEarn.map((v) => v.memberId)));
  const welcome = earnsIn.length > 0 ? await loadWelcome(q) : [];
  // A return re-derives its purchase's points under the rules version the purchase named.
  const returnedEarns = targets.filter((t) => t.kind === 'earn').map((t) => t.payload);
  // A redemption's member day is judged by the rules it names, as an earn's points are.
  const named = unique([...earnsIn, ...returnedEarns, ...redeems].map((o) => o.rulesVersion).filter((v): v is number => v !== null && v !== rules.version));
  const rulesByVersion = await rulesVersions(q, named);
  // The current rules: naming them gives what falling back to them gives, whenever they were published.
  rulesByVersion.set(rules.version, { rules, publishedAt: null, supersededAt: null });
  const earnedToday = await loadEarnedToday(q, earnsIn, tz);

  return {
    rules, tz, members, revocations, benefits: benefits.benefits, redeemCounts, earns, welcome, rulesByVersion, earnedToday, returned,
    facts: { now: ctx.now, enrolledAt: ctx.enrolledAt, lowWaterAt: ctx.lowWaterAt, tz, rules, staff, benefits: benefits.values, items },
    ops: new Map(targets.map((t) => [t.id, t])),
    newOps: [],
    voidedLoaded: new Map(),
    stock: new Map(),
  };
}

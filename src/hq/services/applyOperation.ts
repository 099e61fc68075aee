// Applies one terminal operation to HQ's state and decides its conflicts (docs/sync.md
// "Conflicts"). Runs inside the push transaction; the member row is locked while it runs.
import { lotExpiry } from '../../loyalty/points';
import { earnUndoFacts } from '../../loyalty/earnDetail';
import { tierCodeSchema } from '../../loyalty/schemas';
import { monthKey } from '../../loyalty/time';
import type { LoyaltyRules } from '../../loyalty/types';
import type { OperationRecorded } from '../../sync/events';
import type { MemberData } from '../../sync/protocolEntities';
import type { Queryable } from '../db';
import { addMonth, burnOldest, restore } from './memberState';

export interface NewConflict {
  opId: string;
  memberId: string;
  kind: 'benefit_limit' | 'points_overdraw' | 'revoked_card' | 'unknown_member';
  decision: 'honored' | 'points_floored' | 'recorded';
  detail: Record<string, string | number | boolean | null>;
  at: number;
}

interface MemberRow {
  status: string;
  card_serial: number;
  tier: string;
  last_purchase_at: number | null;
  months: MemberData['months'];
  lots: MemberData['lots'];
  grants: MemberData['grants'];
}

interface Ctx {
  q: Queryable;
  rules: LoyaltyRules;
  tz: string;
  now: number;
}

const BURN_KINDS = new Set(['exchange', 'cash', 'donate']);
const SPENDING_KINDS = new Set(['redeem', 'exchange', 'cash', 'donate']);

async function isRevoked(q: Queryable, memberId: string, member: MemberRow, at: number): Promise<boolean> {
  if (member.status === 'revoked') return true;
  const rows = await q.query('SELECT 1 FROM revocations WHERE member_id = $1 AND card_serial IN (0, $2) AND revoked_at <= $3 AND NOT tombstone', [
    memberId,
    member.card_serial,
    at,
  ]);
  return rows.length > 0;
}

function skuOf(op: OperationRecorded): string | null {
  const sku = op.detail.sku;
  return typeof sku === 'string' && sku.length > 0 ? sku : null;
}

async function moveStock(q: Queryable, storeId: string, sku: string | null, delta: number): Promise<void> {
  if (sku) await q.query('UPDATE stock SET qty = qty + $1, seq = NULL WHERE store_id = $2 AND sku = $3', [delta, storeId, sku]);
}

/** Returns the conflicts HQ decided for this operation (usually none). */
export async function applyOperation(ctx: Ctx, op: OperationRecorded): Promise<NewConflict[]> {
  const { q } = ctx;
  const conflicts: NewConflict[] = [];
  const flag = (kind: NewConflict['kind'], decision: NewConflict['decision'], detail: NewConflict['detail']) =>
    conflicts.push({ opId: op.opId, memberId: op.memberId, kind, decision, detail, at: op.at });

  const [member] = await q.query<MemberRow>(
    'SELECT status, card_serial, tier, last_purchase_at, months, lots, grants FROM members WHERE id = $1 FOR UPDATE',
    [op.memberId],
  );
  let burned: { key: string; points: number }[] = [];
  if (!member) {
    flag('unknown_member', 'recorded', { kind: op.kind });
  } else {
    let { lots, months, grants } = member;
    let tier = member.tier;
    let tierSince: number | null = null;
    let lastPurchase = member.last_purchase_at;

    if (SPENDING_KINDS.has(op.kind) && (await isRevoked(q, op.memberId, member, op.at))) {
      flag('revoked_card', 'honored', { kind: op.kind, valueFen: op.valueFen });
    }
    if (op.kind === 'redeem' && op.benefitId) {
      const [b] = await q.query<{ def: { perMemberLimit: number | null; requiresGrant: boolean } }>('SELECT def FROM benefits WHERE id = $1', [op.benefitId]);
      const limit = b?.def.perMemberLimit ?? null;
      if (limit !== null) {
        const [used] = await q.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM operations WHERE member_id = $1 AND benefit_id = $2 AND kind = 'redeem' AND voided_by IS NULL",
          [op.memberId, op.benefitId],
        );
        if ((used?.n ?? 0) >= limit) flag('benefit_limit', 'honored', { benefitId: op.benefitId, limit, usedBefore: used?.n ?? 0 });
      }
      if (b?.def.requiresGrant) {
        const i = grants.findIndex((g) => g.benefitId === op.benefitId && g.usedOpId === null);
        if (i >= 0) grants = grants.map((g, k) => (k === i ? { ...g, usedOpId: op.opId } : g));
      }
      await moveStock(q, op.storeId, skuOf(op), -1);
    }
    if (BURN_KINDS.has(op.kind) && op.points < 0) {
      const want = -op.points;
      const result = burnOldest(lots, want, op.at);
      lots = result.lots;
      burned = result.burned;
      if (result.shortfall > 0) {
        flag('points_overdraw', 'points_floored', { wanted: want, available: want - result.shortfall, shortfall: result.shortfall });
      }
      if (op.kind === 'exchange') await moveStock(q, op.storeId, skuOf(op), -1);
    }
    if (op.kind === 'earn') {
      if (op.points > 0) {
        lots = [...lots, { key: op.opId, earnedAt: op.at, expiresAt: lotExpiry(op.at, ctx.rules), points: op.points, remaining: op.points }];
      }
      months = addMonth(months, monthKey(op.at, ctx.tz), 1, op.amountFen ?? 0);
      lastPurchase = Math.max(lastPurchase ?? 0, op.at);
      // detail is free-form in the event: only a real tier code may reach members.tier, or one
      // terminal's bad event would make every terminal's pull of this member fail its schema.
      const change = tierCodeSchema.safeParse((op.detail.tierChange as { to?: unknown } | undefined)?.to);
      if (change.success && change.data !== tier) {
        tier = change.data;
        tierSince = op.at;
        // Mirror the terminal: reaching a tier issues its welcome gift.
        const welcome = await q.query<{ id: string }>(
          "SELECT id FROM benefits WHERE NOT tombstone AND def->'params'->>'type' = 'tier_welcome' AND def->'params'->>'tier' = $1 AND (def->>'requiresGrant')::boolean",
          [tier],
        );
        grants = [...grants, ...welcome.map((w) => ({ benefitId: w.id, grantedAt: op.at, reason: `tier:${tier}`, usedOpId: null }))];
      }
    }
    if (op.kind === 'void' && op.targetOpId) {
      const [target] = await q.query<{ kind: string; burned: { key: string; points: number }[]; points: number; at: number; payload: OperationRecorded; voided_by: string | null }>(
        // A void may only undo an operation of the same store and member.
        'SELECT kind, burned, points, at, payload, voided_by FROM operations WHERE id = $1 AND store_id = $2 AND member_id = $3 FOR UPDATE',
        [op.targetOpId, op.storeId, op.memberId],
      );
      if (target && target.voided_by === null) {
        lots = restore(lots, target.burned);
        if (target.kind === 'earn') {
          let back = Number(target.points);
          lots = lots.map((l) => {
            if (l.key !== op.targetOpId) return l;
            const take = Math.min(back, l.remaining);
            back -= take;
            return { ...l, remaining: l.remaining - take };
          });
          if (back > 0) lots = burnOldest(lots, back, op.at).lots;
          months = addMonth(months, monthKey(target.at, ctx.tz), -1, -(target.payload.amountFen ?? 0));
          // Mirror the terminal (src/terminal/voidEarn.ts): undo the tier step and its unused welcome
          // gifts while the member is still on that tier. A gift already used stays used: the terminal
          // refuses such a void, and HQ honours what a terminal recorded.
          const undo = earnUndoFacts(target.payload.detail);
          if (undo.tierChange && tier === undo.tierChange.to) {
            const reason = `tier:${undo.tierChange.to}`;
            tier = undo.tierChange.from;
            tierSince = undo.before?.tierSince ?? op.at;
            grants = grants.filter((g) => !(g.reason === reason && g.grantedAt === target.at && g.usedOpId === null));
          }
          if (lastPurchase === target.at) {
            // The latest purchase left, or the one before this earn unless that one was voided too.
            const before = undo.before?.lastPurchaseAt ?? null;
            const [left] = await q.query<{ at: number | null; before_voided: boolean | null }>(
              `SELECT max(at) FILTER (WHERE voided_by IS NULL AND id <> $2) AS at,
                      bool_or(at = $3 AND voided_by IS NOT NULL) AS before_voided
                 FROM operations WHERE member_id = $1 AND kind = 'earn'`,
              [op.memberId, op.targetOpId, before ?? -1],
            );
            const candidates = [left?.at ?? null, left?.before_voided ? null : before].filter((n): n is number => n !== null);
            lastPurchase = candidates.length > 0 ? Math.max(...candidates) : null;
          }
        }
        grants = grants.map((g) => (g.usedOpId === op.targetOpId ? { ...g, usedOpId: null } : g));
        if (target.kind === 'redeem' || target.kind === 'exchange') await moveStock(q, op.storeId, skuOf(target.payload), +1);
        await q.query('UPDATE operations SET voided_by = $1 WHERE id = $2', [op.opId, op.targetOpId]);
      }
    }
    await q.query(
      `UPDATE members SET lots = $2, months = $3, grants = $4, tier = $5, tier_since = coalesce($6, tier_since), last_purchase_at = $7, seq = NULL
        WHERE id = $1`,
      [op.memberId, JSON.stringify(lots), JSON.stringify(months), JSON.stringify(grants), tier, tierSince, lastPurchase],
    );
  }
  await q.query(
    `INSERT INTO operations(id, terminal_id, store_id, member_id, kind, benefit_id, target_op_id, at, value_fen, points, payload, burned, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [op.opId, op.terminalId, op.storeId, op.memberId, op.kind, op.benefitId, op.targetOpId, op.at, op.valueFen, op.points, JSON.stringify(op), JSON.stringify(burned), ctx.now],
  );
  return conflicts;
}

// Applies one terminal operation to the in-memory state of a push batch and decides its conflicts
// (docs/sync.md "Conflicts"). Pure: push.ts loads everything the batch can read (batchLoad.ts)
// before the first operation and writes the result back after the last (batchWrite.ts). Each
// operation sees the effect of the ones before it in the batch, exactly as if they had been
// written to the database one by one.
import { lotExpiry } from '../../loyalty/points';
import { earnUndoFacts } from '../../loyalty/earnDetail';
import { tierCodeSchema } from '../../loyalty/schemas';
import { monthKey } from '../../loyalty/time';
import type { LoyaltyRules } from '../../loyalty/types';
import type { OperationRecorded } from '../../sync/events';
import type { MemberData } from '../../sync/protocolEntities';
import { addMonth, burnOldest, restore } from './memberState';

export interface NewConflict {
  opId: string;
  memberId: string;
  kind: 'benefit_limit' | 'points_overdraw' | 'revoked_card' | 'unknown_member';
  decision: 'honored' | 'points_floored' | 'recorded';
  detail: Record<string, string | number | boolean | null>;
  at: number;
}

export type Burned = { key: string; points: number }[];

/** A member row as the batch sees it; `changed` members are written back. */
export interface MemberState {
  id: string;
  status: string;
  cardSerial: number;
  tier: string;
  /** The tier_since to write, when an operation of this batch set one. */
  tierSince: number | null;
  lastPurchaseAt: number | null;
  months: MemberData['months'];
  lots: MemberData['lots'];
  grants: MemberData['grants'];
  changed: boolean;
}

/** An operation row: loaded (a void's target) or made by this batch. */
export interface OpRow {
  id: string;
  storeId: string;
  memberId: string;
  kind: string;
  benefitId: string | null;
  at: number;
  points: number;
  payload: OperationRecorded;
  burned: Burned;
  voidedBy: string | null;
  /** Read from the database (a void's target), not made by this batch. */
  loaded: boolean;
}

export interface EarnRow {
  id: string;
  at: number;
  voidedBy: string | null;
}

export interface BatchState {
  rules: LoyaltyRules;
  tz: string;
  members: Map<string, MemberState>;
  /** Non-tombstoned revocations of the members of spending operations. */
  revocations: Map<string, { cardSerial: number; revokedAt: number }[]>;
  benefits: Map<string, { perMemberLimit: number | null; requiresGrant: boolean }>;
  /** Non-voided redeems per redeemKey(member, benefit), for every pair a redeem of the batch names. */
  redeemCounts: Map<string, number>;
  /** Operations a void may name: loaded targets, then every operation this batch made. */
  ops: Map<string, OpRow>;
  /** Earn rows (all stores) of the members a void of this batch names. */
  earns: Map<string, EarnRow[]>;
  /** Benefits granted on reaching a tier (requiresGrant, not tombstoned), in id order. */
  welcome: { id: string; tier: string }[];
  // Results, in the order the operations were applied.
  newOps: OpRow[];
  /** Loaded operations this batch voided: target id → void op id. */
  voidedLoaded: Map<string, string>;
  /** (store, sku) → qty delta; a row once moved is re-stamped even when its deltas cancel. */
  stock: Map<string, { storeId: string; sku: string; delta: number }>;
}

export const redeemKey = (memberId: string, benefitId: string): string => `${memberId}\u0000${benefitId}`;

const BURN_KINDS = new Set(['exchange', 'cash', 'donate']);
const SPENDING_KINDS = new Set(['redeem', 'exchange', 'cash', 'donate']);

function isRevoked(state: BatchState, member: MemberState, at: number): boolean {
  if (member.status === 'revoked') return true;
  return (state.revocations.get(member.id) ?? []).some((r) => (r.cardSerial === 0 || r.cardSerial === member.cardSerial) && r.revokedAt <= at);
}

function skuOf(op: OperationRecorded): string | null {
  const sku = op.detail.sku;
  return typeof sku === 'string' && sku.length > 0 ? sku : null;
}

function moveStock(state: BatchState, storeId: string, sku: string | null, delta: number): void {
  if (!sku) return;
  const key = `${storeId}\u0000${sku}`;
  const row = state.stock.get(key);
  if (row) row.delta += delta;
  else state.stock.set(key, { storeId, sku, delta });
}

/** The latest purchase once `targetOpId` is voided (see the void branch below). */
function lastPurchaseWithout(state: BatchState, memberId: string, targetOpId: string, before: number | null): number | null {
  let left: number | null = null;
  let beforeVoided = false;
  for (const e of state.earns.get(memberId) ?? []) {
    if (e.voidedBy === null && e.id !== targetOpId) left = left === null ? e.at : Math.max(left, e.at);
    if (before !== null && e.at === before && e.voidedBy !== null) beforeVoided = true;
  }
  const candidates = [left, beforeVoided ? null : before].filter((n): n is number => n !== null);
  return candidates.length > 0 ? Math.max(...candidates) : null;
}

function applyToMember(state: BatchState, member: MemberState, op: OperationRecorded, flag: (kind: NewConflict['kind'], decision: NewConflict['decision'], detail: NewConflict['detail']) => void): Burned {
  let { lots, months, grants, tier, lastPurchaseAt: lastPurchase } = member;
  let tierSince: number | null = null;
  let burned: Burned = [];

  if (SPENDING_KINDS.has(op.kind) && isRevoked(state, member, op.at)) {
    flag('revoked_card', 'honored', { kind: op.kind, valueFen: op.valueFen });
  }
  if (op.kind === 'redeem' && op.benefitId) {
    const b = state.benefits.get(op.benefitId);
    const limit = b?.perMemberLimit ?? null;
    if (limit !== null) {
      const used = state.redeemCounts.get(redeemKey(op.memberId, op.benefitId)) ?? 0;
      if (used >= limit) flag('benefit_limit', 'honored', { benefitId: op.benefitId, limit, usedBefore: used });
    }
    if (b?.requiresGrant) {
      const i = grants.findIndex((g) => g.benefitId === op.benefitId && g.usedOpId === null);
      if (i >= 0) grants = grants.map((g, k) => (k === i ? { ...g, usedOpId: op.opId } : g));
    }
    moveStock(state, op.storeId, skuOf(op), -1);
  }
  if (BURN_KINDS.has(op.kind) && op.points < 0) {
    const want = -op.points;
    const result = burnOldest(lots, want, op.at);
    lots = result.lots;
    burned = result.burned;
    if (result.shortfall > 0) {
      flag('points_overdraw', 'points_floored', { wanted: want, available: want - result.shortfall, shortfall: result.shortfall });
    }
    if (op.kind === 'exchange') moveStock(state, op.storeId, skuOf(op), -1);
  }
  if (op.kind === 'earn') {
    if (op.points > 0) {
      lots = [...lots, { key: op.opId, earnedAt: op.at, expiresAt: lotExpiry(op.at, state.rules), points: op.points, remaining: op.points }];
    }
    months = addMonth(months, monthKey(op.at, state.tz), 1, op.amountFen ?? 0);
    lastPurchase = Math.max(lastPurchase ?? 0, op.at);
    // detail is free-form in the event: only a real tier code may reach members.tier, or one
    // terminal's bad event would make every terminal's pull of this member fail its schema.
    const change = tierCodeSchema.safeParse((op.detail.tierChange as { to?: unknown } | undefined)?.to);
    if (change.success && change.data !== tier) {
      const reached = change.data;
      tier = reached;
      tierSince = op.at;
      // Mirror the terminal: reaching a tier issues its welcome gift.
      const welcome = state.welcome.filter((w) => w.tier === reached);
      grants = [...grants, ...welcome.map((w) => ({ benefitId: w.id, grantedAt: op.at, reason: `tier:${reached}`, usedOpId: null }))];
    }
  }
  if (op.kind === 'void' && op.targetOpId) {
    const target = state.ops.get(op.targetOpId);
    // A void may only undo an operation of the same store and member.
    if (target && target.storeId === op.storeId && target.memberId === op.memberId && target.voidedBy === null) {
      lots = restore(lots, target.burned);
      if (target.kind === 'earn') {
        let back = target.points;
        lots = lots.map((l) => {
          if (l.key !== op.targetOpId) return l;
          const take = Math.min(back, l.remaining);
          back -= take;
          return { ...l, remaining: l.remaining - take };
        });
        if (back > 0) lots = burnOldest(lots, back, op.at).lots;
        months = addMonth(months, monthKey(target.at, state.tz), -1, -(target.payload.amountFen ?? 0));
        // Mirror the terminal (src/terminal/operations/voidEarn.ts): undo the tier step and its unused welcome
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
          lastPurchase = lastPurchaseWithout(state, op.memberId, op.targetOpId, undo.before?.lastPurchaseAt ?? null);
        }
      }
      grants = grants.map((g) => (g.usedOpId === op.targetOpId ? { ...g, usedOpId: null } : g));
      if (target.kind === 'redeem' || target.kind === 'exchange') moveStock(state, op.storeId, skuOf(target.payload), +1);
      target.voidedBy = op.opId;
      if (target.loaded) state.voidedLoaded.set(target.id, op.opId);
      for (const e of state.earns.get(op.memberId) ?? []) if (e.id === target.id) e.voidedBy = op.opId;
      if (target.kind === 'redeem' && target.benefitId !== null) {
        const key = redeemKey(target.memberId, target.benefitId);
        const n = state.redeemCounts.get(key);
        if (n !== undefined) state.redeemCounts.set(key, n - 1);
      }
    }
  }
  Object.assign(member, { lots, months, grants, tier, lastPurchaseAt: lastPurchase, changed: true });
  if (tierSince !== null) member.tierSince = tierSince;
  return burned;
}

/** Applies `op` (not seen before) to the batch state; returns the conflicts HQ decided for it. */
export function applyOperation(state: BatchState, op: OperationRecorded): NewConflict[] {
  const conflicts: NewConflict[] = [];
  const flag = (kind: NewConflict['kind'], decision: NewConflict['decision'], detail: NewConflict['detail']) =>
    conflicts.push({ opId: op.opId, memberId: op.memberId, kind, decision, detail, at: op.at });
  const member = state.members.get(op.memberId);
  let burned: Burned = [];
  if (!member) flag('unknown_member', 'recorded', { kind: op.kind });
  else burned = applyToMember(state, member, op, flag);

  const row: OpRow = { id: op.opId, storeId: op.storeId, memberId: op.memberId, kind: op.kind, benefitId: op.benefitId, at: op.at, points: op.points, payload: op, burned, voidedBy: null, loaded: false };
  state.newOps.push(row);
  state.ops.set(row.id, row);
  if (op.kind === 'earn') state.earns.get(op.memberId)?.push({ id: op.opId, at: op.at, voidedBy: null });
  if (op.kind === 'redeem' && op.benefitId !== null) {
    const key = redeemKey(op.memberId, op.benefitId);
    state.redeemCounts.set(key, (state.redeemCounts.get(key) ?? 0) + 1);
  }
  return conflicts;
}

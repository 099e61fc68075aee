// Applies one terminal operation to the in-memory state of a push batch and decides its conflicts
// (docs/sync.md "Conflicts", docs/authority.md). HQ re-derives what the operation may do from its
// own state — the points an earn gives, the tier it reaches, what a burn takes, what a void undoes —
// and applies that, never the terminal's figures. Pure: push.ts loads everything the batch can read
// (batchLoad.ts) before the first operation and writes the result back after the last
// (batchWrite.ts). Each operation sees the effect of the ones before it in the batch, exactly as
// if they had been written to the database one by one.
import { earnPoints, lotExpiry } from '../../loyalty/points';
import { earnUndoFacts } from '../../loyalty/earnDetail';
import { tierCodeSchema } from '../../loyalty/schemas';
import { decideTierChange, evaluateTier } from '../../loyalty/tiers';
import { monthKey, startOfLocalDay } from '../../loyalty/time';
import type { BenefitParams, LoyaltyRules, MonthDay } from '../../loyalty/types';
import { rulesInForce, type PublishedRules } from './rules';
import { notAllowed } from './allowedUse';
import type { ConflictDecision, ConflictKind, MemberData } from '../../sync/protocolEntities';
import { checkEvent, type CheckFacts, type Flag } from './eventChecks';
import { addMonth, burnOldest, countUse, restore } from './memberState';
import { applyReturn, planHqReturn, type HqReturn } from './applyReturn';
import { oweShortfall } from '../../loyalty/returns';
import type { ReturnedLine } from '../../loyalty/returns';
import type { HqOp } from './readEvent';

export interface NewConflict {
  opId: string;
  memberId: string;
  kind: ConflictKind;
  decision: ConflictDecision;
  detail: Record<string, string | number | boolean | null>;
  at: number;
}

export type Burned = { key: string; points: number }[];

/** A member row as the batch sees it; `changed` members are written back. */
export interface MemberState {
  id: string;
  status: string;
  cardSerial: number;
  birthday: MonthDay | null;
  tier: string;
  /** The member's tier_since as the batch has it now. */
  tierSinceNow: number;
  /** The tier_since to write, when an operation of this batch set one. */
  tierSince: number | null;
  lastPurchaseAt: number | null;
  /** When the member joined: the start of "away" for one who never bought (win_back). */
  joinedAt: number;
  months: MemberData['months'];
  lots: MemberData['lots'];
  grants: MemberData['grants'];
  /** Brand-wide use of each benefit, published with the member (memberState.ts countUse). */
  usage: NonNullable<MemberData['usage']>;
  /** Points owed after a return (rules.returns.allowNegative); repaid by the next points. */
  owed: number;
  changed: boolean;
}

/** What HQ checks of a benefit a redemption names; params null when its definition does not parse. */
export interface HqBenefit {
  perMemberLimit: number | null;
  requiresGrant: boolean;
  stores: string[];
  tiers: string[];
  validFrom: number;
  validTo: number;
  params: BenefitParams | null;
}

/** An operation row: loaded (a void's target) or made by this batch. */
export interface OpRow {
  id: string;
  storeId: string;
  memberId: string;
  kind: string;
  benefitId: string | null;
  at: number;
  /** The change HQ applied to the member's points (0 when refused). */
  points: number;
  /** The operation as HQ applied it (its figures HQ's own). */
  payload: HqOp;
  status: 'applied' | 'refused';
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
  /** What the checks before a member is touched read (eventChecks.ts). */
  facts: CheckFacts;
  /** Published rules versions the batch's v2 earns name, with when each was replaced. */
  rulesByVersion: Map<number, PublishedRules>;
  /** HQ-applied earn points per earnDayKey(member, at), for the member-day cap. */
  earnedToday: Map<string, number>;
  members: Map<string, MemberState>;
  /** Non-tombstoned revocations of the members of spending operations. */
  revocations: Map<string, { cardSerial: number; revokedAt: number }[]>;
  benefits: Map<string, HqBenefit>;
  /** Non-voided redeems per redeemKey(member, benefit), for every pair a redeem of the batch names. */
  redeemCounts: Map<string, number>;
  /** Operations a void may name: loaded targets, then every operation this batch made. */
  ops: Map<string, OpRow>;
  /** What the applied returns took of each purchase a return or void of this batch names, by purchase id. */
  returned: Map<string, ReturnedLine[]>;
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
export const earnDayKey = (memberId: string, at: number, tz: string): string => `${memberId}\u0000${startOfLocalDay(at, tz)}`;

const lotTotal = (lots: MemberData['lots']): number => lots.reduce((sum, l) => sum + l.remaining, 0);
/** What an operation moves: the member's points less what they owe (docs/returns.md "Owing points"). */
const balanceOf = (m: MemberState): number => lotTotal(m.lots) - m.owed;

/** Points the earn repaid of what the member owed (its stored detail, HQ's figure). */
const owedRepaidBy = (target: OpRow): number => {
  const n = target.payload.detail.owedRepaid;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0;
};

const BURN_KINDS = new Set(['exchange', 'cash', 'donate']);
const SPENDING_KINDS = new Set(['redeem', 'exchange', 'cash', 'donate']);

function isRevoked(state: BatchState, member: MemberState, at: number): boolean {
  if (member.status === 'revoked') return true;
  return (state.revocations.get(member.id) ?? []).some((r) => (r.cardSerial === 0 || r.cardSerial === member.cardSerial) && r.revokedAt <= at);
}

function skuOf(op: HqOp): string | null {
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

type FlagFn = (kind: ConflictKind, decision: ConflictDecision, detail: NewConflict['detail']) => void;

/** The points HQ gives an earn: the named rules version's computation, within the current caps. */
function earnedByHq(state: BatchState, member: MemberState, op: HqOp, flag: FlagFn): number {
  const named = rulesInForce(state.rulesByVersion, state.rules, op);
  const earned = earnPoints(named, op.lines, { now: op.at, tz: state.tz, birthday: member.birthday });
  const caps = state.rules.earn;
  const key = earnDayKey(member.id, op.at, state.tz);
  const before = state.earnedToday.get(key) ?? 0;
  const perLine = earned.lines.reduce((sum, l) => sum + Math.min(l.points, caps.maxPointsPerLine), 0);
  const points = Math.max(0, Math.min(perLine, caps.maxPointsPerEarn, caps.maxPointsPerMemberDay - before));
  if (points < earned.points) {
    flag('earn_capped', 'applied_as_hq', { claimed: op.points, computed: earned.points, applied: points, earnedBefore: before });
  } else if (points !== op.points) {
    flag('points_recomputed', 'applied_as_hq', { claimed: op.points, applied: points, rulesVersion: op.rulesVersion ?? state.rules.version });
  }
  state.earnedToday.set(key, before + points);
  return points;
}

/** Why a void may not undo its target, or null when it may. */
function voidTargetProblem(target: OpRow | undefined, op: HqOp, returned: BatchState['returned']): string | null {
  if (!target) return 'unknown';
  if (target.storeId !== op.storeId) return 'other_store';
  if (target.memberId !== op.memberId) return 'other_member';
  if (target.status !== 'applied') return 'refused';
  if (target.kind === 'void') return 'a_void';
  if (target.kind === 'return') return 'a_return';
  if (target.voidedBy !== null) return 'already_voided';
  // A purchase partly returned stays; its returns would be left taking back points it never gave.
  if ((returned.get(target.id) ?? []).length > 0) return 'returned';
  return null;
}

function applyToMember(state: BatchState, member: MemberState, op: HqOp, flag: FlagFn): Burned {
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
    member.usage = countUse(member.usage, op.benefitId, op.businessDate, op.at, 1);
  }
  if (BURN_KINDS.has(op.kind) && op.points < 0) {
    const want = -op.points;
    const result = burnOldest(lots, want, op.at);
    lots = result.lots;
    burned = result.burned;
    if (result.shortfall > 0) {
      flag('points_overdraw', 'points_floored', { wanted: want, available: want - result.shortfall, shortfall: result.shortfall });
    }
  }
  if (op.kind === 'exchange') moveStock(state, op.storeId, skuOf(op), -1);
  if (op.kind === 'earn') {
    const points = earnedByHq(state, member, op, flag);
    op.points = points;
    if (points > 0) {
      lots = [...lots, { key: op.opId, earnedAt: op.at, expiresAt: lotExpiry(op.at, state.rules), points, remaining: points }];
    }
    months = addMonth(months, monthKey(op.at, state.tz), 1, op.amountFen ?? 0);
    const before = { lastPurchaseAt: lastPurchase, tierSince: member.tierSinceNow };
    lastPurchase = Math.max(lastPurchase ?? 0, op.at);
    // HQ alone decides the tier, from its own history of the member; the terminal's claim is only compared.
    const parsedTier = tierCodeSchema.safeParse(tier);
    const current = parsedTier.success ? parsedTier.data : 'basic';
    const change = decideTierChange(state.rules, current, evaluateTier(state.rules, months, op.at, state.tz), 'activity');
    const claimed = (op.detail.tierChange as { to?: unknown } | undefined)?.to;
    if (claimed !== undefined && claimed !== change?.to) {
      flag('tier_not_confirmed', 'applied_as_hq', { claimed: typeof claimed === 'string' ? claimed.slice(0, 40) : null, applied: change?.to ?? current });
    }
    // The stored detail is HQ's, so a later void undoes what HQ did (earnUndoFacts).
    delete op.detail.tierChange;
    op.detail.before = before;
    if (change) {
      op.detail.tierChange = { from: change.from, to: change.to };
      tier = change.to;
      tierSince = op.at;
      // Reaching a tier issues its welcome gift.
      const welcome = state.welcome.filter((w) => w.tier === change.to);
      grants = [...grants, ...welcome.map((w) => ({ benefitId: w.id, grantedAt: op.at, reason: `tier:${change.to}`, usedOpId: null }))];
    }
  }
  if (op.kind === 'void' && op.targetOpId) {
    const target = state.ops.get(op.targetOpId)!;
    lots = restore(lots, target.burned);
    if (target.kind === 'earn') {
      // What the earn repaid is owed again, within the limit (a return since may have owed up to it
      // again: the rest is written off and flagged); the rest comes out of its lot (then the oldest).
      const repaid = Math.min(owedRepaidBy(target), Math.max(0, target.points));
      const owing = oweShortfall(state.rules, member.owed, repaid);
      member.owed = owing.owed;
      if (owing.shortfall > 0) flag('points_overdraw', 'points_floored', { wanted: repaid, available: owing.added, shortfall: owing.shortfall });
      let back = target.points - repaid;
      lots = lots.map((l) => {
        if (l.key !== op.targetOpId) return l;
        const take = Math.min(back, l.remaining);
        back -= take;
        return { ...l, remaining: l.remaining - take };
      });
      if (back > 0) lots = burnOldest(lots, back, op.at).lots;
      months = addMonth(months, monthKey(target.at, state.tz), -1, -(target.payload.amountFen ?? 0));
      const dayKey = earnDayKey(target.memberId, target.at, state.tz);
      const today = state.earnedToday.get(dayKey);
      if (today !== undefined) state.earnedToday.set(dayKey, Math.max(0, today - target.points));
      // Undo the tier step HQ recorded and its unused welcome gifts while the member is still on
      // that tier (src/terminal/operations/voidEarn.ts does the same). A gift already used stays used.
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
      member.usage = countUse(member.usage, target.benefitId, target.payload.businessDate, target.at, -1);
      const key = redeemKey(target.memberId, target.benefitId);
      const n = state.redeemCounts.get(key);
      if (n !== undefined) state.redeemCounts.set(key, n - 1);
    }
  }
  Object.assign(member, { lots, months, grants, tier, lastPurchaseAt: lastPurchase, changed: true });
  if (tierSince !== null) Object.assign(member, { tierSince, tierSinceNow: tierSince });
  return burned;
}

/**
 * A member who owes points never holds spendable ones: the first points they have again (an earn's
 * lot, points a void gives back) repay the debt, oldest first. Returns what was repaid.
 */
function repayOwed(member: MemberState, at: number): number {
  if (member.owed <= 0) return 0;
  const available = member.lots.reduce((s, l) => (l.remaining > 0 && l.expiresAt > at ? s + l.remaining : s), 0);
  const repaid = Math.min(member.owed, available);
  if (repaid <= 0) return 0;
  member.lots = burnOldest(member.lots, repaid, at).lots;
  member.owed -= repaid;
  member.changed = true;
  return repaid;
}

/** Applies `given` (not seen before) to the batch state; returns the conflicts HQ decided for it. */
export function applyOperation(state: BatchState, given: HqOp): NewConflict[] {
  const conflicts: NewConflict[] = [];
  const flag: FlagFn = (kind, decision, detail) => conflicts.push({ opId: given.opId, memberId: given.memberId, kind, decision, detail, at: given.at });
  const record = (f: Flag) => flag(f.kind, f.decision, f.detail);
  const member = state.members.get(given.memberId);
  const checked = checkEvent(state.facts, given);
  const op = checked.op;
  let refusal = checked.refusal;
  const barred = !refusal && member ? notAllowed(state, member, op) : null;
  if (barred) refusal = { kind: 'benefit_not_allowed', decision: 'refused', detail: { benefitId: op.benefitId, itemId: op.itemId, reason: barred } };
  if (!refusal && op.kind === 'void') {
    const problem = voidTargetProblem(op.targetOpId === null ? undefined : state.ops.get(op.targetOpId), op, state.returned);
    if (problem) refusal = { kind: 'void_target', decision: 'refused', detail: { targetOpId: op.targetOpId, problem } };
  }
  let returning: HqReturn | null = null;
  if (!refusal && op.kind === 'return' && member) {
    const planned = planHqReturn(state, member, op);
    if ('problem' in planned) refusal = { kind: 'return_target', decision: 'refused', detail: { targetOpId: op.targetOpId, problem: planned.problem } };
    else returning = planned;
  }
  checked.flags.forEach(record);
  let burned: Burned = [];
  let points = 0;
  if (refusal) {
    record(refusal);
    // Sent again, so the terminal's copy of the member is put back to HQ's at its next pull.
    if (member) member.changed = true;
  } else if (!member) {
    flag('unknown_member', 'recorded', { kind: op.kind });
  } else {
    const before = balanceOf(member);
    if (returning) applyReturn(state, member, op, returning, flag);
    else burned = applyToMember(state, member, op, flag);
    const repaid = repayOwed(member, op.at);
    // HQ's figure only: a terminal's claim would make a later void owe what was never repaid.
    if (op.kind === 'earn') delete op.detail.owedRepaid;
    if (repaid > 0 && op.kind === 'earn') op.detail.owedRepaid = repaid;
    points = balanceOf(member) - before;
  }
  const status = refusal ? 'refused' : 'applied';
  const row: OpRow = { id: op.opId, storeId: op.storeId, memberId: op.memberId, kind: op.kind, benefitId: op.benefitId, at: op.at, points, payload: op, status, burned, voidedBy: null, loaded: false };
  state.newOps.push(row);
  state.ops.set(row.id, row);
  if (status === 'applied' && op.kind === 'earn') state.earns.get(op.memberId)?.push({ id: op.opId, at: op.at, voidedBy: null });
  if (status === 'applied' && op.kind === 'redeem' && op.benefitId !== null) {
    const key = redeemKey(op.memberId, op.benefitId);
    state.redeemCounts.set(key, (state.redeemCounts.get(key) ?? 0) + 1);
  }
  return conflicts;
}

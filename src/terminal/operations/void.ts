// Void an operation of today with a manager's approval: every ledger entry is reversed by a new
// operation (the original stays, marked voided), so the history keeps both.
import { DeskError } from '../../contract/errors';
import { planBurn } from '../../loyalty/points';
import { monthKey } from '../../loyalty/time';
import { adjustStock, releaseGrant } from '../../store/benefits';
import { adjustLot, getMember, memberLots, removeMonthActivity } from '../../store/members';
import type { Db } from '../../store/open';
import {
  getOperation,
  ledgerForOp,
  markVoided,
  countsTowardOfflineTotal,
  releaseOfflineValue,
  type LedgerEntry,
} from '../../store/operations';
import type { ServiceDeps } from './deps';
import { operatingDay } from './businessDay';
import { refused } from './guards';
import { buildReceipt, requireManager, requireMember, requireStaff } from './lookups';
import { recordOperation } from './record';
import { OWED_REF, oweAgain, pointsBalanceOf, repayOwed } from './owedPoints';
import { undoEarnPurchase, undoEarnTier, usedWelcomeGift } from './voidEarn';
import type { OpKind, ReceiptModel, VoidResult } from '../../contract/deskTypes';

export interface VoidInput {
  opId: string;
  staffId: string;
  /** The manager who approves; the signed-in staff when they are a manager themselves. */
  approverId: string;
}

/** Takes earned points back: from the lot they went into first, then oldest first. */
function unearn(deps: ServiceDeps, memberId: string, lotId: number, points: number, now: number): LedgerEntry[] {
  const lots = memberLots(deps.db, memberId);
  const own = lots.find((l) => l.id === lotId);
  const fromOwn = Math.min(points, own?.remaining ?? 0);
  const entries: LedgerEntry[] = [];
  if (fromOwn > 0) {
    adjustLot(deps.db, lotId, -fromOwn);
    entries.push({ account: 'points', delta: -fromOwn, valueFen: 0, lotId, ref: null });
  }
  const rest = points - fromOwn;
  if (rest > 0) {
    const plan = planBurn(lots.filter((l) => l.id !== lotId), rest, now);
    if (!plan.ok) refused(plan);
    for (const a of plan.allocations) {
      adjustLot(deps.db, a.lotId, -a.points);
      entries.push({ account: 'points', delta: -a.points, valueFen: 0, lotId: a.lotId, ref: null });
    }
  }
  return entries;
}

type VoidTarget = { id: string; kind: OpKind; memberId: string; voidedByOp: string | null; businessDate: string };

/**
 * Why the void of `target` is refused, or null: the one rule both the void and 今日业务's 撤销 button
 * (recentOps.ts) follow, so the button is offered exactly where the void goes through. Reads only.
 */
export function voidRefusal(db: Db, target: VoidTarget, today: string): DeskError | null {
  // A return is not undone by a void (docs/returns.md): it would need its spend, visit and tier back too.
  if (target.kind === 'void' || target.kind === 'return') return new DeskError('NOT_VOIDABLE', { kind: target.kind });
  if (target.voidedByOp !== null) return new DeskError('ALREADY_VOIDED', { ref: target.id });
  if (target.businessDate !== today) return new DeskError('VOID_NOT_SAME_DAY', { today, date: target.businessDate });
  if (target.kind === 'earn') {
    // The purchase's tier step would be undone, but its welcome gift was redeemed: that redemption first.
    const member = getMember(db, target.memberId);
    const used = member ? usedWelcomeGift(db, member, target.id) : undefined;
    if (used) return new DeskError('VOID_GRANT_USED', { ref: used.used_op_id ?? '', benefit: used.benefit_id });
  }
  return null;
}

export const isVoidable = (db: Db, target: VoidTarget, today: string): boolean => voidRefusal(db, target, today) === null;

export function voidOperation(deps: ServiceDeps, input: VoidInput): VoidResult {
  return deps.db.transaction((): VoidResult => {
    const now = deps.clock();
    const { storeId, terminalId, tz } = deps.identity;
    const staff = requireStaff(deps, input.staffId);
    const approver = requireManager(deps, input.approverId);
    const target = getOperation(deps.db, input.opId);
    if (!target || target.storeId !== storeId) throw new DeskError('UNKNOWN_OPERATION', { ref: input.opId });
    const today = operatingDay(deps, now).date;
    const refusal = voidRefusal(deps.db, target, today);
    if (refusal) throw refusal;

    const found = requireMember(deps, target.memberId);
    const pointsBefore = pointsBalanceOf(deps.db, found.id, now);
    const opId = deps.newId();
    const member = target.kind === 'earn' ? undoEarnTier(deps, found, target, opId, now) : found;
    const ledger: LedgerEntry[] = [];
    // What the operation repaid of owed points goes back to its lot first and is owed again.
    const entries = ledgerForOp(deps.db, target.id).sort((a, b) => Number(b.ref === OWED_REF) - Number(a.ref === OWED_REF));
    for (const e of entries) {
      if (e.ref === OWED_REF) oweAgain(deps.db, deps.rules, member.id, -e.delta);
      if (e.account === 'points' && e.lotId !== null && e.delta > 0) {
        ledger.push(...unearn(deps, member.id, e.lotId, e.delta, now));
        continue;
      }
      if (e.account === 'points' && e.lotId !== null) adjustLot(deps.db, e.lotId, -e.delta);
      if (e.account === 'stock' && e.ref !== null) adjustStock(deps.db, storeId, e.ref, -e.delta);
      ledger.push({ ...e, delta: -e.delta });
    }
    releaseGrant(deps.db, target.id);
    if (target.kind === 'earn') {
      removeMonthActivity(deps.db, member.id, monthKey(target.at, tz), 1, target.amountFen ?? 0);
      undoEarnPurchase(deps, found, target, now);
    }
    if (!target.synced && countsTowardOfflineTotal(target)) releaseOfflineValue(deps.db, target.valueFen);
    if (!markVoided(deps.db, target.id, opId)) throw new DeskError('ALREADY_VOIDED', { ref: target.id });

    // Points a void gives back (a burn's) repay what the member owes, as any new points do.
    ledger.push(...repayOwed(deps.db, member.id, now));
    const pointsAfter = pointsBalanceOf(deps.db, member.id, now);
    const offline = !deps.connectivity().online;
    // The receipt names what it voids: the kind beside the operation's number.
    const receipt = withTargetKind(target.kind, buildReceipt(deps, {
      kind: 'void',
      opId,
      at: now,
      member,
      staff,
      approvedBy: approver,
      subject: null,
      valueFen: target.valueFen,
      amountFen: target.amountFen,
      pointsBefore,
      pointsAfter,
      targetOpId: target.id,
      offline,
    }));
    const recorded = recordOperation(
      deps,
      {
        id: opId,
        kind: 'void',
        memberId: member.id,
        benefitId: target.benefitId,
        itemId: target.itemId,
        targetOpId: target.id,
        staffId: staff.id,
        approvedBy: approver.id,
        storeId,
        terminalId,
        at: now,
        businessDate: today,
        valueFen: target.valueFen,
        points: pointsAfter - pointsBefore,
        amountFen: target.amountFen,
        detail: { targetKind: target.kind },
        offline,
      },
      ledger,
      receipt,
    );
    return { ...recorded, targetOpId: target.id, pointsBefore, pointsAfter };
  }).immediate();
}

function withTargetKind(kind: OpKind, receipt: ReceiptModel): ReceiptModel {
  return { ...receipt, targetKind: kind };
}

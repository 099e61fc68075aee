// Points operations: earn for a purchase, exchange for a catalog gift, cash deduction, donation.
import { DeskError } from '../../contract/errors';
import { checkCashDeduction, checkDonation, checkExchange } from '../../loyalty/exchange';
import { availablePoints, lotExpiry } from '../../loyalty/points';
import { monthKey } from '../../loyalty/time';
import type { PurchaseLine } from '../../loyalty/types';
import { adjustStock, getCatalogItem, grantBenefit, listBenefits, stockOf } from '../../store/benefits';
import { addMonthActivity, changeTier, insertLot, memberLots, pointsOwed, recordPurchase, toMemberFacts, type MemberRow } from '../../store/members';
import type { LedgerEntry } from '../../store/operations';
import type { StaffRow } from '../../store/staff';
import type { ServiceDeps } from './deps';
import { operatingDay } from './businessDay';
import { burnLots, enforceOfflineRisk, isOffline, refused } from './guards';
import { planEarn } from './earnPlan';
import { buildReceipt, requireManager, requireMember, requireStaff } from './lookups';
import { recordOperation } from './record';
import { repayOwed } from './owedPoints';
import type { PointsOpResult, EarnResult, OpKind, ReceiptModel } from '../../contract/deskTypes';

interface OpFacts {
  kind: OpKind;
  opId: string;
  now: number;
  member: MemberRow;
  staff: StaffRow;
  /** The manager who approved (an earn above the threshold, or any earn a manager was named for). */
  approvedBy?: StaffRow | null;
  itemId?: string | null;
  subject: ReceiptModel['subject'];
  valueFen: number;
  points: number;
  amountFen: number | null;
  pointsBefore: number;
  detail: Record<string, unknown>;
  offline: boolean;
}

function finish(deps: ServiceDeps, f: OpFacts, ledger: LedgerEntry[]): PointsOpResult {
  const { storeId, terminalId } = deps.identity;
  const pointsAfter = f.pointsBefore + f.points;
  const receipt = buildReceipt(deps, {
    kind: f.kind,
    opId: f.opId,
    at: f.now,
    member: f.member,
    staff: f.staff,
    approvedBy: f.approvedBy ?? null,
    subject: f.subject,
    valueFen: f.valueFen,
    amountFen: f.amountFen,
    pointsBefore: f.pointsBefore,
    pointsAfter,
    offline: f.offline,
  });
  const recorded = recordOperation(
    deps,
    {
      id: f.opId,
      kind: f.kind,
      memberId: f.member.id,
      benefitId: null,
      itemId: f.itemId ?? null,
      targetOpId: null,
      staffId: f.staff.id,
      approvedBy: f.approvedBy?.id ?? null,
      storeId,
      terminalId,
      at: f.now,
      businessDate: operatingDay(deps, f.now).date,
      valueFen: f.valueFen,
      points: f.points,
      amountFen: f.amountFen,
      detail: f.detail,
      offline: f.offline,
    },
    ledger,
    receipt,
  );
  return { ...recorded, points: f.points, valueFen: f.valueFen, pointsBefore: f.pointsBefore, pointsAfter, offline: f.offline };
}

function start(deps: ServiceDeps, memberId: string, staffId: string) {
  const now = deps.clock();
  const member = requireMember(deps, memberId);
  const staff = requireStaff(deps, staffId);
  const lots = memberLots(deps.db, member.id);
  return { now, member, staff, lots, facts: toMemberFacts(member), pointsBefore: availablePoints(lots, now) - pointsOwed(deps.db, member.id), offline: isOffline(deps) };
}

export interface EarnInput {
  memberId: string;
  staffId: string;
  lines: PurchaseLine[];
  /**
   * A manager of this store who approves: one named at the desk (PIN) or the command line (--manager),
   * or the acting staff when they are a manager. Recorded when named by someone else, or when needed.
   */
  approverId?: string | null;
}

export function earn(deps: ServiceDeps, input: EarnInput): EarnResult {
  return deps.db.transaction((): EarnResult => {
    const s = start(deps, input.memberId, input.staffId);
    const approver = input.approverId ? requireManager(deps, input.approverId) : null;
    // Every limit is checked before anything is written: a refusal leaves the database as it was.
    const plan = planEarn(deps, s.member, s.now, input.lines, approver !== null);
    const approvedBy = approver && (approver.id !== s.staff.id || plan.needsApproval) ? approver : null;
    const { earned, amountFen, change } = plan;
    const { tz } = deps.identity;
    const opId = deps.newId();
    const ledger: LedgerEntry[] = [];
    if (earned.points > 0) {
      const lotId = insertLot(deps.db, {
        memberId: s.member.id,
        earnedAt: s.now,
        expiresAt: lotExpiry(s.now, deps.rules),
        points: earned.points,
        opId,
      });
      ledger.push({ account: 'points', delta: earned.points, valueFen: 0, lotId, ref: null });
    }
    // What the member owes after a return is repaid first (the balance still rises by the points earned).
    const repaying = repayOwed(deps.db, s.member.id, s.now);
    ledger.push(...repaying);
    const owedRepaid = -repaying.reduce((sum, e) => sum + e.delta, 0);
    addMonthActivity(deps.db, s.member.id, monthKey(s.now, tz), 1, amountFen);
    recordPurchase(deps.db, s.member.id, s.now);
    if (change) {
      changeTier(deps.db, { memberId: s.member.id, at: s.now, from: change.from, to: change.to, reason: change.reason, opId });
      for (const b of listBenefits(deps.db)) {
        if (b.params.type === 'tier_welcome' && b.params.tier === change.to && b.requiresGrant) {
          grantBenefit(deps.db, s.member.id, b.id, s.now, `tier:${change.to}`);
        }
      }
    }
    const result = finish(
      deps,
      {
        kind: 'earn',
        opId,
        now: s.now,
        member: change ? { ...s.member, tier: change.to } : s.member,
        staff: s.staff,
        approvedBy,
        subject: null,
        valueFen: 0,
        points: earned.points,
        amountFen,
        pointsBefore: s.pointsBefore,
        detail: {
          lines: earned.lines,
          promoMultiplier: earned.promoMultiplier,
          birthday: earned.birthday,
          memberDay: earned.memberDay,
          ...(change ? { tierChange: change } : {}),
          ...(owedRepaid > 0 ? { owedRepaid } : {}),
          // What a void of this earn puts back (src/loyalty/earnDetail.ts).
          before: { lastPurchaseAt: s.member.last_purchase_at, tierSince: s.member.tier_since },
        },
        offline: s.offline,
      },
      ledger,
    );
    return { ...result, tierChange: change, approvedBy: approvedBy && { id: approvedBy.id, name: approvedBy.name } };
  }).immediate();
}

export interface ExchangeInput {
  memberId: string;
  staffId: string;
  itemId: string;
}

export function exchange(deps: ServiceDeps, input: ExchangeInput): PointsOpResult {
  return deps.db.transaction((): PointsOpResult => {
    const s = start(deps, input.memberId, input.staffId);
    const { storeId } = deps.identity;
    const item = getCatalogItem(deps.db, input.itemId);
    if (!item) throw new DeskError('UNKNOWN_ITEM', { ref: input.itemId });
    const verdict = checkExchange(item, s.facts, s.lots, s.now, stockOf(deps.db, storeId, item.sku));
    if (!verdict.ok) refused(verdict);
    if (s.offline) enforceOfflineRisk(deps, s.member.id, { valueFen: item.valueFen, pointsBurned: verdict.points }, s.now);
    const ledger = burnLots(deps, verdict.allocations);
    if (stockOf(deps.db, storeId, item.sku) !== null) {
      adjustStock(deps.db, storeId, item.sku, -1);
      ledger.push({ account: 'stock', delta: -1, valueFen: item.valueFen, lotId: null, ref: item.sku });
    }
    return finish(
      deps,
      {
        kind: 'exchange',
        opId: deps.newId(),
        now: s.now,
        member: s.member,
        staff: s.staff,
        itemId: item.id,
        subject: { id: item.id, name: item.name },
        valueFen: item.valueFen,
        points: -verdict.points,
        amountFen: null,
        pointsBefore: s.pointsBefore,
        detail: { sku: item.sku },
        offline: s.offline,
      },
      ledger,
    );
  }).immediate();
}

export interface CashInput {
  memberId: string;
  staffId: string;
  points: number;
  amountFen: number;
}

export function cashDeduct(deps: ServiceDeps, input: CashInput): PointsOpResult {
  return deps.db.transaction((): PointsOpResult => {
    const s = start(deps, input.memberId, input.staffId);
    const verdict = checkCashDeduction(deps.rules, s.facts, s.lots, s.now, input.points, input.amountFen);
    if (!verdict.ok) refused(verdict);
    if (s.offline) enforceOfflineRisk(deps, s.member.id, { valueFen: verdict.valueFen, pointsBurned: input.points }, s.now);
    const ledger = burnLots(deps, verdict.allocations);
    ledger.push({ account: 'cash', delta: verdict.valueFen, valueFen: verdict.valueFen, lotId: null, ref: null });
    return finish(
      deps,
      {
        kind: 'cash',
        opId: deps.newId(),
        now: s.now,
        member: s.member,
        staff: s.staff,
        subject: null,
        valueFen: verdict.valueFen,
        points: -input.points,
        amountFen: input.amountFen,
        pointsBefore: s.pointsBefore,
        detail: {},
        offline: s.offline,
      },
      ledger,
    );
  }).immediate();
}

export interface DonateInput {
  memberId: string;
  staffId: string;
  points: number;
}

export function donate(deps: ServiceDeps, input: DonateInput): PointsOpResult {
  return deps.db.transaction((): PointsOpResult => {
    const s = start(deps, input.memberId, input.staffId);
    const verdict = checkDonation(deps.rules, s.facts, s.lots, s.now, input.points);
    if (!verdict.ok) refused(verdict);
    if (s.offline) enforceOfflineRisk(deps, s.member.id, { valueFen: 0, pointsBurned: input.points }, s.now);
    // The charity receives the points' cash worth; floor keeps it an integer of fen.
    const valueFen = Math.floor((input.points * 100) / deps.rules.points.cashPointsPerYuan);
    const ledger = burnLots(deps, verdict.allocations);
    ledger.push({ account: 'charity', delta: input.points, valueFen, lotId: null, ref: null });
    return finish(
      deps,
      {
        kind: 'donate',
        opId: deps.newId(),
        now: s.now,
        member: s.member,
        staff: s.staff,
        subject: null,
        valueFen,
        points: -input.points,
        amountFen: null,
        pointsBefore: s.pointsBefore,
        detail: {},
        offline: s.offline,
      },
      ledger,
    );
  }).immediate();
}

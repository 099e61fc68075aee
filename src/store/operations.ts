// operations and their ledger entries.
import type { OpKind } from '../contract/deskTypes';
import type { Db } from './open';
import { stmt } from './statements';

export interface Operation {
  id: string;
  kind: OpKind;
  memberId: string;
  benefitId: string | null;
  itemId: string | null;
  targetOpId: string | null;
  staffId: string;
  approvedBy: string | null;
  storeId: string;
  terminalId: string;
  at: number;
  businessDate: string;
  valueFen: number;
  /** Signed: + earned, − burned. */
  points: number;
  amountFen: number | null;
  detail: Record<string, unknown>;
  offline: boolean;
}

export interface StoredOperation extends Operation {
  synced: boolean;
  voidedByOp: string | null;
}

interface OperationRow {
  id: string;
  kind: OpKind;
  member_id: string;
  benefit_id: string | null;
  item_id: string | null;
  target_op_id: string | null;
  staff_id: string;
  approved_by: string | null;
  store_id: string;
  terminal_id: string;
  at: number;
  business_date: string;
  value_fen: number;
  points: number;
  amount_fen: number | null;
  detail_json: string;
  offline: number;
  synced: number;
  voided_by_op: string | null;
}

export function insertOperation(db: Db, op: Operation): void {
  stmt(
    db,
    `INSERT INTO operations(id, kind, member_id, benefit_id, item_id, target_op_id, staff_id, approved_by, store_id,
       terminal_id, at, business_date, value_fen, points, amount_fen, detail_json, offline)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    op.id,
    op.kind,
    op.memberId,
    op.benefitId,
    op.itemId,
    op.targetOpId,
    op.staffId,
    op.approvedBy,
    op.storeId,
    op.terminalId,
    op.at,
    op.businessDate,
    op.valueFen,
    op.points,
    op.amountFen,
    JSON.stringify(op.detail),
    op.offline ? 1 : 0,
  );
}

function toOperation(r: OperationRow): StoredOperation {
  return {
    id: r.id,
    kind: r.kind,
    memberId: r.member_id,
    benefitId: r.benefit_id,
    itemId: r.item_id,
    targetOpId: r.target_op_id,
    staffId: r.staff_id,
    approvedBy: r.approved_by,
    storeId: r.store_id,
    terminalId: r.terminal_id,
    at: r.at,
    businessDate: r.business_date,
    valueFen: r.value_fen,
    points: r.points,
    amountFen: r.amount_fen,
    detail: JSON.parse(r.detail_json) as Record<string, unknown>,
    offline: r.offline === 1,
    synced: r.synced === 1,
    voidedByOp: r.voided_by_op,
  };
}

export function getOperation(db: Db, id: string): StoredOperation | undefined {
  const row = stmt<[string], OperationRow>(db, 'SELECT * FROM operations WHERE id = ?').get(id);
  return row && toOperation(row);
}

export function markVoided(db: Db, opId: string, voidOpId: string): boolean {
  return stmt(db, 'UPDATE operations SET voided_by_op = ? WHERE id = ? AND voided_by_op IS NULL').run(voidOpId, opId).changes === 1;
}

export type LedgerAccount = 'points' | 'benefit' | 'stock' | 'charity' | 'cash';

export interface LedgerEntry {
  account: LedgerAccount;
  delta: number;
  valueFen: number;
  lotId: number | null;
  ref: string | null;
}

export function insertLedger(db: Db, opId: string, memberId: string, at: number, e: LedgerEntry): void {
  stmt(
    db,
    'INSERT INTO ledger(op_id, member_id, at, account, delta, value_fen, lot_id, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(opId, memberId, at, e.account, e.delta, e.valueFen, e.lotId, e.ref);
}

export function ledgerForOp(db: Db, opId: string): (LedgerEntry & { id: number })[] {
  // An entry carries its operation's member and instant (record.ts), so ledger_member finds it:
  // no index on op_id to write with every entry (schema 100).
  return stmt<[string], { id: number; account: LedgerAccount; delta: number; value_fen: number; lot_id: number | null; ref: string | null }>(
    db,
    `SELECT l.id, l.account, l.delta, l.value_fen, l.lot_id, l.ref
     FROM operations o CROSS JOIN ledger l ON l.member_id = o.member_id AND l.at = o.at AND l.op_id = o.id
     WHERE o.id = ? ORDER BY l.id`,
  )
    .all(opId)
    .map((r) => ({ id: r.id, account: r.account, delta: r.delta, valueFen: r.value_fen, lotId: r.lot_id, ref: r.ref }));
}

/**
 * Points a member earned at this terminal on one store business day, voided earns left out: what the
 * earn limits' per-member-day cap counts (rules.earn). Earns carry no benefit, so operations_member_benefit
 * finds them by (member_id, benefit_id IS NULL): a member's few rows, where operations_day (which the
 * planner would pick) walks every earn of the day.
 */
export function earnedOnDay(db: Db, memberId: string, terminalId: string, businessDate: string): number {
  return (
    stmt<[string, string, string], { p: number | null }>(
      db,
      `SELECT sum(points) AS p FROM operations INDEXED BY operations_member_benefit
       WHERE member_id = ? AND benefit_id IS NULL AND kind = 'earn' AND terminal_id = ? AND business_date = ? AND voided_by_op IS NULL`,
    ).get(memberId, terminalId, businessDate)?.p ?? 0
  );
}

/**
 * What offline risk limits look at: value not yet synced at this terminal, and the points one member
 * spent offline (exchange, cash deduction, donation, a point-costing redemption) that HQ has not
 * seen. A void is never spending: it gives back what its operation took (a voided earn takes back
 * points the member never had before), and a voided operation no longer counts.
 */
export function unsyncedExposure(db: Db, memberId: string): { valueFen: number; memberPointsBurned: number } {
  const member = stmt<[string], { p: number | null }>(
    db,
    `SELECT -sum(points) AS p FROM operations WHERE member_id = ? AND synced = 0 AND offline = 1 AND points < 0
       AND voided_by_op IS NULL AND kind IN ('redeem', 'exchange', 'cash', 'donate')`,
  ).get(memberId);
  return { valueFen: getCounter(db, UNSYNCED_VALUE), memberPointsBurned: member?.p ?? 0 };
}

export const UNSYNCED_VALUE = 'unsynced_offline_value_fen';

/** Operations whose value counts against the offline total cap until HQ has them. */
const EXPOSED_KINDS: ReadonlySet<string> = new Set<OpKind>(['redeem', 'exchange', 'cash']);

export function countsTowardOfflineTotal(op: { kind: string; offline: boolean }): boolean {
  return op.offline && EXPOSED_KINDS.has(op.kind);
}

/** Gives an operation's value back (HQ acknowledged it, or it was voided); never below zero. */
export function releaseOfflineValue(db: Db, valueFen: number): void {
  stmt(db, 'UPDATE counters SET value = max(0, value - ?) WHERE name = ?').run(valueFen, UNSYNCED_VALUE);
}

export function getCounter(db: Db, name: string): number {
  return stmt<[string], { value: number }>(db, 'SELECT value FROM counters WHERE name = ?').get(name)?.value ?? 0;
}

export function addToCounter(db: Db, name: string, delta: number): void {
  stmt(
    db,
    'INSERT INTO counters(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value',
  ).run(name, delta);
}

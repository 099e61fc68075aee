// members, member_months, point_lots, tier_changes: rows as stored and their domain forms.
import type { MemberFacts, MemberStatus, MonthDay, MonthlyActivity, PointsLot, TierCode } from '../loyalty/types';
import type { Db } from './open';
import { stmt } from './statements';

export interface MemberRow {
  id: string;
  card_no: string;
  name: string;
  /** HMAC of the phone's E.164 form under the brand's key (src/loyalty/phone.ts); null until HQ sent it. */
  phone_hash: string | null;
  /** The last four digits, all a terminal shows; '' when unknown. */
  phone_last4: string;
  birthday: string | null;
  tier: TierCode;
  tier_since: number;
  card_serial: number;
  status: MemberStatus;
  joined_at: number;
  last_purchase_at: number | null;
  updated_at: number;
}

const MEMBER_COLUMNS =
  'id, card_no, name, phone_hash, phone_last4, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at';

export function getMember(db: Db, id: string): MemberRow | undefined {
  return stmt<[string], MemberRow>(db, `SELECT ${MEMBER_COLUMNS} FROM members WHERE id = ? AND tombstone = 0`).get(id);
}

export function getMemberByCardNo(db: Db, cardNo: string): MemberRow | undefined {
  return stmt<[string], MemberRow>(db, `SELECT ${MEMBER_COLUMNS} FROM members WHERE card_no = ? AND tombstone = 0`).get(
    cardNo,
  );
}

/** Members (not tombstoned) whose phone hashes to this; more than one only if HQ let a number be shared. */
export function membersByPhoneHash(db: Db, hash: string): MemberRow[] {
  // The index holds the hash's first 8 characters (db/terminal/130): the same expression finds it.
  return stmt<[string, string], MemberRow>(
    db,
    `SELECT ${MEMBER_COLUMNS} FROM members WHERE substr(phone_hash, 1, 8) = ? AND phone_hash = ? AND tombstone = 0 ORDER BY id LIMIT 5`,
  ).all(hash.slice(0, 8), hash);
}

export function parseBirthday(text: string | null): MonthDay | null {
  if (text === null) return null;
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  return { month: Number(m[1]), day: Number(m[2]) };
}

export function toMemberFacts(row: MemberRow): MemberFacts {
  return {
    id: row.id,
    tier: row.tier,
    status: row.status,
    birthday: parseBirthday(row.birthday),
    lastPurchaseAt: row.last_purchase_at,
    joinedAt: row.joined_at,
  };
}

export function memberMonths(db: Db, memberId: string, fromMonth: string): MonthlyActivity[] {
  return stmt<[string, string], { month: string; visits: number; spend_fen: number }>(
    db,
    'SELECT month, visits, spend_fen FROM member_months WHERE member_id = ? AND month >= ? ORDER BY month',
  )
    .all(memberId, fromMonth)
    .map((r) => ({ month: r.month, visits: r.visits, spendFen: r.spend_fen }));
}

export function addMonthActivity(db: Db, memberId: string, month: string, visits: number, spendFen: number): void {
  stmt(
    db,
    `INSERT INTO member_months(member_id, month, visits, spend_fen) VALUES (?, ?, ?, ?)
     ON CONFLICT(member_id, month) DO UPDATE SET
       visits = max(0, visits + excluded.visits), spend_fen = max(0, spend_fen + excluded.spend_fen)`,
  ).run(memberId, month, Math.max(0, visits), Math.max(0, spendFen));
}

/** Takes back a purchase's activity when it is voided (never below zero). */
export function removeMonthActivity(db: Db, memberId: string, month: string, visits: number, spendFen: number): void {
  stmt(
    db,
    'UPDATE member_months SET visits = max(0, visits - ?), spend_fen = max(0, spend_fen - ?) WHERE member_id = ? AND month = ?',
  ).run(visits, spendFen, memberId, month);
}

/** Lots that still hold points, oldest first. */
/** Points the member owes after a return (schema 220, docs/returns.md "Owing points"). */
export function pointsOwed(db: Db, memberId: string): number {
  return stmt<[string], { owed: number }>(db, 'SELECT points_owed AS owed FROM members WHERE id = ?').get(memberId)?.owed ?? 0;
}

export function setPointsOwed(db: Db, memberId: string, owed: number): void {
  stmt(db, 'UPDATE members SET points_owed = ? WHERE id = ?').run(owed, memberId);
}

export function memberLots(db: Db, memberId: string): PointsLot[] {
  return stmt<[string], { id: number; earned_at: number; expires_at: number; remaining: number }>(
    db,
    'SELECT id, earned_at, expires_at, remaining FROM point_lots WHERE member_id = ? AND remaining > 0 ORDER BY earned_at, id',
  )
    .all(memberId)
    .map((r) => ({ id: r.id, earnedAt: r.earned_at, expiresAt: r.expires_at, remaining: r.remaining }));
}

export function insertLot(
  db: Db,
  lot: { memberId: string; earnedAt: number; expiresAt: number; points: number; opId: string | null },
): number {
  const info = stmt(
    db,
    'INSERT INTO point_lots(member_id, earned_at, expires_at, points, remaining, op_id) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(lot.memberId, lot.earnedAt, lot.expiresAt, lot.points, lot.points, lot.opId);
  return Number(info.lastInsertRowid);
}

/** Moves points in or out of a lot; the CHECK constraint refuses anything below 0 or above its size. */
export function adjustLot(db: Db, lotId: number, delta: number): void {
  stmt(db, 'UPDATE point_lots SET remaining = remaining + ? WHERE id = ?').run(delta, lotId);
}

export function recordPurchase(db: Db, memberId: string, at: number): void {
  stmt(db, 'UPDATE members SET last_purchase_at = max(coalesce(last_purchase_at, 0), ?), updated_at = ? WHERE id = ?').run(
    at,
    at,
    memberId,
  );
}

/** Sets the member's last purchase outright (a void takes one back); null when none is left. */
export function setLastPurchase(db: Db, memberId: string, at: number | null, updatedAt: number): void {
  stmt(db, 'UPDATE members SET last_purchase_at = ?, updated_at = ? WHERE id = ?').run(at, updatedAt, memberId);
}

/** The latest purchase (earn) of the member on this terminal that has not been voided, other than `exceptOpId`. */
export function latestEarnAt(db: Db, memberId: string, exceptOpId: string): number | null {
  const row = stmt<[string, string], { at: number | null }>(
    db,
    "SELECT max(at) AS at FROM operations WHERE member_id = ? AND kind = 'earn' AND voided_by_op IS NULL AND id <> ?",
  ).get(memberId, exceptOpId);
  return row?.at ?? null;
}

/** Whether a purchase of the member at that instant was voided here (so it is no longer a last purchase). */
export function isVoidedEarnAt(db: Db, memberId: string, at: number): boolean {
  return (
    stmt<[string, number], { n: number }>(
      db,
      "SELECT count(*) AS n FROM operations WHERE member_id = ? AND kind = 'earn' AND at = ? AND voided_by_op IS NOT NULL",
    ).get(memberId, at)!.n > 0
  );
}

export interface TierChangeRow {
  id: number;
  at: number;
  from_tier: TierCode;
  to_tier: TierCode;
}

export function tierChangeOfOp(db: Db, memberId: string, opId: string): TierChangeRow | undefined {
  return stmt<[string, string], TierChangeRow>(
    db,
    'SELECT id, at, from_tier, to_tier FROM tier_changes WHERE member_id = ? AND op_id = ? ORDER BY id DESC LIMIT 1',
  ).get(memberId, opId);
}

/** When the member entered `tier` before the given change, if the history shows it. */
export function tierSinceBefore(db: Db, memberId: string, changeId: number, tier: TierCode): number | null {
  const row = stmt<[string, number], { at: number; to_tier: string }>(
    db,
    'SELECT at, to_tier FROM tier_changes WHERE member_id = ? AND id < ? ORDER BY id DESC LIMIT 1',
  ).get(memberId, changeId);
  return row && row.to_tier === tier ? row.at : null;
}

/** `since` is the member's tier_since after the change: `at` unless a reversal restores an older one. */
export function changeTier(
  db: Db,
  change: { memberId: string; at: number; from: TierCode; to: TierCode; reason: string; opId: string | null; since?: number },
): void {
  stmt(db, 'UPDATE members SET tier = ?, tier_since = ?, updated_at = ? WHERE id = ?').run(
    change.to,
    change.since ?? change.at,
    change.at,
    change.memberId,
  );
  stmt(db, 'INSERT INTO tier_changes(member_id, at, from_tier, to_tier, reason, op_id) VALUES (?, ?, ?, ?, ?, ?)').run(
    change.memberId,
    change.at,
    change.from,
    change.to,
    change.reason,
    change.opId,
  );
}

// The few reads the member kiosk needs beyond the member card (a year in review, badge facts) and
// the life of a benefit slip in print_jobs (kind 'slip', op_id NULL): written, watched, withdrawn.
// Operations are this terminal's own; visits and earned points come from HQ's member state.
import type { Db } from './open';
import { stmt } from './statements';

/** What a slip's payload becomes once it printed or was withdrawn: nothing of the member stays. */
export const REDACTED_SLIP = '{"v":1,"withdrawn":true}';

export interface YearFacts {
  visits: number;
  monthsVisited: number;
  pointsEarned: number;
  benefitsUsed: number;
  giftsExchanged: number;
  pointsDonated: number;
}

/** One member's activity since `fromMonth` (YYYY-MM, store zone) / `fromAt` (epoch ms). */
export function memberYear(db: Db, memberId: string, fromMonth: string, fromAt: number): YearFacts {
  const months = stmt<[string, string], { visits: number | null; months: number }>(
    db,
    'SELECT sum(visits) AS visits, count(*) FILTER (WHERE visits > 0) AS months FROM member_months WHERE member_id = ? AND month >= ?',
  ).get(memberId, fromMonth)!;
  const earned = stmt<[string, number], { points: number | null }>(
    db,
    'SELECT sum(points) AS points FROM point_lots WHERE member_id = ? AND earned_at >= ?',
  ).get(memberId, fromAt)!;
  const ops = stmt<[string, number], { redeemed: number; exchanged: number; donated: number | null }>(
    db,
    `SELECT count(*) FILTER (WHERE kind = 'redeem') AS redeemed,
            count(*) FILTER (WHERE kind = 'exchange') AS exchanged,
            -sum(points) FILTER (WHERE kind = 'donate') AS donated
       FROM operations
      WHERE member_id = ? AND at >= ? AND kind IN ('redeem', 'exchange', 'donate') AND voided_by_op IS NULL`,
  ).get(memberId, fromAt)!;
  return {
    visits: months.visits ?? 0,
    monthsVisited: months.months,
    pointsEarned: earned.points ?? 0,
    benefitsUsed: ops.redeemed,
    giftsExchanged: ops.exchanged,
    pointsDonated: ops.donated ?? 0,
  };
}

// ---- Benefit slips.

export function insertSlipJob(db: Db, payload: unknown, createdAt: number): number {
  const info = stmt(
    db,
    "INSERT INTO print_jobs(op_id, kind, payload_json, status, created_at) VALUES (NULL, 'slip', ?, 'pending', ?)",
  ).run(JSON.stringify(payload), createdAt);
  return Number(info.lastInsertRowid);
}

export interface SlipJobState {
  id: number;
  status: 'pending' | 'printed' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  leaseUntil: number | null;
}

export function slipJob(db: Db, id: number): SlipJobState | undefined {
  const row = stmt<[number], { id: number; status: SlipJobState['status']; attempts: number; last_error: string | null; created_at: number; lease_until: number | null }>(
    db,
    "SELECT id, status, attempts, last_error, created_at, lease_until FROM print_jobs WHERE id = ? AND kind = 'slip'",
  ).get(id);
  return row && { id: row.id, status: row.status, attempts: row.attempts, lastError: row.last_error, createdAt: row.created_at, leaseUntil: row.lease_until };
}

/**
 * The member has gone (done, timeout, a new scan) or the slip could not print while they waited:
 * an unprinted slip is deleted so it never prints later into the tray for the next person, and
 * what is left (a printed slip, or one a printer is sending right now) keeps nothing of the member.
 * A slip is a courtesy copy, not a receipt: no operation, point or redemption hangs on it.
 */
export function withdrawSlip(db: Db, id: number, now: number): 'deleted' | 'redacted' | 'gone' {
  return db
    .transaction(() => {
      const del = stmt(
        db,
        "DELETE FROM print_jobs WHERE id = ? AND kind = 'slip' AND status <> 'printed' AND (lease_until IS NULL OR lease_until <= ?)",
      ).run(id, now);
      if (del.changes > 0) return 'deleted' as const;
      const red = stmt(db, "UPDATE print_jobs SET payload_json = ? WHERE id = ? AND kind = 'slip'").run(REDACTED_SLIP, id);
      return red.changes > 0 ? ('redacted' as const) : ('gone' as const);
    })
    .immediate();
}

/** At kiosk start: slips a crash left behind are withdrawn, printed ones forget the member. */
export function sweepSlips(db: Db, now: number): { deleted: number; redacted: number } {
  return db
    .transaction(() => {
      const deleted = stmt(
        db,
        "DELETE FROM print_jobs WHERE kind = 'slip' AND status <> 'printed' AND (lease_until IS NULL OR lease_until <= ?)",
      ).run(now).changes;
      const redacted = stmt(db, "UPDATE print_jobs SET payload_json = ? WHERE kind = 'slip' AND payload_json <> ?").run(REDACTED_SLIP, REDACTED_SLIP).changes;
      return { deleted, redacted };
    })
    .immediate();
}

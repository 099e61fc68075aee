// business_days and point_expiries (schema 60): closed days with their Z-report, and expired points.
import type { Db } from './open';
import { stmt } from './statements';

export interface ClosedDayRow {
  date: string;
  number: number;
  closedAt: number;
  closedBy: string;
  synced: boolean;
  syncedAt: number | null;
  reportJson: string;
}

interface Row {
  date: string;
  number: number;
  closed_at: number;
  closed_by: string;
  synced: number;
  synced_at: number | null;
  report_json: string;
}

const toClosed = (r: Row): ClosedDayRow => ({
  date: r.date,
  number: r.number,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  synced: r.synced === 1,
  syncedAt: r.synced_at,
  reportJson: r.report_json,
});

/** Whether a business day is closed (one indexed lookup: every operation asks it). */
export function isDayClosed(db: Db, date: string): boolean {
  return stmt<[string], { one: number }>(db, 'SELECT 1 AS one FROM business_days WHERE date = ?').get(date) !== undefined;
}

export function getClosedDay(db: Db, date: string): ClosedDayRow | undefined {
  const row = stmt<[string], Row>(db, 'SELECT * FROM business_days WHERE date = ?').get(date);
  return row && toClosed(row);
}

export function listClosedDays(db: Db, limit: number): ClosedDayRow[] {
  return stmt<[number], Row>(db, 'SELECT * FROM business_days ORDER BY number DESC LIMIT ?').all(limit).map(toClosed);
}

export function nextDayNumber(db: Db): number {
  return (stmt<[], { n: number | null }>(db, 'SELECT max(number) AS n FROM business_days').get()?.n ?? 0) + 1;
}

export function insertClosedDay(db: Db, d: Omit<ClosedDayRow, 'syncedAt'> & { statsJson: string | null }): void {
  stmt(db, 'INSERT INTO business_days(date, number, closed_at, closed_by, synced, synced_at, report_json, stats_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    d.date,
    d.number,
    d.closedAt,
    d.closedBy,
    d.synced ? 1 : 0,
    d.synced ? d.closedAt : null,
    d.reportJson,
    d.statsJson,
  );
}

/** The newest closed day in [from, to] that kept member statistics. */
export function latestDayStats(db: Db, from: string, to: string): { date: string; statsJson: string } | undefined {
  const row = stmt<[string, string], { date: string; stats_json: string }>(
    db,
    'SELECT date, stats_json FROM business_days WHERE date BETWEEN ? AND ? AND stats_json IS NOT NULL ORDER BY date DESC LIMIT 1',
  ).get(from, to);
  return row && { date: row.date, statsJson: row.stats_json };
}

/** Closed days whose operations HQ has meanwhile acknowledged become synced (the flag only goes 0 → 1). */
export function markClosedDaysSynced(db: Db, now: number): string[] {
  const dates = stmt<[], { date: string }>(
    db,
    `SELECT d.date FROM business_days d WHERE d.synced = 0
       AND NOT EXISTS (SELECT 1 FROM operations o WHERE o.business_date = d.date AND o.synced = 0)`,
  )
    .all()
    .map((r) => r.date);
  for (const date of dates) stmt(db, 'UPDATE business_days SET synced = 1, synced_at = ? WHERE date = ?').run(now, date);
  return dates;
}

export interface ExpiringLot {
  lotId: number;
  memberId: string;
  remaining: number;
  expiresAt: number;
}

/**
 * Lots expired by `cutoff` with points left that have not been written off yet. A full pass over
 * point_lots once a day is cheaper overall than an index every points write would have to keep.
 */
export function expiringLots(db: Db, cutoff: number): ExpiringLot[] {
  return stmt<[number], { id: number; member_id: string; remaining: number; expires_at: number }>(
    db,
    `SELECT l.id, l.member_id, l.remaining, l.expires_at FROM point_lots l
      WHERE l.expires_at <= ? AND l.remaining > 0 AND NOT EXISTS (SELECT 1 FROM point_expiries e WHERE e.lot_id = l.id)
      ORDER BY l.expires_at, l.id`,
  )
    .all(cutoff)
    .map((r) => ({ lotId: r.id, memberId: r.member_id, remaining: r.remaining, expiresAt: r.expires_at }));
}

export function insertExpiry(db: Db, e: { lotId: number; memberId: string; points: number; expiredAt: number; businessDate: string; sweptAt: number }): void {
  stmt(db, 'INSERT INTO point_expiries(lot_id, member_id, points, expired_at, business_date, swept_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    e.lotId,
    e.memberId,
    e.points,
    e.expiredAt,
    e.businessDate,
    e.sweptAt,
  );
  stmt(db, 'UPDATE point_lots SET remaining = 0 WHERE id = ?').run(e.lotId);
}

export function expiredPointsOn(db: Db, date: string): number {
  return stmt<[string], { p: number | null }>(db, 'SELECT sum(points) AS p FROM point_expiries WHERE business_date = ?').get(date)?.p ?? 0;
}

// The Z-report of one business day (store time zone) at this terminal: redemptions by benefit type,
// points earned / burned / donated / expired, voids with their approver, returns, redemptions per staff
// member, what still waits for HQ and the conflicts HQ reported. Voided operations are left out of
// the totals (a void is listed instead), so the totals are what actually left the store.
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { businessDate, startOfLocalDay, HOUR_MS } from '../../loyalty/time';
import { BENEFIT_TYPES } from '../../loyalty/types';
import { expiredPointsOn, getClosedDay } from '../../store/dayEnd';
import type { Db } from '../../store/open';
import { OP_KINDS } from '../../contract/deskTypes';
import { dayReportSchema, type DayReport } from '../../contract/managerTypes';
import { stmt } from '../../store/statements';
import type { ZReport } from '../../print/zReport';
import { getStoreName } from '../../store/stores';
import type { ServiceDeps } from '../operations/deps';

/**
 * The tier of a redemption (alias `o`): the one it recorded (detail.tier), else — for redemptions
 * recorded before schema 70 — the member's tier now. coalesce stops at its first non-null argument,
 * so the member lookup runs only for those older rows.
 */
export const TIER_AT_REDEMPTION = "coalesce(json_extract(o.detail_json, '$.tier'), (SELECT m.tier FROM members m WHERE m.id = o.member_id))";

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Business days before this are a typo, not history this terminal can have. */
export const FIRST_DATE = '2000-01-01';

/** A YYYY-MM-DD that exists on the calendar, not before 2000 and not after today in the store's zone. */
export function checkBusinessDate(date: string, now: number, tz: string): string {
  const m = DATE_RE.exec(date);
  const [y, mo, d] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const real = m !== null && new Date(Date.UTC(y, mo - 1, d)).toISOString().slice(0, 10) === date;
  if (!real || date < FIRST_DATE) throw new DeskError('DATE_INVALID', { date: date.slice(0, 32) });
  const today = businessDate(now, tz);
  if (date > today) throw new DeskError('DAY_IN_FUTURE', { date, today });
  return date;
}

function startOfDate(date: string, tz: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const noon = Date.UTC(y, m - 1, d, 12);
  // Some instant of the day itself: local offsets lie within ±14 h of UTC.
  const inside = [noon, noon - 12 * HOUR_MS, noon + 12 * HOUR_MS].find((t) => businessDate(t, tz) === date) ?? noon;
  return startOfLocalDay(inside, tz);
}

/** [start, end) of a business day as UTC instants (DST-safe: both ends are local midnights). */
export function dayBounds(date: string, tz: string): { start: number; end: number } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return { start: startOfDate(date, tz), end: startOfDate(next, tz) };
}

function staffName(db: Db, id: string): string {
  return stmt<[string], { name: string }>(db, 'SELECT name FROM staff WHERE id = ?').get(id)?.name ?? id;
}

function pendingOn(db: Db, date: string): number {
  return stmt<[string], { n: number }>(db, 'SELECT count(*) AS n FROM operations WHERE business_date = ? AND synced = 0').get(date)?.n ?? 0;
}

function conflictsOn(deps: ServiceDeps, date: string): DayReport['conflicts'] {
  const { start, end } = dayBounds(date, deps.identity.tz);
  return stmt<[string, number, number], { id: number; op_id: string; member_id: string; kind: string; decision: string; detail_json: string; at: number; seen_at: number | null }>(
    deps.db,
    'SELECT id, op_id, member_id, kind, decision, detail_json, at, seen_at FROM sync_conflicts WHERE terminal_id = ? AND at >= ? AND at < ? ORDER BY id',
  )
    .all(deps.identity.terminalId, start, end)
    .map((r) => ({ id: r.id, opId: r.op_id, memberId: r.member_id, kind: r.kind, decision: r.decision, detail: JSON.parse(r.detail_json) as unknown, at: r.at, acknowledged: r.seen_at !== null }));
}

/** The day's figures as the database holds them now. */
export function computeDayReport(deps: ServiceDeps, date: string): DayReport {
  const { db } = deps;
  const byType: DayReport['redemptions']['byType'] = {};
  let redemptions = 0;
  let redeemedFen = 0;
  const types = stmt<[string], { type: string | null; n: number; v: number }>(
    db,
    `SELECT json_extract(detail_json, '$.benefitType') AS type, count(*) AS n, sum(value_fen) AS v FROM operations
      WHERE business_date = ? AND kind = 'redeem' AND voided_by_op IS NULL GROUP BY type ORDER BY type`,
  ).all(date);
  for (const t of types) {
    byType[t.type ?? 'unknown'] = { count: t.n, valueFen: t.v };
    redemptions += t.n;
    redeemedFen += t.v;
  }
  const byTier: DayReport['byTier'] = {};
  for (const r of stmt<[string], { tier: string | null; n: number; v: number }>(
    db,
    `SELECT ${TIER_AT_REDEMPTION} AS tier, count(*) AS n, sum(o.value_fen) AS v
       FROM operations o
      WHERE o.business_date = ? AND o.kind = 'redeem' AND o.voided_by_op IS NULL GROUP BY 1 ORDER BY 1`,
  ).all(date)) {
    byTier[r.tier ?? 'unknown'] = { count: r.n, valueFen: r.v };
  }
  const pts = stmt<[string], { earned: number | null; burned: number | null; donated: number | null }>(
    db,
    `SELECT sum(CASE WHEN kind = 'earn' THEN points END) AS earned,
            -sum(CASE WHEN kind IN ('exchange','cash','redeem') AND points < 0 THEN points END) AS burned,
            -sum(CASE WHEN kind = 'donate' THEN points END) AS donated
       FROM operations WHERE business_date = ? AND kind <> 'void' AND voided_by_op IS NULL`,
  ).get(date);
  const voids = stmt<[string], { id: string; target_op_id: string; target_kind: string; value_fen: number; points: number; at: number; staff_id: string; approved_by: string }>(
    db,
    `SELECT v.id, v.target_op_id, t.kind AS target_kind, v.value_fen, v.points, v.at, v.staff_id, v.approved_by
       FROM operations v JOIN operations t ON t.id = v.target_op_id
      WHERE v.business_date = ? AND v.kind = 'void' ORDER BY v.at, v.id`,
  )
    .all(date)
    .map((v) => ({
      opId: v.id,
      targetOpId: v.target_op_id,
      kind: z.enum(OP_KINDS).parse(v.target_kind),
      valueFen: v.value_fen,
      points: v.points,
      at: v.at,
      staff: { id: v.staff_id, name: staffName(db, v.staff_id) },
      approvedBy: { id: v.approved_by, name: staffName(db, v.approved_by) },
    }));
  const byStaff = stmt<[string], { staff_id: string; n: number; v: number }>(
    db,
    `SELECT staff_id, count(*) AS n, sum(value_fen) AS v FROM operations
      WHERE business_date = ? AND kind = 'redeem' AND voided_by_op IS NULL GROUP BY staff_id ORDER BY n DESC, staff_id`,
  )
    .all(date)
    .map((s) => ({ staffId: s.staff_id, name: staffName(db, s.staff_id), count: s.n, valueFen: s.v }));
  // What each return left the member owing is its detail's `owed` (docs/returns.md "Owing points").
  const ret = stmt<[string], { n: number; a: number | null; p: number | null; s: number | null; o: number | null }>(
    db,
    `SELECT count(*) AS n, sum(amount_fen) AS a, -sum(points) AS p, sum(json_extract(detail_json, '$.shortfall')) AS s,
            sum(json_extract(detail_json, '$.owed')) AS o FROM operations
      WHERE business_date = ? AND kind = 'return' AND voided_by_op IS NULL`,
  ).get(date);
  const pending = pendingOn(db, date);
  return {
    date,
    number: null,
    closed: false,
    synced: pending === 0,
    redemptions: { count: redemptions, valueFen: redeemedFen, byType },
    byTier,
    points: { earned: pts?.earned ?? 0, burned: pts?.burned ?? 0, donated: pts?.donated ?? 0, expired: expiredPointsOn(db, date) },
    voids,
    byStaff,
    returns: { count: ret?.n ?? 0, amountFen: ret?.a ?? 0, points: Math.max(0, ret?.p ?? 0), shortfall: ret?.s ?? 0, owed: ret?.o ?? 0 },
    pending,
    conflicts: conflictsOn(deps, date),
    storeId: deps.identity.storeId,
    terminalId: deps.identity.terminalId,
    tz: deps.identity.tz,
    closedAt: null,
    closedBy: null,
    closedByName: null,
    closeApprovedBy: null,
    lateOperations: 0,
  };
}

/**
 * A closed day: the report kept at closing, with what can only improve since brought up to date
 * (synced, pending, conflicts HQ has reported or the manager acknowledged since). An open day: the
 * figures so far.
 */
export function dayReport(deps: ServiceDeps, date: string): DayReport {
  const closed = getClosedDay(deps.db, date);
  if (!closed) return computeDayReport(deps, date);
  const kept = dayReportSchema.parse(JSON.parse(closed.reportJson));
  const pending = pendingOn(deps.db, date);
  const late = stmt<[string, number], { n: number }>(deps.db, 'SELECT count(*) AS n FROM operations WHERE business_date = ? AND at > ?').get(date, closed.closedAt)?.n ?? 0;
  return { ...kept, synced: closed.synced || pending === 0, pending, conflicts: conflictsOn(deps, date), lateOperations: late };
}

/** The printing layer's Z-report model (src/print/zReport.ts) for this report. */
export function toPrintedZReport(deps: ServiceDeps, r: DayReport, now: number): ZReport {
  const name = getStoreName(deps.db, r.storeId);
  return {
    v: 1,
    businessDate: r.date,
    number: r.number ?? 1,
    store: { id: r.storeId, name: name ?? { 'zh-CN': r.storeId, 'zh-TW': r.storeId, en: r.storeId } },
    terminalId: r.terminalId,
    tz: r.tz,
    closedAt: r.closedAt ?? now,
    synced: r.synced,
    redemptions: {
      count: r.redemptions.count,
      valueFen: r.redemptions.valueFen,
      byType: Object.entries(r.redemptions.byType)
        .filter((e): e is [(typeof BENEFIT_TYPES)[number], { count: number; valueFen: number }] => (BENEFIT_TYPES as readonly string[]).includes(e[0]))
        .map(([type, v]) => ({ type, count: v.count, valueFen: v.valueFen })),
    },
    points: r.points,
    voids: r.voids.map((v) => ({ opId: v.targetOpId, kind: v.kind, valueFen: v.valueFen, points: v.points, approvedBy: v.approvedBy })),
    byStaff: r.byStaff,
    returns: r.returns,
    pending: r.pending,
    conflicts: r.conflicts.filter((c) => !c.acknowledged).length,
  };
}

// The brand's KPIs over the 30 business days ending on a date, from this terminal's own operations
// (docs/dayend.md says what each number means). Voided operations never count.
import { DAY_MS } from '../../loyalty/time';
import { BENEFIT_TYPES, TIER_CODES, type BenefitType } from '../../loyalty/types';
import { z } from 'zod';
import { listBenefits } from '../../store/benefits';
import { latestDayStats } from '../../store/dayEnd';
import type { Db } from '../../store/open';
import { stmt } from '../../store/statements';
import type { ServiceDeps } from '../operations/deps';
import { dayBounds, TIER_AT_REDEMPTION } from './zReport';
import { type Kpis, dayReportSchema } from '../../contract/managerTypes';

export const KPI_DAYS = 30;

const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const mondayOf = (date: string): string => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));
const rate = (redeemed: number, issued: number): number | null => (issued > 0 ? Math.round((redeemed / issued) * 10_000) / 10_000 : null);

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from, i = 0; d <= to && i < 400; d = addDays(d, 1), i++) out.push(d);
  return out;
}

interface Sum {
  count: number;
  valueFen: number;
}

function add<K>(map: Map<K, Sum>, key: K, count: number, valueFen: number): void {
  const acc = map.get(key) ?? { count: 0, valueFen: 0 };
  acc.count += count;
  acc.valueFen += valueFen;
  map.set(key, acc);
}

/** What the KPIs need of each day, from one source or the other. */
interface Acc {
  daily: Map<string, Sum>;
  tiers: Map<string, Sum>;
  types: Map<string, Sum>;
  winDaily: Map<string, Sum>;
  points: Map<string, { earned: number; burned: number; expired: number }>;
}

/** Closed days: their kept Z-reports, so a month of KPIs does not rescan a month of operations. */
function fromClosedDays(db: Db, from: string, to: string, window: Set<string>, acc: Acc): Set<string> {
  const done = new Set<string>();
  for (const row of stmt<[string, string], { date: string; report_json: string }>(db, 'SELECT date, report_json FROM business_days WHERE date BETWEEN ? AND ?').all(from, to)) {
    const r = dayReportSchema.parse(JSON.parse(row.report_json));
    done.add(row.date);
    acc.points.set(row.date, { earned: r.points.earned, burned: r.points.burned + r.points.donated, expired: 0 });
    if (!window.has(row.date)) continue;
    add(acc.daily, row.date, r.redemptions.count, r.redemptions.valueFen);
    for (const [tier, v] of Object.entries(r.byTier)) add(acc.tiers, tier, v.count, v.valueFen);
    for (const [type, v] of Object.entries(r.redemptions.byType)) add(acc.types, type, v.count, v.valueFen);
    const win = r.redemptions.byType.win_back;
    if (win) add(acc.winDaily, row.date, win.count, win.valueFen);
  }
  return done;
}

/** Open days (not closed yet): one grouped pass over their operations, seeking day by day. */
function fromOperations(db: Db, redeemDates: string[], pointDates: string[], acc: Acc): void {
  if (redeemDates.length > 0) {
    const marks = redeemDates.map(() => '?').join(',');
    const groups = db
      .prepare(
        `SELECT o.business_date AS d, json_extract(o.detail_json, '$.benefitType') AS t, ${TIER_AT_REDEMPTION} AS tier, count(*) AS n, sum(o.value_fen) AS v
           FROM operations o
          WHERE o.business_date IN (${marks}) AND o.kind = 'redeem' AND o.voided_by_op IS NULL GROUP BY 1, 2, 3`,
      )
      .all(...redeemDates) as { d: string; t: string | null; tier: string | null; n: number; v: number }[];
    for (const g of groups) {
      add(acc.daily, g.d, g.n, g.v);
      add(acc.tiers, g.tier ?? 'unknown', g.n, g.v);
      add(acc.types, g.t ?? 'unknown', g.n, g.v);
      if (g.t === 'win_back') add(acc.winDaily, g.d, g.n, g.v);
    }
  }
  if (pointDates.length > 0) {
    const marks = pointDates.map(() => '?').join(',');
    const rows = db
      .prepare(
        `SELECT business_date AS d, sum(CASE WHEN kind = 'earn' THEN points END) AS earned,
                -sum(CASE WHEN kind IN ('exchange','cash','donate') AND points < 0 THEN points END) AS burned
           FROM operations WHERE business_date IN (${marks}) AND kind IN ('earn','exchange','cash','donate') AND voided_by_op IS NULL GROUP BY business_date`,
      )
      .all(...pointDates) as { d: string; earned: number | null; burned: number | null }[];
    for (const r of rows) acc.points.set(r.d, { earned: r.earned ?? 0, burned: r.burned ?? 0, expired: 0 });
  }
}

/**
 * "Issued" per benefit: for benefits handed out one by one (requires_grant: welcome gifts, referral
 * rewards) the grants made in the window; for benefits every eligible member holds, the active
 * members of eligible tiers; for win-back offers, the members dormant long enough to hold one.
 */
export const memberPopulationSchema = z.object({
  dormantDays: z.number().int().min(0),
  tiers: z.record(z.string(), z.object({ active: z.number().int().min(0), dormant: z.number().int().min(0) })),
});
export type MemberPopulation = z.infer<typeof memberPopulationSchema>;

/** Active members per tier, and how many of them made no purchase in the win-back offer's dormancy period before `atMs`. */
export function memberPopulation(db: Db, atMs: number): MemberPopulation {
  const days = listBenefits(db).flatMap((b) => (b.params.type === 'win_back' ? [b.params.dormantDays] : []));
  const dormantDays = days.length > 0 ? Math.min(...days) : 90;
  // Covering scans of members_activity (schema 90), one tier at a time: index entries, never member rows.
  const active = stmt<[string], { n: number }>(db, "SELECT count(*) AS n FROM members WHERE tombstone = 0 AND status = 'active' AND tier = ?");
  const dormant = stmt<[string, number, number], { n: number }>(
    db,
    `SELECT count(*) AS n FROM members WHERE tombstone = 0 AND status = 'active' AND tier = ?
        AND (last_purchase_at < ? OR (last_purchase_at IS NULL AND joined_at < ?))`,
  );
  const since = atMs - dormantDays * DAY_MS;
  const rows = TIER_CODES.map((tier) => ({ tier, n: active.get(tier)?.n ?? 0, dormant: dormant.get(tier, since, since)?.n ?? 0 })).filter((r) => r.n > 0);
  return { dormantDays, tiers: Object.fromEntries(rows.map((r) => [r.tier, { active: r.n, dormant: r.dormant }])) };
}

function issuedByType(deps: ServiceDeps, startMs: number, endMs: number, population: MemberPopulation): Map<BenefitType, number> {
  const { db } = deps;
  const benefits = listBenefits(db).filter((b) => b.validFrom < endMs && b.validTo > startMs);
  const tiers = new Map(Object.entries(population.tiers));
  const grants = new Map(
    stmt<[number, number], { benefit_id: string; n: number }>(db, 'SELECT benefit_id, count(*) AS n FROM benefit_grants WHERE granted_at >= ? AND granted_at < ? GROUP BY benefit_id')
      .all(startMs, endMs)
      .map((r) => [r.benefit_id, r.n]),
  );
  const issued = new Map<BenefitType, number>();
  for (const b of benefits) {
    if (b.stores.length > 0 && !b.stores.includes(deps.identity.storeId)) continue;
    const eligible = b.tiers.length === 0 ? [...TIER_CODES] : b.tiers;
    let n: number;
    if (b.requiresGrant) n = grants.get(b.id) ?? 0;
    else if (b.params.type === 'win_back') n = eligible.reduce((s, t) => s + (tiers.get(t)?.dormant ?? 0), 0);
    else n = eligible.reduce((s, t) => s + (tiers.get(t)?.active ?? 0), 0);
    issued.set(b.params.type, (issued.get(b.params.type) ?? 0) + n);
  }
  return issued;
}

export function computeKpis(deps: ServiceDeps, to: string): Kpis {
  const { db } = deps;
  const from = addDays(to, -(KPI_DAYS - 1));
  const window = days(from, to);
  const { start } = dayBounds(from, deps.identity.tz);
  const { end } = dayBounds(to, deps.identity.tz);

  const weekStart = mondayOf(from);
  const acc: Acc = { daily: new Map(), tiers: new Map(), types: new Map(), winDaily: new Map(), points: new Map() };
  const closed = fromClosedDays(db, weekStart, to, new Set(window), acc);
  const open = (dates: string[]) => dates.filter((d) => !closed.has(d));
  fromOperations(db, open(window), open(days(weekStart, to)), acc);

  const redemptionsPerDay = window.map((date) => ({ date, ...(acc.daily.get(date) ?? { count: 0, valueFen: 0 }) }));
  const byTier = TIER_CODES.map((tier) => ({ tier, ...(acc.tiers.get(tier) ?? { count: 0, valueFen: 0 }) }));
  const redeemedByType = new Map([...acc.types].map(([t, v]) => [t, v.count]));
  // Members as counted at the latest day-end in the window (a pass over every member costs most of
  // the KPIs' time at a million members); counted now when no day in the window was closed.
  const kept = latestDayStats(db, from, to);
  const population = kept ? memberPopulationSchema.parse(JSON.parse(kept.statsJson)) : memberPopulation(db, end);
  const issued = issuedByType(deps, start, end, population);
  const usageRate = BENEFIT_TYPES.filter((t) => issued.has(t) || redeemedByType.has(t)).map((type) => {
    const redeemed = redeemedByType.get(type) ?? 0;
    const iss = issued.get(type) ?? 0;
    return { type, issued: iss, redeemed, rate: rate(redeemed, iss) };
  });

  const expiredRows = stmt<[string, string], { d: string; p: number }>(
    db,
    'SELECT business_date AS d, sum(points) AS p FROM point_expiries WHERE business_date BETWEEN ? AND ? GROUP BY business_date',
  ).all(weekStart, to);
  const weeks = new Map<string, { week: string; earned: number; burned: number; expired: number }>();
  for (let w = weekStart; w <= to; w = addDays(w, 7)) weeks.set(w, { week: w, earned: 0, burned: 0, expired: 0 });
  for (const [d, p] of acc.points) {
    const w = weeks.get(mondayOf(d));
    if (w) (w.earned += p.earned), (w.burned += p.burned);
  }
  for (const r of expiredRows) {
    const w = weeks.get(mondayOf(r.d));
    if (w) w.expired += r.p;
  }

  const winPerDay = window.map((date) => ({ date, ...(acc.winDaily.get(date) ?? { count: 0, valueFen: 0 }) }));
  const winRedeemed = winPerDay.reduce((s, d) => s + d.count, 0);
  const winIssued = issued.get('win_back') ?? 0;

  return {
    from,
    to,
    redemptionsPerDay,
    byTier,
    usageRate,
    pointsPerWeek: [...weeks.values()],
    winBack: { issued: winIssued, redeemed: winRedeemed, rate: rate(winRedeemed, winIssued), perDay: winPerDay },
  };
}

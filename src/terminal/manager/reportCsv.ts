// CSV for the manager: UTF-8 with a byte-order mark (Excel on Windows otherwise reads Chinese as
// mojibake), CRLF line ends, RFC 4180 quoting. Money columns are fen (exact) plus yuan (readable).
import type { Translator } from '../../i18n';
import type { DayReport, Kpis } from '../../contract/managerTypes';

export const BOM = '\uFEFF';
type Cell = string | number | boolean | null;

function cell(v: Cell): string {
  const s = v === null ? '' : String(v);
  // A leading =, +, - or @ would make Excel run it as a formula (CSV injection): quote and prefix.
  const safe = /^[=+\-@]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: string[], rows: Cell[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** 1234 → "12.34" by integer arithmetic (fen never pass through a float), no symbol or grouping for Excel. */
const yuan = (fen: number): string => {
  const abs = Math.abs(Math.trunc(fen));
  return `${fen < 0 ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/**
 * The Z-report as one table in the report's language: section, item, reference (a staff id, an
 * operation or conflict number, where the row has one), count, value (fen), value (yuan), points
 * moved (a void's). No column carries a code word (issue 18 item 7): a Chinese report reads Chinese.
 */
export function zReportCsv(r: DayReport, tr: Translator): string {
  const t = (k: string): string => tr.t(k);
  const report = t('zreport.title');
  const redemptions = t('zreport.redemptions');
  const points = t('zreport.points');
  const rows: Cell[][] = [
    [report, t('zreport.date'), null, r.date, null, null, null],
    [report, t('zreport.number'), null, r.number, null, null, null],
    [report, t('manager.z.closed'), null, r.closed ? 1 : 0, null, null, null],
    [report, t('zreport.synced'), null, r.synced ? 1 : 0, null, null, null],
    [redemptions, t('manager.csv.total'), null, r.redemptions.count, r.redemptions.valueFen, yuan(r.redemptions.valueFen), null],
    ...Object.entries(r.redemptions.byType).map(([type, v]): Cell[] => [redemptions, tr.t(`benefitType.${type}`, { defaultValue: type }), null, v.count, v.valueFen, yuan(v.valueFen), null]),
    [points, t('zreport.earned'), null, r.points.earned, null, null, null],
    [points, t('zreport.burned'), null, r.points.burned, null, null, null],
    [points, t('zreport.donated'), null, r.points.donated, null, null, null],
    [points, t('zreport.expired'), null, r.points.expired, null, null, null],
    ...returnRows(r.returns, tr),
    ...r.voids.map((v): Cell[] => [t('zreport.voids'), `${tr.t(`opKind.${v.kind}`)} · ${t('receipt.approvedBy')} ${v.approvedBy.name}`, v.targetOpId, 1, v.valueFen, yuan(v.valueFen), v.points]),
    ...r.byStaff.map((s): Cell[] => [t('zreport.byStaff'), s.name, s.staffId, s.count, s.valueFen, yuan(s.valueFen), null]),
    [t('zreport.pending'), t('zreport.pending'), null, r.pending, null, null, null],
    ...r.conflicts.map((c): Cell[] => [t('zreport.conflicts'), tr.t(`manager.conflictKind.${c.kind}`, { defaultValue: c.kind }), c.opId, 1, null, null, null]),
  ];
  const h = (k: string): string => t(`manager.csv.${k}`);
  return toCsv([h('section'), h('item'), h('ref'), h('count'), h('valueFen'), h('valueYuan'), h('points')], rows);
}

/**
 * The day's returns as the printed Z-report lists them: how many, the purchase amount given back, the
 * points taken back (as moved: negative), and what was already spent (shortfall) or left owing.
 */
function returnRows(x: DayReport['returns'], tr: Translator): Cell[][] {
  const section = tr.t('zreport.returns');
  const rows: Cell[][] = [[section, tr.t('manager.z.count'), null, x.count, null, null, null]];
  if (x.count > 0) {
    rows.push([section, tr.t('receipt.returnedAmount'), null, null, x.amountFen, yuan(x.amountFen), null]);
    rows.push([section, tr.t('receipt.pointsReturned'), null, null, null, null, -x.points]);
  }
  if (x.shortfall > 0) rows.push([section, tr.t('receipt.shortfall'), null, x.shortfall, null, null, null]);
  if (x.owed > 0) rows.push([section, tr.t('zreport.owed'), null, x.owed, null, null, null]);
  return rows;
}

export const KPI_CHARTS = ['redemptionsPerDay', 'byTier', 'usageRate', 'pointsPerWeek', 'winBack'] as const;
export type KpiChart = (typeof KPI_CHARTS)[number];

/** The table beside one chart, as the chart draws it. */
export function kpiTable(k: Kpis, chart: KpiChart, tr: Translator): { header: string[]; rows: Cell[][] } {
  const h = (key: string): string => tr.t(`manager.kpi.col.${key}`);
  switch (chart) {
    case 'redemptionsPerDay':
      return { header: [h('date'), h('count'), h('valueYuan')], rows: k.redemptionsPerDay.map((d) => [d.date, d.count, yuan(d.valueFen)]) };
    case 'byTier':
      return { header: [h('tier'), h('count'), h('valueYuan')], rows: k.byTier.map((d) => [tr.tier(d.tier), d.count, yuan(d.valueFen)]) };
    case 'usageRate':
      return {
        header: [h('type'), h('issued'), h('redeemed'), h('rate')],
        rows: k.usageRate.map((d) => [tr.t(`benefitType.${d.type}`), d.issued, d.redeemed, d.rate === null ? null : `${(d.rate * 100).toFixed(2)}%`]),
      };
    case 'pointsPerWeek':
      return { header: [h('week'), h('earned'), h('burned'), h('expired')], rows: k.pointsPerWeek.map((d) => [d.week, d.earned, d.burned, d.expired]) };
    case 'winBack':
      return { header: [h('date'), h('count'), h('valueYuan')], rows: k.winBack.perDay.map((d) => [d.date, d.count, yuan(d.valueFen)]) };
  }
}

export function kpiCsv(k: Kpis, chart: KpiChart, tr: Translator): string {
  const { header, rows } = kpiTable(k, chart, tr);
  return toCsv(header, rows);
}

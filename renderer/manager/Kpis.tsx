// KPI charts (ECharts) over the last 30 business days, each with its numbers in a table beside it
// and a CSV of that table. The tables come from the core in the session's language, so the chart,
// the table and the CSV say the same numbers.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KpiChartName, Kpis, KpiTable } from '../../src/contract/terminalApi';
import { ErrorNote, Loading, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import type { Translator } from '../../src/i18n';
import { Chart } from './Chart';
import { downloadCsv } from './download';

const CHARTS: KpiChartName[] = ['redemptionsPerDay', 'byTier', 'usageRate', 'pointsPerWeek', 'winBack'];
const COLORS = ['#1f6feb', '#d97706', '#6b7280'];

function optionFor(chart: KpiChartName, k: Kpis, tr: Translator) {
  const t = (key: string) => tr.t(`manager.kpi.col.${key}`);
  const bars = (x: string[], series: { name: string; data: number[] }[]) => ({
    color: COLORS,
    grid: { left: 48, right: 16, top: 32, bottom: 48 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'category', data: x, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => ({ type: 'bar', name: s.name, data: s.data })),
  });
  switch (chart) {
    case 'redemptionsPerDay':
      return bars(k.redemptionsPerDay.map((d) => d.date.slice(5)), [{ name: t('count'), data: k.redemptionsPerDay.map((d) => d.count) }]);
    case 'byTier':
      return bars(k.byTier.map((d) => tr.tier(d.tier)), [{ name: t('count'), data: k.byTier.map((d) => d.count) }]);
    case 'usageRate':
      return bars(k.usageRate.map((d) => tr.t(`benefitType.${d.type}`)), [{ name: `${t('rate')} %`, data: k.usageRate.map((d) => (d.rate === null ? 0 : Math.round(d.rate * 10_000) / 100)) }]);
    case 'pointsPerWeek':
      return bars(k.pointsPerWeek.map((d) => d.week.slice(5)), [
        { name: t('earned'), data: k.pointsPerWeek.map((d) => d.earned) },
        { name: t('burned'), data: k.pointsPerWeek.map((d) => d.burned) },
        { name: t('expired'), data: k.pointsPerWeek.map((d) => d.expired) },
      ]);
    case 'winBack':
      return bars(k.winBack.perDay.map((d) => d.date.slice(5)), [{ name: t('count'), data: k.winBack.perDay.map((d) => d.count) }]);
  }
}

function Table(props: { table: KpiTable; testId: string }) {
  return (
    // It scrolls on its own (max-height), so it takes focus: a keyboard can scroll it too.
    <table className="kpi-table" data-testid={props.testId} tabIndex={0}>
      <thead>
        <tr>
          {props.table.header.map((h) => (
            <th key={h}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.table.rows.map((row, i) => (
          <tr key={i}>
            {row.map((c, j) => (
              <td key={j}>{c === null ? '—' : String(c)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function KpisTab() {
  const { t } = useTranslation();
  const { call, tr, lang } = useDesk();
  const data = useLoad(() => call('manager.kpis', {}), [lang]);
  const [error, setError] = useState<Problem | null>(null);
  const options = useMemo(() => (data.value ? Object.fromEntries(CHARTS.map((c) => [c, optionFor(c, data.value!.kpis, tr)])) : null), [data.value, tr]);
  const csv = async (chart: KpiChartName) => {
    const r = await call('manager.kpiCsv', { chart });
    if (r.ok) downloadCsv(r.value);
    else setError(r.error);
  };
  if (!data.value || !options) return data.error ? <ErrorNote message={data.error} onRetry={data.reload} /> : <Loading />;
  const k = data.value.kpis;
  return (
    <section className="manager-panel kpis" data-testid="kpis">
      <p className="hint">{t('manager.kpi.range', { from: k.from, to: k.to })}</p>
      <ErrorNote message={error} />
      {CHARTS.map((chart) => (
        <article key={chart} className="kpi" data-testid={`kpi-${chart}`}>
          <header className="kpi-head">
            <h2>{t(`manager.kpi.charts.${chart}`)}</h2>
            <button type="button" onClick={() => void csv(chart)} data-testid={`kpi-csv-${chart}`}>
              {t('manager.kpi.csv')}
            </button>
          </header>
          {chart === 'usageRate' && <p className="sub">{t('manager.kpi.issuedNote')}</p>}
          {chart === 'winBack' && (
            <p className="sub" data-testid="kpi-winback-summary">
              {t('manager.kpi.winBackSummary', { issued: k.winBack.issued, redeemed: k.winBack.redeemed, rate: k.winBack.rate === null ? '—' : `${(k.winBack.rate * 100).toFixed(2)}%` })}
            </p>
          )}
          <div className="kpi-body">
            <Chart option={options[chart]!} testId={`chart-${chart}`} label={t(`manager.kpi.charts.${chart}`)} />
            <Table table={data.value!.tables[chart]} testId={`kpi-table-${chart}`} />
          </div>
        </article>
      ))}
    </section>
  );
}

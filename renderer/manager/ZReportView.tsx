// One Z-report on screen: the same figures the printer and the CSV get.
import { useTranslation } from 'react-i18next';
import type { DayReport } from '../../src/contract/terminalApi';
import { useDesk } from '../desk';
import { formatDateTime, formatPoints, formatYuan } from '../format';
import { voidAmount } from '../../src/i18n';

function Row(props: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="paper-row">
      <span>{props.label}</span>
      <strong data-testid={props.testId}>{props.value}</strong>
    </div>
  );
}

export function ZReportView(props: { report: DayReport }) {
  const { t } = useTranslation();
  const { tr } = useDesk();
  const r = props.report;
  return (
    <section className="zreport paper" data-testid="zreport" data-date={r.date}>
      <div className="paper-head">{t('zreport.title')}</div>
      <Row label={t('manager.z.date')} value={r.date} testId="z-date" />
      <div className="z-state" data-testid="z-state">
        {r.closed ? t('manager.z.closedInfo', { number: r.number, at: formatDateTime(r.closedAt ?? 0, r.tz), by: r.closedByName ?? r.closedBy }) : t('manager.z.open')}
      </div>
      <div className={r.synced ? 'z-sync ok' : 'z-sync warn'} data-testid="z-synced" data-synced={r.synced}>
        {r.synced ? t('manager.z.synced') : t('manager.z.notSynced')}
      </div>
      <h3>{t('manager.z.total')}</h3>
      <Row label={t('manager.z.count')} value={formatPoints(r.redemptions.count)} testId="z-count" />
      <Row label={t('manager.z.value')} value={formatYuan(r.redemptions.valueFen)} testId="z-value" />
      <h4>{t('manager.z.byType')}</h4>
      {Object.keys(r.redemptions.byType).length === 0 && <div className="muted">{t('manager.z.none')}</div>}
      {Object.entries(r.redemptions.byType).map(([type, v]) => (
        <Row key={type} label={`${t(`benefitType.${type}`, { defaultValue: type })} ×${v.count}`} value={formatYuan(v.valueFen)} testId={`z-type-${type}`} />
      ))}
      <h3>{t('manager.z.points')}</h3>
      {(['earned', 'burned', 'donated', 'expired'] as const).map((k) => (
        <Row key={k} label={t(`zreport.${k}`)} value={formatPoints(r.points[k])} testId={`z-points-${k}`} />
      ))}
      <h3>{t('manager.z.voids')}</h3>
      {r.voids.length === 0 && <div className="muted">{t('manager.z.none')}</div>}
      {r.voids.map((v) => (
        <div key={v.opId} className="paper-row" data-testid="z-void">
          {t('manager.z.voidLine', { kind: t(`opKind.${v.kind}`), value: voidAmount(v, t), name: v.approvedBy.name })}
        </div>
      ))}
      <h3>{t('zreport.returns')}</h3>
      <Row label={t('manager.z.count')} value={formatPoints(r.returns.count)} testId="z-returns" />
      {r.returns.count > 0 && <Row label={t('receipt.returnedAmount')} value={formatYuan(r.returns.amountFen)} testId="z-returns-amount" />}
      {r.returns.count > 0 && <Row label={t('receipt.pointsReturned')} value={formatPoints(r.returns.points)} testId="z-returns-points" />}
      {r.returns.shortfall > 0 && <Row label={t('receipt.shortfall')} value={formatPoints(r.returns.shortfall)} testId="z-returns-shortfall" />}
      {r.returns.owed > 0 && <Row label={t('zreport.owed')} value={formatPoints(r.returns.owed)} testId="z-returns-owed" />}
      <h3>{t('manager.z.byStaff')}</h3>
      {r.byStaff.length === 0 && <div className="muted" data-testid="z-staff-none">{t('manager.z.none')}</div>}
      {r.byStaff.map((s) => (
        <Row key={s.staffId} label={`${s.name} ×${s.count}`} value={formatYuan(s.valueFen)} testId={`z-staff-${s.staffId}`} />
      ))}
      {/* Worded as the status bar's pill: both count operations not yet acknowledged by HQ; the label
          says this is the day's, since the pill counts every day's. */}
      <Row label={t('manager.z.pending')} value={t('ui.status.pending', { n: formatPoints(r.pending) })} testId="z-pending" />
      <Row label={t('manager.z.conflicts')} value={r.conflicts.length} testId="z-conflicts" />
      {r.conflicts.map((c) => (
        <div key={c.id} className="paper-row">
          {t(`manager.conflictKind.${c.kind}`, { defaultValue: c.kind })} · {tr.t(`manager.decision.${c.decision}`, { defaultValue: c.decision })}
        </div>
      ))}
      {r.lateOperations > 0 && <div className="paper-foot">{t('manager.z.late', { count: r.lateOperations })}</div>}
    </section>
  );
}

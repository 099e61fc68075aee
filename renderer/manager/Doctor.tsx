// The check-up (体检): doctor's findings for this terminal, most serious first, each with what to do,
// in the desk's language (the core words them: manager.doctor); below them, the backups and the
// recovery key (Backups.tsx).
import { useTranslation } from 'react-i18next';
import { ErrorNote, Loading } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { formatDateTime } from '../format';
import { BackupsPanel } from './Backups';

export function DoctorTab() {
  const { t } = useTranslation();
  const { call, lang, status } = useDesk();
  const tz = status?.tz ?? 'Asia/Shanghai';
  // lang in the dependencies: the findings are worded by the core in the session's language
  const report = useLoad(() => call('manager.doctor', {}), [lang]);
  if (!report.value) return report.error ? <ErrorNote message={report.error} onRetry={report.reload} /> : <Loading />;
  return (
    <section className="manager-panel" data-testid="doctor">
      <p className="hint">{t('manager.doctor.explain')}</p>
      <div className="manager-actions">
        <button type="button" onClick={report.reload} data-testid="doctor-recheck">
          {t('manager.doctor.recheck')}
        </button>
        <span className="muted">{t('manager.doctor.checkedAt', { at: formatDateTime(report.value.checkedAt, tz) })}</span>
      </div>
      <ul className="op-list">
        {report.value.findings.map((f) => (
          <li key={f.code} className={`op finding ${f.severity}`} data-testid={`finding-${f.code}`} data-severity={f.severity}>
            <strong>
              {t(`support.doctor.severity.${f.severity}`)} · {f.title}
            </strong>
            <span data-testid="finding-action">{f.action}</span>
          </li>
        ))}
      </ul>
      <BackupsPanel />
    </section>
  );
}

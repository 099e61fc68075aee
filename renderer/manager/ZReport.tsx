// A business day's Z-report: pick the day, see it, print it on the receipt printer, download CSV.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayReport } from '../../src/contract/terminalApi';
import { ErrorNote, Loading, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { downloadCsv } from './download';
import { ZReportView } from './ZReportView';

export function ZReportActions(props: { report: DayReport }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  // Worded when drawn (a language switch rewords it): the sentence's key, or the core's refusal.
  const [note, setNote] = useState<{ ok: true; key: string } | { ok: false; problem: Problem } | null>(null);
  const [busy, setBusy] = useState(false);
  const date = props.report.date;
  const print = async () => {
    setBusy(true);
    setNote(null);
    const r = await call('manager.printZReport', { date });
    setBusy(false);
    setNote(r.ok ? { ok: true, key: 'manager.z.printed' } : { ok: false, problem: r.error });
  };
  const csv = async () => {
    const r = await call('manager.zReportCsv', { date });
    if (r.ok) downloadCsv(r.value);
    else setNote({ ok: false, problem: r.error });
  };
  return (
    <div className="manager-actions">
      <button type="button" className="primary" onClick={() => void print()} disabled={busy} data-testid="z-print">
        {t('manager.z.print')}
      </button>
      <button type="button" onClick={() => void csv()} data-testid="z-csv">
        {t('manager.z.csv')}
      </button>
      {note && (note.ok ? <span className="note ok" data-testid="z-note">{t(note.key)}</span> : <ErrorNote message={note.problem} />)}
    </div>
  );
}

export function ZReportTab() {
  const { t } = useTranslation();
  const { call } = useDesk();
  const [input, setInput] = useState('');
  const [date, setDate] = useState<string | undefined>(undefined);
  const report = useLoad(() => call('manager.zReport', date === undefined ? {} : { date }), [date]);
  return (
    <section className="manager-panel" data-testid="zreport-tab">
      <form
        className="manager-actions"
        onSubmit={(e) => {
          e.preventDefault();
          setDate(input.trim() === '' ? undefined : input.trim());
        }}
      >
        <label>
          {t('manager.z.date')} <input type="text" placeholder={t('manager.z.datePlaceholder')} value={input} onChange={(e) => setInput(e.target.value)} data-testid="z-date-input" />
        </label>
        <button type="submit" data-testid="z-show">
          {t('manager.z.show')}
        </button>
      </form>
      {report.loading && !report.value && <Loading />}
      <ErrorNote message={report.error} />
      {report.value && (
        <>
          <ZReportActions report={report.value} />
          <ZReportView report={report.value} />
        </>
      )}
    </section>
  );
}

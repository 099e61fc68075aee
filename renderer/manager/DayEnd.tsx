// Day-end (日结): one button and a confirmation that says what will happen. A progress bar follows the core's steps — events sent to HQ, pages
// taken from HQ, what is being done now — then a clear "all synced" or "closed locally, not synced,
// N waiting", and the day's Z-report with print and CSV. A day closed earlier shows when, by whom
// and its Z number when the tab opens again (issue 18).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DayEndProgress, DayEndResult, DayReport } from '../../src/contract/terminalApi';
import { Dialog, ErrorNote, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { formatDateTime } from '../format';
import { ZReportActions } from './ZReport';
import { ZReportView } from './ZReportView';

const POLL_MS = 100;

/** Sync is most of the work: sending 5–60 %, taking changes 60–90 %, closing 90 %, done 100 %. */
export function progressPercent(p: DayEndProgress | null, finished: boolean): number {
  if (finished) return 100;
  if (!p) return 0;
  switch (p.step) {
    case 'sync':
      return 5;
    case 'push':
      return 5 + Math.round(55 * (p.toPush > 0 ? Math.min(1, p.pushed / p.toPush) : 1));
    case 'pull':
      return Math.min(89, 60 + p.pages * 5);
    case 'close':
      return 90;
    case 'done':
      return 100;
  }
}

/** The day after a YYYY-MM-DD date (calendar arithmetic on the date alone, no zone involved). */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** A closed day: when, by whom (and who approved), its Z number, and where later work goes. */
function ClosedDay(props: { report: DayReport }) {
  const { t } = useTranslation();
  const { status } = useDesk();
  const r = props.report;
  if (!r.closed || r.closedAt === null) return null;
  const by = r.closeApprovedBy ? t('manager.dayEnd.closedByApproved', { name: r.closedByName ?? r.closedBy ?? '', manager: r.closeApprovedBy.name }) : (r.closedByName ?? r.closedBy ?? '');
  return (
    <div className="note ok big-text" data-testid="dayend-closed" data-number={r.number}>
      {t('manager.dayEnd.closedInfo', { date: r.date, at: formatDateTime(r.closedAt, status?.tz ?? r.tz), by, number: r.number, next: nextDate(r.date) })}
    </div>
  );
}

export function DayEndTab(props: { /** Opens setup: where a terminal not yet enrolled with HQ is enrolled. */ onSetup?: () => void }) {
  const { t } = useTranslation();
  const { call, tr, status } = useDesk();
  const [running, setRunning] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<DayEndProgress | null>(null);
  const [result, setResult] = useState<DayEndResult | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  // Today's report as it stands: a day closed earlier shows as closed when the tab opens again.
  const today = useLoad(() => call('manager.zReport', {}), []);
  const live = useRef(true);
  useEffect(() => {
    // Set on every mount: React's StrictMode mounts, unmounts and mounts again.
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const start = async () => {
    setConfirming(false);
    setRunning(true);
    setResult(null);
    setError(null);
    setProgress({ step: 'sync', pushed: 0, toPush: 0, pulled: 0, pages: 0, startedAt: Date.now() });
    let polling = true;
    const poll = async () => {
      while (polling && live.current) {
        const p = await call('manager.dayEndProgress', {});
        if (polling && p.ok && p.value) setProgress(p.value);
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    void poll();
    const r = await call('manager.dayEnd', {});
    polling = false;
    if (!live.current) return;
    setRunning(false);
    if (r.ok) {
      setProgress(r.value.progress);
      setResult(r.value);
    } else setError(r.error);
  };

  const closedBefore = result === null && today.value?.closed ? today.value : null;
  const pct = progressPercent(progress, result !== null);
  const step = result ? 'done' : (progress?.step ?? null);
  const date = today.value?.date ?? status?.day.date ?? '';
  return (
    <section className="manager-panel dayend" data-testid="dayend">
      {closedBefore ? (
        <>
          <ClosedDay report={closedBefore} />
          <ZReportActions report={closedBefore} />
          <ZReportView report={closedBefore} />
        </>
      ) : (
        <>
          <p className="hint">{t('manager.dayEnd.explain')}</p>
          <button type="button" className="primary big" onClick={() => setConfirming(true)} disabled={running || result !== null || today.loading} data-testid="dayend-start">
            {running ? t('manager.dayEnd.running') : t('manager.dayEnd.start')}
          </button>
        </>
      )}
      {(running || result) && (
        <div className="dayend-progress">
          {/* A drawn bar rather than <progress>: its fill is an element whose width can be checked
              against the track, and the step's label and the bar read from the same number. */}
          <div
            className="dayend-bar"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-valuetext={`${step ? t(`manager.dayEnd.steps.${step}`) : ''} ${pct}%`}
            aria-label={t('manager.dayEnd.progressLabel')}
            data-pct={pct}
            data-testid="dayend-progress"
          >
            {/* Set through the style object (CSSOM), which the CSP allows; a style attribute it would not. */}
            <div className="dayend-bar-fill" data-testid="dayend-progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <div data-testid="dayend-step">
            {step ? t(`manager.dayEnd.steps.${step}`) : ''} <span className="muted">{pct}%</span>
          </div>
          {progress && (
            <div className="muted">
              <span data-testid="dayend-pushed">{t('manager.dayEnd.pushed', { pushed: progress.pushed, toPush: Math.max(progress.toPush, progress.pushed) })}</span>
              {' · '}
              <span data-testid="dayend-pulled">{t('manager.dayEnd.pulled', { pages: progress.pages, pulled: progress.pulled })}</span>
            </div>
          )}
        </div>
      )}
      <ErrorNote message={error} />
      {result && (
        <>
          {result.sync.ok && result.waiting === 0 ? (
            <div className="note ok big-text" data-testid="dayend-result" data-state="synced">
              {t('manager.dayEnd.allSynced', { date: result.report.date, number: result.report.number })}
            </div>
          ) : !result.sync.ok && result.sync.error.code === 'NO_HQ_CREDENTIAL' ? (
            // Not enrolled: nothing will go to HQ "later" by itself — only once setup enrolls the terminal.
            <div className="note warn big-text" data-testid="dayend-result" data-state="not-enrolled" data-waiting={result.waiting}>
              <span>{t('manager.dayEnd.notEnrolled', { date: result.report.date, number: result.report.number })}</span>
              {props.onSetup && (
                <button type="button" className="secondary" onClick={props.onSetup} data-testid="dayend-setup">
                  {t('setup.dayEndLink')}
                </button>
              )}
            </div>
          ) : (
            <div className="note warn big-text" data-testid="dayend-result" data-state="local" data-waiting={result.waiting}>
              <span>{t('manager.dayEnd.notSynced', { waiting: result.waiting })}</span>
              {!result.sync.ok && <span className="sub">{t('manager.dayEnd.reason', { reason: tr.error(result.sync.error.code, result.sync.error.params) })}</span>}
            </div>
          )}
          {result.auditProblem && (
            <div className="note error" role="alert" data-testid="dayend-audit">
              {tr.error(result.auditProblem.code, result.auditProblem.params)}
            </div>
          )}
          <ClosedDay report={result.report} />
          {result.alreadyClosed && <div className="note">{t('manager.dayEnd.alreadyClosed')}</div>}
          {result.expiry.lots > 0 && <div className="note">{t('manager.dayEnd.expired', { points: result.expiry.points, lots: result.expiry.lots })}</div>}
          <ZReportActions report={result.report} />
          <ZReportView report={result.report} />
        </>
      )}
      {confirming && (
        <Dialog
          title={t('manager.dayEnd.confirmTitle', { date })}
          testId="dayend-confirm-dialog"
          onClose={() => setConfirming(false)}
          actions={
            <>
              <button type="button" className="secondary big" onClick={() => setConfirming(false)} data-testid="dayend-cancel">
                {t('ui.common.cancel')}
              </button>
              <button type="button" className="primary big" onClick={() => void start()} data-testid="dayend-confirm">
                {t('manager.dayEnd.confirm')}
              </button>
            </>
          }
        >
          <ul className="dayend-steps" data-testid="dayend-what">
            <li>{t('manager.dayEnd.what.sync', { pending: status?.pendingSync ?? 0 })}</li>
            <li>{t('manager.dayEnd.what.close', { date, ops: today.value ? today.value.redemptions.count : 0 })}</li>
            <li>{t('manager.dayEnd.what.after', { next: date ? nextDate(date) : '' })}</li>
          </ul>
        </Dialog>
      )}
    </section>
  );
}

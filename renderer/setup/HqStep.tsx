// Setup's HQ step: the address and the one-time code, then the first sync's progress, polled from
// setup.state while setup.enroll runs. A terminal already enrolled (or the demo) says so instead.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SetupState } from '../../src/contract/terminalApi';
import { ErrorNote, useProblemText, type Problem } from '../components/Notice';
import { useDesk } from '../desk';

const POLL_MS = 200;
/** The bar fills toward 100 % as rows arrive: HQ's pull gives no total. */
const HALF_AT_ROWS = 2_000;

export function HqStep(props: { state: SetupState; onState(s: SetupState): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const { state } = props;
  const [url, setUrl] = useState(state.hqUrl ?? '');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  // The core's refusal as code and parameters, worded when drawn: the language switch rewords it.
  const [error, setError] = useState<Problem | null>(null);
  const words = useProblemText();
  const onState = useRef(props.onState);
  onState.current = props.onState;

  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => {
      void call('setup.state', {}).then((r) => r.ok && onState.current(r.value));
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [busy, call]);

  const run = async (what: 'enroll' | 'sync') => {
    setBusy(true);
    setError(null);
    // Said at once; the polled state takes over within POLL_MS.
    onState.current({ ...state, sync: { phase: what === 'enroll' ? 'enrolling' : 'pull', pulled: 0, pages: 0, error: null } });
    const r = what === 'enroll' ? await call('setup.enroll', { hqUrl: url, code }) : await call('setup.sync', {});
    setBusy(false);
    // A used code is of no more use; after a refusal or an unreachable HQ it stays, to fix a typo or the address and try again.
    if (r.ok) setCode('');
    const now = await call('setup.state', {});
    if (now.ok) onState.current(now.value);
    if (!r.ok) setError(r.error);
  };

  if (state.session === 'desk') {
    return (
      <p className="note" data-testid="setup-enrolled">
        {state.terminal === 'demo' ? t('setup.hq.demo') : t('setup.hq.enrolled', { storeId: state.storeId, terminalId: state.terminalId, hqUrl: state.hqUrl })}
      </p>
    );
  }
  const sync = state.sync;
  const fill = sync ? (sync.phase === 'done' ? 100 : Math.round((100 * sync.pulled) / (sync.pulled + HALF_AT_ROWS))) : 0;
  return (
    <>
      <p className="big-text">{t('setup.hq.prompt')}</p>
      {state.terminal === 'new' && (
        <form
          className="setup-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run('enroll');
          }}
        >
          <label>
            {t('setup.hq.url')}
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder={t('setup.hq.urlHint')} inputMode="url" autoComplete="off" spellCheck={false} data-testid="setup-hq-url" />
          </label>
          <label>
            {t('setup.hq.code')}
            <input value={code} onChange={(e) => setCode(e.target.value)} placeholder={t('setup.hq.codeHint')} autoComplete="off" spellCheck={false} data-testid="setup-hq-code" />
          </label>
          <button className="primary big" type="submit" disabled={busy || url.trim() === '' || code.trim() === ''} data-testid="setup-enroll">
            {t('setup.hq.enroll')}
          </button>
        </form>
      )}
      {sync && (
        <div className="setup-progress" role="status" data-testid="setup-progress" data-phase={sync.phase}>
          <progress max={100} value={fill} aria-label={t('setup.steps.hq')} />
          <span>
            {sync.phase === 'enrolling'
              ? t('setup.hq.enrolling')
              : sync.phase === 'failed'
                ? t('setup.hq.failed', { message: sync.error ? words(sync.error) : '' })
                : sync.phase === 'done' && state.ready
                  ? t('setup.hq.synced', { storeId: state.storeId, terminalId: state.terminalId, pulled: sync.pulled, staff: state.staffCount })
                  : t('setup.hq.syncing', { pulled: sync.pulled, pages: sync.pages })}
          </span>
        </div>
      )}
      {state.terminal === 'enrolled' && !state.ready && !busy && (
        <button className="secondary big" onClick={() => void run('sync')} data-testid="setup-retry-sync">
          {t('setup.hq.retry')}
        </button>
      )}
      <ErrorNote message={error} />
    </>
  );
}

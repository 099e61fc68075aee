// Setup: the steps a new terminal goes through before its desk opens (docs/setup.md) — language,
// HQ enrollment with the first sync, printer, scanner, then the desk. The manager area's "Setup" tab
// shows the same steps (embedded): its HQ step says the terminal is enrolled or the demo.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang, SetupState } from '../../src/contract/terminalApi';
import { ErrorNote, type Problem } from '../components/Notice';
import { useDesk } from '../desk';
import { LANGS } from '../i18n';
import { HqStep } from './HqStep';
import { PrinterStep } from './PrinterStep';
import { askRecoveryKey, NO_RECOVERY, recoveryDone, RecoveryStep, type RecoveryState } from './RecoveryStep';
import { ScannerStep } from './ScannerStep';
import './setup.css';

const STEPS = ['lang', 'hq', 'printer', 'recovery', 'scanner', 'done'] as const;
type Step = (typeof STEPS)[number];

export function SetupWizard(props: { initial: SetupState; onDone(): void; embedded?: boolean }) {
  const { t } = useTranslation();
  const { lang, setLang, call } = useDesk();
  const [step, setStep] = useState<Step>('lang');
  const [state, setState] = useState<SetupState>(props.initial);
  const [error, setError] = useState<Problem | null>(null);
  const [recovery, setRecovery] = useState<RecoveryState>(NO_RECOVERY);
  const asking = useRef(false);
  const at = STEPS.indexOf(step);
  // The printer and scanner steps need a terminal (config.json names its store).
  const canLeaveHq = state.terminal !== 'new' && state.ready;

  const go = (next: Step) => {
    setStep(next);
    // The key is made and shown the first time the step is reached, never again by this wizard.
    if (next === 'recovery' && !asking.current) {
      asking.current = true;
      void askRecoveryKey(call).then(setRecovery);
    }
  };
  const blocked = (step === 'hq' && !canLeaveHq) || (step === 'recovery' && !recoveryDone(recovery));

  const finish = async () => {
    setError(null);
    const r = await call('setup.finish', {});
    if (r.ok) props.onDone();
    else setError(r.error);
  };

  const body = (
    <>
      <h1>{t('setup.title')}</h1>
      <ol className="setup-steps" aria-label={t('setup.title')}>
        {STEPS.map((s, i) => (
          <li key={s} className={s === step ? 'current' : i < at ? 'past' : ''} aria-current={s === step ? 'step' : undefined}>
            {s === 'recovery' ? t('setup.recovery.step') : t(`setup.steps.${s}`)}
          </li>
        ))}
      </ol>
      <section className="setup-body" data-step={step}>
        {step === 'lang' && (
          <>
            <p className="big-text">{t('setup.lang.prompt')}</p>
            <div className="setup-langs">
              {LANGS.map((l: Lang) => (
                <button key={l} className={`big ${l === lang ? 'primary' : 'secondary'}`} aria-pressed={l === lang} onClick={() => void setLang(l)} data-testid={`setup-lang-${l}`}>
                  {t(`ui.lang.${l}`)}
                </button>
              ))}
            </div>
          </>
        )}
        {step === 'hq' && <HqStep state={state} onState={setState} />}
        {step === 'printer' && <PrinterStep current={state.printer} />}
        {step === 'recovery' && <RecoveryStep state={recovery} onState={setRecovery} />}
        {step === 'scanner' && <ScannerStep />}
        {step === 'done' && (
          <>
            <p className="big-text">{t('setup.done.prompt')}</p>
            <ErrorNote message={error} />
            <button className="primary big" onClick={() => void finish()} data-testid="setup-open-desk">
              {t('setup.done.open')}
            </button>
          </>
        )}
      </section>
      <nav className="setup-nav">
        <button className="secondary big" disabled={at === 0} onClick={() => go(STEPS[at - 1]!)} data-testid="setup-back">
          {t('setup.back')}
        </button>
        {step !== 'done' && (
          <button className="primary big" disabled={blocked} onClick={() => go(STEPS[at + 1]!)} data-testid="setup-next">
            {t('setup.next')}
          </button>
        )}
      </nav>
    </>
  );
  if (props.embedded) {
    return (
      <section className="manager-panel setup" data-testid="manager-setup">
        {body}
      </section>
    );
  }
  return (
    <div className="app">
      <main className="screen setup" data-screen="setup">
        {body}
      </main>
    </div>
  );
}

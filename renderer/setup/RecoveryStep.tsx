// Setup's recovery key step (docs/backup.md): the key is asked for once, when the step is first
// reached (the wizard keeps it while the person goes back and forth), shown with a print button,
// and the wizard goes on only after "I have kept it" — which also drops the key from the wizard's
// state and the screen: once on paper, it is nowhere on this PC. A key shown before (a reload, or the
// manager area's Setup tab) is not shown again here: a manager makes a new one in the check-up tab.
import { useTranslation } from 'react-i18next';
import { useProblemText, type Problem } from '../components/Notice';
import { useDesk } from '../desk';
import { RecoveryKeyCard } from './RecoveryKeyCard';

export interface RecoveryState {
  asked: boolean;
  recoveryKey: string | null;
  /** Already shown, or none for this database: said (worded when drawn), and the wizard goes on. */
  note: { key: 'setup.recovery.alreadyShown' | 'setup.recovery.failed' } | { problem: Problem } | null;
  kept: boolean;
}

export const NO_RECOVERY: RecoveryState = { asked: false, recoveryKey: null, note: null, kept: false };

/** The wizard may leave the step: the key was kept, or there is none to keep here. */
export const recoveryDone = (r: RecoveryState): boolean => r.asked && (r.kept || (r.recoveryKey === null && r.note !== null));

/** Kept: the key leaves the wizard's state (and so the screen); only the fact that it was kept stays. */
const KEPT: RecoveryState = { asked: true, recoveryKey: null, note: null, kept: true };

export function RecoveryStep(props: { state: RecoveryState; onState(s: RecoveryState): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const words = useProblemText();
  const { state } = props;
  if (state.kept) {
    return (
      <p className="note ok" role="status" data-testid="setup-recovery-kept">
        {t('setup.recovery.keptDone')}
      </p>
    );
  }
  if (state.recoveryKey === null) {
    return state.note === null ? null : (
      <p className="note warn" role="status" data-testid="setup-recovery-note">
        {'key' in state.note ? t(state.note.key) : words(state.note.problem)}
      </p>
    );
  }
  const recoveryKey = state.recoveryKey;
  return (
    <RecoveryKeyCard
      recoveryKey={recoveryKey}
      prompt={t('setup.recovery.prompt')}
      printLabel={t('setup.recovery.print')}
      printedKey="setup.recovery.printed"
      print={() => call('setup.printRecoveryKey', { recoveryKey })}
      kept={state.kept}
      keptLabel={t('setup.recovery.kept')}
      onKept={(kept) => (kept ? props.onState(KEPT) : undefined)}
    />
  );
}

/**
 * Asks the core for the key, once per wizard. Never rejects: a broken link or an unexpected error is
 * said as a sentence of its own (the raw error's words stay out of it) and the wizard goes on.
 */
export async function askRecoveryKey(call: ReturnType<typeof useDesk>['call']): Promise<RecoveryState> {
  try {
    const r = await call('setup.recoveryKey', {});
    if (r.ok) return { asked: true, recoveryKey: r.value.recoveryKey, note: null, kept: false };
    const note: RecoveryState['note'] = r.error.code === 'RECOVERY_KEY_ALREADY_SHOWN' ? { key: 'setup.recovery.alreadyShown' } : r.error.code === 'INTERNAL' ? { key: 'setup.recovery.failed' } : { problem: r.error };
    return { asked: true, recoveryKey: null, note, kept: false };
  } catch {
    return { asked: true, recoveryKey: null, note: { key: 'setup.recovery.failed' }, kept: false };
  }
}

// Setup's recovery key step (docs/backup.md): the key is asked for once, when the step is first
// reached (the wizard keeps it while the person goes back and forth), shown with a print button,
// and the wizard goes on only after "I have kept it". A key shown before (a reload, or the manager
// area's Setup tab) is not shown again here: a manager makes a new one in the check-up tab.
import { useTranslation } from 'react-i18next';
import { useDesk } from '../desk';
import { RecoveryKeyCard } from './RecoveryKeyCard';

export interface RecoveryState {
  asked: boolean;
  recoveryKey: string | null;
  /** Already shown, or none for this database: said, and the wizard goes on. */
  note: string | null;
  kept: boolean;
}

export const NO_RECOVERY: RecoveryState = { asked: false, recoveryKey: null, note: null, kept: false };

/** The wizard may leave the step: the key was kept, or there is none to keep here. */
export const recoveryDone = (r: RecoveryState): boolean => r.asked && (r.recoveryKey === null ? r.note !== null : r.kept);

export function RecoveryStep(props: { state: RecoveryState; onState(s: RecoveryState): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const { state } = props;
  if (state.recoveryKey === null) {
    return state.note === null ? null : (
      <p className="note warn" role="status" data-testid="setup-recovery-note">
        {state.note}
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
      onKept={(kept) => props.onState({ ...state, kept })}
    />
  );
}

/** Asks the core for the key, once per wizard. */
export async function askRecoveryKey(call: ReturnType<typeof useDesk>['call'], alreadyShown: string): Promise<RecoveryState> {
  const r = await call('setup.recoveryKey', {});
  if (r.ok) return { asked: true, recoveryKey: r.value.recoveryKey, note: null, kept: false };
  return { asked: true, recoveryKey: null, note: r.error.code === 'RECOVERY_KEY_ALREADY_SHOWN' ? alreadyShown : r.error.message, kept: false };
}

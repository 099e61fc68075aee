// Staff sign-in: the PIN alone says who signs in (PINs are unique per store). While the desk is
// locked after wrong PINs the pad says how long is left and takes a manager's PIN to lift it.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LockedPad, useLockedUntil } from '../components/LockedPad';
import { ErrorNote, type Problem } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useDesk } from '../desk';

export function SignIn(props: { notice: Problem | null }) {
  const { t } = useTranslation();
  const { call, setStaff } = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const [lifted, setLifted] = useState<string | null>(null);
  const lockedUntil = useLockedUntil();

  const submit = async (pin: string) => {
    setBusy(true);
    setError(null);
    setLifted(null);
    const r = await call('staff.signIn', { pin });
    setBusy(false);
    if (r.ok) setStaff(r.value);
    // The lock panel says it itself, with the time left.
    else setError(r.error.code === 'LOCKED_OUT' ? null : r.error);
  };

  return (
    <main className="screen signin" data-screen="sign-in">
      <h1>{t('ui.signIn.title')}</h1>
      {lockedUntil !== null ? (
        <LockedPad
          until={lockedUntil}
          onLifted={(name) => {
            setError(null);
            setLifted(name);
          }}
        />
      ) : (
        <>
          <p className="hint">{t('ui.signIn.prompt')}</p>
          {lifted !== null && (
            <div className="note ok" role="status" data-testid="unlocked">
              {t('ui.lock.lifted', { name: lifted })}
            </div>
          )}
          <ErrorNote message={error ?? props.notice} />
          <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.signIn.submit')} onSubmit={(pin) => void submit(pin)} active testId="pin" />
        </>
      )}
    </main>
  );
}

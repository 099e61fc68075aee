// Staff sign-in: the PIN alone says who signs in (PINs are unique per store).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNote } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useDesk } from '../desk';

export function SignIn(props: { notice: string | null }) {
  const { t } = useTranslation();
  const { call, setStaff } = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (pin: string) => {
    setBusy(true);
    setError(null);
    const r = await call('staff.signIn', { pin });
    setBusy(false);
    if (r.ok) setStaff(r.value);
    else setError(r.error.message);
  };

  return (
    <main className="screen signin" data-screen="sign-in">
      <h1>{t('ui.signIn.title')}</h1>
      <p className="hint">{t('ui.signIn.prompt')}</p>
      <ErrorNote message={error ?? props.notice} />
      <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.signIn.submit')} onSubmit={(pin) => void submit(pin)} active testId="pin" />
    </main>
  );
}

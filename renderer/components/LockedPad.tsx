// The PIN pad while the desk is locked after wrong PINs: how long is left, counting down, and a pad
// on which only a manager's PIN lifts the lock at once (the core audits it and counts wrong PINs
// here too). The lock itself is the core's (status.lockedUntil); this screen only shows it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../desk';
import { ErrorNote, type Problem } from './Notice';
import { PinPad } from './PinPad';

/** m:ss of what is left, never below 0:00. */
export function remainingText(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The instant the pad unlocks, from the status stream; null when it is open. Re-renders each second while locked. */
export function useLockedUntil(): number | null {
  const { status } = useDesk();
  const until = status?.lockedUntil ?? null;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [until]);
  return until !== null && until > now ? until : null;
}

export function LockedPad(props: { until: number; onLifted(managerName: string): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, []);

  const unlock = async (pin: string) => {
    setBusy(true);
    setError(null);
    const r = await call('staff.unlock', { pin });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    props.onLifted(r.value.by?.name ?? '');
  };

  return (
    <div className="locked-pad" data-testid="locked">
      <div className="note warn big-text" role="status">
        <strong>{t('ui.lock.title')}</strong>
        <span data-testid="lock-remaining" data-until={props.until}>
          {t('ui.lock.remaining', { time: remainingText(props.until - Date.now()) })}
        </span>
      </div>
      <p className="hint">{t('ui.lock.hint')}</p>
      <ErrorNote message={error} />
      <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.lock.submit')} onSubmit={(pin) => void unlock(pin)} active testId="unlock-pin" />
    </div>
  );
}

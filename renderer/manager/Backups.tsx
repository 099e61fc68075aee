// The check-up tab's backup panel (docs/backup.md): where backups go, the last automatic one, a daily
// backup that keeps failing (as a problem), "back up now", and the recovery key — shown once, or a
// new one made when the paper is lost (the manager area already took a manager's PIN).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BackupFileView } from '../../src/contract/managerTypes';
import { ErrorNote, Loading, type Problem } from '../components/Notice';
import { useDesk, useLoad } from '../desk';
import { formatDateTime } from '../format';
import { RecoveryKeyCard } from '../setup/RecoveryKeyCard';

/** What went wrong, kept as code and parameters (or which sentence) so it is worded in the language of the moment. */
type PanelError = { problem: Problem } | { recoveryFailed: true };

const size = (bytes: number): string => (bytes < 1_048_576 ? `${Math.max(1, Math.ceil(bytes / 1024))} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`);

export function BackupsPanel() {
  const { t } = useTranslation();
  const { call, lang, status } = useDesk();
  const tz = status?.tz ?? 'Asia/Shanghai';
  const backups = useLoad(() => call('manager.backups', {}), [lang]);
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<BackupFileView | null>(null);
  const [error, setError] = useState<PanelError | null>(null);
  const [confirming, setConfirming] = useState(false);
  // The key lives only here, and only until the manager says it is kept.
  const [shown, setShown] = useState<{ recoveryKey: string } | null>(null);

  if (!backups.value) return backups.error ? <ErrorNote message={backups.error} onRetry={backups.reload} /> : <Loading />;
  const b = backups.value;

  const backUpNow = async () => {
    setBusy(true);
    setError(null);
    setMade(null);
    const r = await call('manager.backupNow', {});
    setBusy(false);
    if (r.ok) setMade(r.value);
    else setError({ problem: r.error });
    backups.reload();
  };
  const showKey = async (renew: boolean) => {
    setConfirming(false);
    setError(null);
    try {
      const r = await call('manager.recoveryKey', { renew });
      if (r.ok) setShown({ recoveryKey: r.value.recoveryKey });
      // A typed refusal has its own sentence; a broken link or an unexpected error is said without its raw words.
      else setError(r.error.code === 'INTERNAL' ? { recoveryFailed: true } : { problem: r.error });
    } catch {
      setError({ recoveryFailed: true });
    }
  };
  const kept = () => {
    // Gone from the screen once kept: it is not kept anywhere on this PC.
    setShown(null);
    backups.reload();
  };

  return (
    <section className="backups" data-testid="backups">
      <h2>{t('manager.backups.title')}</h2>
      {!b.possible ? (
        <p className="hint" data-testid="backup-not-possible">
          {t('manager.backups.notPossible')}
        </p>
      ) : (
        <>
          {b.failure && (
            <p className="op finding problem" role="alert" data-testid="backup-failure">
              {t('manager.backups.failed', { message: b.failure.message })}
            </p>
          )}
          <p data-testid="backup-folder">{t('manager.backups.folder', { folder: b.folder })}</p>
          <p data-testid="backup-last">
            {b.lastDaily ? t('manager.backups.last', { at: formatDateTime(b.lastDaily.at, tz), file: b.lastDaily.name, size: size(b.lastDaily.bytes) }) : t('manager.backups.none')}
          </p>
          <div className="manager-actions">
            <button type="button" disabled={busy} onClick={() => void backUpNow()} data-testid="backup-now">
              {t('manager.backups.now')}
            </button>
          </div>
          {made && (
            <p className="note ok" role="status" data-testid="backup-made">
              {t('manager.backups.made', { file: made.name, size: size(made.bytes) })}
            </p>
          )}
          <h3>{t('manager.backups.recovery.title')}</h3>
          {shown ? (
            <>
              <RecoveryKeyCard
                recoveryKey={shown.recoveryKey}
                prompt={t('manager.backups.recovery.prompt')}
                printLabel={t('manager.backups.recovery.print')}
                printedKey="manager.backups.recovery.printed"
                print={() => call('manager.printRecoveryKey', { recoveryKey: shown.recoveryKey })}
                kept={false}
                keptLabel={t('manager.backups.recovery.kept')}
                onKept={(k) => (k ? kept() : undefined)}
              />
            </>
          ) : b.recoveryShownAt === null ? (
            <div className="manager-actions">
              <span className="muted">{t('manager.backups.recovery.never')}</span>
              <button type="button" onClick={() => void showKey(false)} data-testid="recovery-show">
                {t('manager.backups.recovery.show')}
              </button>
            </div>
          ) : (
            <div className="manager-actions">
              <span className="muted" data-testid="recovery-shown-at">
                {t('manager.backups.recovery.shownAt', { at: formatDateTime(b.recoveryShownAt, tz) })}
              </span>
              {!confirming && (
                <button type="button" onClick={() => setConfirming(true)} data-testid="recovery-renew">
                  {t('manager.backups.recovery.renew')}
                </button>
              )}
            </div>
          )}
          {confirming && (
            <div className="note warn" role="alertdialog" aria-label={t('manager.backups.recovery.renew')} data-testid="recovery-renew-confirm">
              <span>{t('manager.backups.recovery.confirmRenew')}</span>
              <div className="manager-actions">
                <button type="button" className="primary" onClick={() => void showKey(true)} data-testid="recovery-renew-yes">
                  {t('manager.backups.recovery.yes')}
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  {t('manager.backups.recovery.no')}
                </button>
              </div>
            </div>
          )}
        </>
      )}
      <ErrorNote message={error === null ? null : 'problem' in error ? error.problem : t('manager.backups.recovery.failed')} />
    </section>
  );
}

// Scan: a scanner burst anywhere on the page does it (App listens); or type the card or phone number here.
// Or the camera: the viewfinder below (renderer/scan/ from the scanning work).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CameraView } from '../components/CameraView';
import { ErrorNote, type Problem } from '../components/Notice';

export function Scan(props: { busy: boolean; error: Problem | null; scanSeq: number; onCode(code: string): void; onJoin(): void }) {
  const { t } = useTranslation();
  const [card, setCard] = useState('');
  const [invalid, setInvalid] = useState(false);
  // A scan arrived while something was half typed here: the scan wins, the field starts empty, and
  // an old complaint about the typed number goes with it.
  useEffect(() => {
    setCard('');
    setInvalid(false);
  }, [props.scanSeq]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The core decides what it is (a card number, a mobile number); here only what cannot be either.
    const digits = card.normalize('NFKC').replace(/[\s\-().]+/g, '');
    if (!/^\+?\d{8,19}$/.test(digits)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setCard('');
    props.onCode(digits);
  };

  return (
    <main className="screen scan" data-screen="scan">
      <h1>{t('ui.scan.title')}</h1>
      <p className="hint big-hint">
        <span className="scan-icon" aria-hidden="true">
          ⌁
        </span>
        {t('ui.scan.wedgeReady')}
      </p>
      <p className="hint">{t('ui.scan.hint')}</p>
      {/* One error at a time, the newest: a wrong card number typed now replaces an older scan's refusal. */}
      <ErrorNote message={invalid ? t('ui.scan.cardInvalid') : props.error} />
      <form className="card-entry" onSubmit={submit}>
        <label htmlFor="card-no">{t('ui.scan.cardLabel')}</label>
        <input
          id="card-no"
          data-testid="card-input"
          inputMode="tel"
          autoComplete="off"
          placeholder={t('ui.scan.cardPlaceholder')}
          value={card}
          maxLength={23}
          onChange={(e) => {
            setCard(e.target.value);
            setInvalid(false);
          }}
        />
        <button type="submit" className="primary big" disabled={props.busy || card.trim() === ''} data-testid="card-submit">
          {props.busy ? t('ui.scan.looking') : t('ui.scan.lookUp')}
        </button>
      </form>
      <CameraView onCode={props.onCode} deviceId={null} />
      {/* 开卡: one tap from here (a new customer has no code to scan). */}
      <button type="button" className="secondary big join-open" onClick={props.onJoin} data-testid="join-open">
        {t('ui.join.open')}
      </button>
    </main>
  );
}

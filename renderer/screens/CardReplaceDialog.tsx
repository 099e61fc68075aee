// 挂失补卡 from the member card: the confirmation shows the lost card and the one the member gets
// (the core's preview, nothing taken yet); a clerk hands the desk to the manager, who types their PIN
// on the same pad as for a void or a large earn; a signed-in manager approves by confirming. Then the
// receipt's content, sent to the printer (or, with none set up, not printed: 今日业务 reprints it).
// Escape cancels before the commit.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CardReplaceResult } from '../../src/contract/terminalApi';
import { Dialog, ErrorNote, Loading } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useDesk, useLoad } from '../desk';

export function CardReplaceDialog(props: { memberId: string; onClose(replaced: boolean): void }) {
  const { t } = useTranslation();
  const { call, staff, status } = useDesk();
  const preview = useLoad(() => call('member.replaceCardPreview', { memberId: props.memberId }), [props.memberId]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; message: string } | null>(null);
  const [done, setDone] = useState<CardReplaceResult | null>(null);
  const inFlight = useRef(false);
  const askPin = staff?.role !== 'manager';

  const commit = async (managerPin?: string) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const r = await call('member.replaceCard', { memberId: props.memberId, ...(managerPin ? { managerPin } : {}) });
    inFlight.current = false;
    setBusy(false);
    if (r.ok) setDone(r.value);
    else setError({ code: r.error.code, message: r.error.message });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.key === 'Escape' && !busy) props.onClose(done !== null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (done) {
    return (
      <Dialog
        title={t('ui.cardReplace.doneTitle')}
        testId="card-replace-done"
        actions={
          <button type="button" className="primary big" onClick={() => props.onClose(true)} data-testid="card-replace-close">
            {t('ui.cardReplace.close')}
          </button>
        }
      >
        <dl className="card-replace">
          <div className="summary-row">
            <dt>{t('ui.cardReplace.oldCard')}</dt>
            <dd data-testid="card-replace-old">{done.oldCardNo}</dd>
          </div>
          <div className="summary-row">
            <dt>{t('ui.cardReplace.newCard')}</dt>
            <dd data-testid="card-replace-new">{done.newCardNo}</dd>
          </div>
          <div className="summary-row">
            <dt>{t('ui.cardReplace.approvedBy')}</dt>
            <dd>{done.approvedBy.name}</dd>
          </div>
        </dl>
        <p className="hint" data-testid="card-replace-print">
          {t(status?.printer.state === 'not-configured' ? 'ui.cardReplace.notPrinted' : 'ui.cardReplace.printed')}
        </p>
        <p className="hint">{t('ui.cardReplace.untilSync')}</p>
      </Dialog>
    );
  }

  const p = preview.value;
  return (
    <Dialog
      title={t('ui.cardReplace.title')}
      testId="card-replace-dialog"
      actions={
        <>
          <button type="button" className="secondary big" onClick={() => props.onClose(false)} disabled={busy} data-testid="card-replace-cancel">
            {t('ui.common.cancel')}
          </button>
          {p && !askPin && (
            <button type="button" className="primary big" onClick={() => void commit()} disabled={busy} data-testid="card-replace-confirm">
              {busy ? t('ui.common.working') : t('ui.cardReplace.confirm')}
            </button>
          )}
        </>
      }
    >
      {preview.loading && !p && <Loading />}
      {!p && !preview.loading && <ErrorNote message={preview.error} />}
      {p && (
        <div className={askPin ? 'earn-confirm with-pin' : 'earn-confirm'}>
          <div className="earn-summary">
            <p className="card-replace-cards" data-testid="card-replace-cards">
              <span>{p.oldCardNo}</span> → <strong>{p.newCardNo}</strong>
            </p>
            <p className="hint warn-text">{t('ui.cardReplace.help')}</p>
            <ErrorNote message={error ? error.message : null} />
          </div>
          {askPin && (
            <div className="earn-pin">
              <label>{t('ui.cardReplace.managerPin')}</label>
              <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.cardReplace.approve')} onSubmit={(pin) => void commit(pin)} active testId="card-replace-pin" />
            </div>
          )}
        </div>
      )}
    </Dialog>
  );
}

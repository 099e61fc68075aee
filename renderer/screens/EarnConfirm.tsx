// The confirmation every earn passes through: the amount, the points and any tier change, as the
// core's preview (points.earnPreview) worked them out. Above the approval threshold a clerk hands the
// desk to the manager, who types their PIN on the same pad as for a void; a signed-in manager
// approves by confirming. Enter confirms, Escape cancels.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EarnPreview, EarnResult } from '../../src/contract/terminalApi';
import { Dialog, ErrorNote, type Problem } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { ReceiptWhen, useConfirmLabel } from '../components/ReceiptWhen';
import { useDesk } from '../desk';
import { formatPoints, formatYuan } from '../format';

export interface EarnRequest {
  memberId: string;
  lines: { category: string; amountFen: number }[];
}

export function EarnConfirm(props: { request: EarnRequest; preview: EarnPreview; returnFocus?: HTMLElement | null; onCancel(): void; onDone(r: EarnResult): void }) {
  const { t } = useTranslation();
  const { call, staff } = useDesk();
  const p = props.preview;
  const confirmLabel = useConfirmLabel('earn');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  // Two Enters inside one frame would both see busy=false; the ref flips at once.
  const inFlight = useRef(false);
  const askPin = p.needsManager && staff?.role !== 'manager';
  const threshold = formatYuan(p.approvalAboveFen);

  const commit = async (managerPin?: string) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const r = await call('points.earn', { ...props.request, ...(managerPin ? { managerPin } : {}) });
    inFlight.current = false;
    setBusy(false);
    if (r.ok) props.onDone(r.value);
    else setError(r.error);
  };

  useEffect(() => {
    // The amount field stays behind the dialog: typing goes to the dialog, not into it.
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.key === 'Escape' && !busy) props.onCancel();
      // With the PIN pad up, Enter is the pad's.
      if (e.key === 'Enter' && !askPin) {
        e.preventDefault();
        void commit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const rows: [string, string, string][] = [
    ['earn-confirm-amount', t('ui.earn.summaryAmount'), formatYuan(p.amountFen)],
    ['earn-confirm-points', t('ui.earn.summaryPoints'), `+${formatPoints(p.points)}`],
    ['earn-confirm-balance', t('ui.earn.summaryBalance'), `${formatPoints(p.pointsBefore)} → ${formatPoints(p.pointsAfter)}`],
  ];
  if (p.tierChange) rows.push(['earn-confirm-tier', t('ui.earn.summaryTier'), `${t(`tier.${p.tierChange.from}`)} → ${t(`tier.${p.tierChange.to}`)}`]);

  return (
    <Dialog
      title={t('ui.earn.confirmTitle')}
      testId="earn-dialog"
      returnFocus={props.returnFocus ?? null}
      actions={
        <>
          <button type="button" className="secondary big" onClick={props.onCancel} disabled={busy} data-testid="cancel-earn">
            {t('ui.common.cancel')}
          </button>
          {!askPin && (
            <button type="button" className="primary big" onClick={() => void commit()} disabled={busy} data-testid="confirm-earn">
              {busy ? t('ui.common.working') : confirmLabel}
            </button>
          )}
        </>
      }
    >
      <div className={askPin ? 'earn-confirm with-pin' : 'earn-confirm'}>
        <div className="earn-summary">
          <dl>
            {rows.map(([id, label, value]) => (
              <div key={id} className="summary-row">
                <dt>{label}</dt>
                <dd data-testid={id}>{value}</dd>
              </div>
            ))}
          </dl>
          <ReceiptWhen />
          {p.needsManager && <p className="hint warn-text" data-testid="earn-approval-note">{askPin ? t('ui.earn.managerHelp', { threshold }) : t('ui.earn.selfApproves', { threshold })}</p>}
          <ErrorNote message={error} />
        </div>
        {askPin && (
          <div className="earn-pin">
            <label>{t('ui.earn.managerPin')}</label>
            <PinPad length={{ min: 4, max: 8 }} busy={busy} submitLabel={t('ui.earn.approve')} onSubmit={(pin) => void commit(pin)} active testId="earn-manager-pin" />
          </div>
        )}
      </div>
    </Dialog>
  );
}

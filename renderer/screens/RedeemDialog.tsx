// The confirmation before a benefit is redeemed: its value, the purchase amount when the coupon
// needs one, and one "redeem" button ("and print" only when a printer will) — Enter confirms, Escape cancels.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BenefitView, RedeemResult } from '../../src/contract/terminalApi';
import { Dialog, ErrorNote, type Problem } from '../components/Notice';
import { ReceiptWhen, useConfirmLabel } from '../components/ReceiptWhen';
import { useDesk } from '../desk';
import { AMOUNT_PROBLEM, formatYuan, readYuan } from '../format';
import { pick } from '../i18n';

export function RedeemDialog(props: { memberId: string; benefit: BenefitView; onCancel(): void; onDone(r: RedeemResult): void }) {
  const { t } = useTranslation();
  const { call, lang } = useDesk();
  const b = props.benefit;
  const confirmLabel = useConfirmLabel('redeem');
  const [amount, setAmount] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  // State updates land after a render; two Enters (or a tap and an Enter) inside one frame would both
  // see busy=false and redeem twice. The ref flips at once.
  const inFlight = useRef(false);

  const confirm = async () => {
    if (inFlight.current) return;
    let amountFen: number | null = null;
    if (b.needsAmount) {
      const typed = readYuan(amount);
      if ('problem' in typed) {
        setError(t(AMOUNT_PROBLEM[typed.problem]));
        return;
      }
      amountFen = typed.value;
    }
    inFlight.current = true;
    setBusy(true);
    setError(null);
    const r = await call('benefit.redeem', { memberId: props.memberId, benefitId: b.id, ...(amountFen === null ? {} : { amountFen }) });
    inFlight.current = false;
    setBusy(false);
    if (r.ok) props.onDone(r.value);
    else setError(r.error);
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.key === 'Escape') props.onCancel();
      if (e.key === 'Enter' && !b.needsAmount) {
        e.preventDefault();
        void confirm();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <Dialog
      title={t('ui.redeem.title', { name: pick(b.name, lang) })}
      testId="redeem-dialog"
      actions={
        <>
          <button type="button" className="secondary big" onClick={props.onCancel} disabled={busy}>
            {t('ui.common.cancel')}
          </button>
          <button type="button" className="primary big" onClick={() => void confirm()} disabled={busy} data-testid="confirm-redeem">
            {busy ? t('ui.common.working') : confirmLabel}
          </button>
        </>
      }
    >
      {b.valueFen !== null && b.valueFen > 0 && <p className="big-text">{t('ui.redeem.value', { value: formatYuan(b.valueFen) })}</p>}
      {b.needsAmount && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
        >
          <label htmlFor="amount">{t('ui.redeem.amount')}</label>
          <input id="amount" data-testid="amount" inputMode="decimal" autoFocus placeholder={t('ui.redeem.amountHint')} value={amount} onChange={(e) => setAmount(e.target.value)} />
        </form>
      )}
      <ReceiptWhen />
      <ErrorNote message={error} />
    </Dialog>
  );
}

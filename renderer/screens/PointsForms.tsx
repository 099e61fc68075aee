// Earn points for a purchase, and donate points: typed amounts are checked here for form and by the
// core for everything else (its refusal is shown as it words it). An earn is previewed by the core
// first and always confirmed (EarnConfirm.tsx), with the manager's PIN above the threshold.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { EarnPreview, EarnResult, MemberSummary, PointsOpResult } from '../../src/contract/terminalApi';
import { Dialog, ErrorNote, type Problem } from '../components/Notice';
import { ReceiptWhen, useConfirmLabel } from '../components/ReceiptWhen';
import { useDesk, useLoad } from '../desk';
import { AMOUNT_PROBLEM, formatPoints, readWhole, readYuan } from '../format';
import { EarnConfirm, type EarnRequest } from './EarnConfirm';

const CATEGORIES = ['general', 'cosmetics', 'apparel', 'food'] as const;

/** Whom the form acts on, under its title: the masked name and card number, as on the receipt. */
function FormMember(props: { member: MemberSummary }) {
  const { t } = useTranslation();
  return (
    <p className="form-member" data-testid="form-member">
      {t('ui.earn.forMember', { name: props.member.maskedName, cardNo: props.member.cardNo })}
    </p>
  );
}

export function EarnScreen(props: { member: MemberSummary; onDone(r: EarnResult): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const [amount, setAmount] = useState('');
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>('general');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);
  const [confirming, setConfirming] = useState<{ request: EarnRequest; preview: EarnPreview } | null>(null);
  // Where focus goes back when the confirmation is cancelled (the button was disabled while the core answered).
  const submitButton = useRef<HTMLButtonElement>(null);

  // Nothing is written here: the core says what the earn would do (or why it may not), then the dialog confirms.
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || confirming) return;
    const typed = readYuan(amount);
    if ('problem' in typed) {
      setError(t(AMOUNT_PROBLEM[typed.problem]));
      return;
    }
    const amountFen = typed.value;
    setBusy(true);
    setError(null);
    const request: EarnRequest = { memberId: props.member.id, lines: [{ category, amountFen }] };
    const r = await call('points.earnPreview', request);
    setBusy(false);
    if (r.ok) setConfirming({ request, preview: r.value });
    else setError(r.error);
  };

  return (
    <main className="screen earn" data-screen="earn">
      <h1>{t('ui.earn.title')}</h1>
      <FormMember member={props.member} />
      <form onSubmit={(e) => void submit(e)} className="form">
        <label htmlFor="earn-amount">{t('ui.earn.amount')}</label>
        <input id="earn-amount" data-testid="earn-amount" inputMode="decimal" autoFocus placeholder={t('ui.redeem.amountHint')} value={amount} onChange={(e) => setAmount(e.target.value)} />
        <fieldset className="choices">
          <legend>{t('ui.earn.category')}</legend>
          {CATEGORIES.map((c) => (
            <button type="button" key={c} className={c === category ? 'choice chosen' : 'choice'} aria-pressed={c === category} onClick={() => setCategory(c)}>
              {t(`ui.earn.categories.${c}`)}
            </button>
          ))}
        </fieldset>
        <ErrorNote message={error} />
        <div className="dialog-buttons">
          <button type="button" className="secondary big" onClick={props.onBack}>
            {t('ui.common.back')}
          </button>
          <button type="submit" className="primary big" disabled={busy} data-testid="earn-submit" ref={submitButton}>
            {busy ? t('ui.common.working') : t('ui.earn.submit')}
          </button>
        </div>
      </form>
      {confirming && <EarnConfirm request={confirming.request} preview={confirming.preview} returnFocus={submitButton.current} onCancel={() => setConfirming(null)} onDone={props.onDone} />}
    </main>
  );
}

export function DonateScreen(props: { member: MemberSummary; onDone(r: PointsOpResult): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const memberId = props.member.id;
  const card = useLoad(() => call('member.card', { memberId }), [memberId]);
  const balance = card.value?.points.balance ?? null;
  // The terminal's rule (rules.points.donationMinPoints through the card), never a number kept here.
  const minimum = card.value?.points.donationMin ?? null;
  const confirmLabel = useConfirmLabel('donate');
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState<number | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem | null>(null);

  // Said before the confirmation: a donation below the rules' minimum or beyond the balance is refused
  // here, worded as the core words it (POINTS_TOO_FEW) or in the grouped numbers the card shows (the
  // core refuses both anyway). The minimum comes before the balance, in the core's order.
  const ask = (e: FormEvent) => {
    e.preventDefault();
    const typed = readWhole(text);
    if ('problem' in typed) {
      setError(t(typed.problem === 'format' ? 'ui.donate.pointsInvalid' : 'ui.donate.pointsPositive'));
      return;
    }
    if (minimum !== null && typed.value < minimum) {
      setError({ code: 'POINTS_TOO_FEW', params: { min: minimum }, message: '' });
      return;
    }
    if (balance !== null && typed.value > balance) {
      setError(t('ui.donate.overBalance', { points: formatPoints(typed.value), balance: formatPoints(balance) }));
      return;
    }
    setError(null);
    setConfirming(typed.value);
  };
  const donate = async (points: number) => {
    setBusy(true);
    const r = await call('points.donate', { memberId, points });
    setBusy(false);
    setConfirming(null);
    if (r.ok) props.onDone(r.value);
    else setError(r.error);
  };

  return (
    <main className="screen donate" data-screen="donate">
      <h1>{t('ui.donate.title')}</h1>
      <FormMember member={props.member} />
      <form onSubmit={ask} className="form">
        <p className="form-note" data-testid="donate-balance">
          {balance === null ? t('ui.common.loading') : t('ui.donate.balance', { points: formatPoints(balance) })}
        </p>
        {minimum !== null && minimum > 1 && (
          <p className="form-note" data-testid="donate-minimum">
            {t('ui.donate.minimum', { points: formatPoints(minimum) })}
          </p>
        )}
        <label htmlFor="donate-points">{t('ui.donate.points')}</label>
        <input id="donate-points" data-testid="donate-points" inputMode="numeric" autoFocus value={text} onChange={(e) => setText(e.target.value)} />
        <ErrorNote message={error} />
        <div className="dialog-buttons">
          <button type="button" className="secondary big" onClick={props.onBack}>
            {t('ui.common.back')}
          </button>
          <button type="submit" className="primary big" data-testid="donate-submit" ref={submitButton}>
            {t('ui.donate.submit')}
          </button>
        </div>
      </form>
      {confirming !== null && (
        <Dialog
          title={t('ui.donate.confirm', { points: formatPoints(confirming) })}
          testId="donate-dialog"
          returnFocus={submitButton.current}
          {...(busy ? {} : { onClose: () => setConfirming(null) })}
          actions={
            <>
              <button type="button" className="secondary big" onClick={() => setConfirming(null)} disabled={busy}>
                {t('ui.common.cancel')}
              </button>
              {/* Focused when it opens: Enter confirms, as it does for a redemption and an earn. */}
              <button type="button" className="primary big" onClick={() => void donate(confirming)} disabled={busy} data-testid="confirm-donate" autoFocus>
                {busy ? t('ui.common.working') : confirmLabel}
              </button>
            </>
          }
        >
          <ReceiptWhen />
        </Dialog>
      )}
    </main>
  );
}

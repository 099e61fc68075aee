// 退货: the member's purchases still inside the return window (or the one a scanned receipt names),
// then the part that comes back — all that is left, an amount, or per line — and a confirmation
// with the points the core says it will take back (docs/returns.md). Nothing is written before it.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReturnQuote, ReturnResult, TerminalInput } from '../../src/contract/terminalApi';
import { Dialog, Empty, ErrorNote, Loading, type Problem } from '../components/Notice';
import { ReceiptWhen, useConfirmLabel } from '../components/ReceiptWhen';
import { ScrollPanel } from '../components/ScrollPanel';
import { useDesk, useLoad } from '../desk';
import { AMOUNT_PROBLEM, formatDate, formatPoints, formatYuan, readYuan, type Typed } from '../format';

type Ask = TerminalInput<'points.return'>;
type Mode = 'whole' | 'amount' | 'lines';

export function ReturnScreen(props: { memberId?: string; opId?: string; onDone(r: ReturnResult): void; onBack(): void }) {
  const [picked, setPicked] = useState<string | null>(props.opId ?? null);
  if (picked === null && props.memberId !== undefined) return <PurchaseList memberId={props.memberId} onPick={setPicked} onBack={props.onBack} />;
  if (picked === null) return null;
  const back = props.opId === undefined ? () => setPicked(null) : props.onBack;
  return <ReturnForm opId={picked} onDone={props.onDone} onBack={back} {...(props.memberId === undefined ? {} : { memberId: props.memberId })} />;
}

function PurchaseList(props: { memberId: string; onPick(opId: string): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call, status, tr } = useDesk();
  const tz = status?.tz ?? 'Asia/Shanghai';
  const list = useLoad(() => call('points.purchases', { memberId: props.memberId }), [props.memberId]);
  return (
    <main className="screen returns" data-screen="returns">
      <h1>{t('ui.returns.title')}</h1>
      {list.loading && !list.value && <Loading />}
      <ErrorNote message={list.error} onRetry={list.reload} />
      {list.value && list.value.length === 0 && <Empty>{t('ui.returns.none')}</Empty>}
      {list.value && list.value.length > 0 && (
        <ScrollPanel as="ul" className="op-list">
          {list.value.map((p) => (
            <li key={p.opId} className="op" data-testid={`purchase-${p.opId}`}>
              <div className="op-main">
                <div>{t('ui.returns.purchase', { date: formatDate(p.at, tz), amount: formatYuan(p.amountFen), points: formatPoints(p.points) })}</div>
                {p.returnedFen > 0 && <div className="sub">{t('ui.returns.returnedSoFar', { amount: formatYuan(p.returnedFen) })}</div>}
                {p.refusal && <div className="why-not">{tr.error(p.refusal.code, p.refusal.params)}</div>}
              </div>
              <button type="button" className="primary big" disabled={p.refusal !== null} onClick={() => props.onPick(p.opId)} data-testid="return-pick">
                {t('ui.returns.pick')}
              </button>
            </li>
          ))}
        </ScrollPanel>
      )}
      <div className="dialog-buttons">
        <button type="button" className="secondary big" onClick={props.onBack}>
          {t('ui.common.back')}
        </button>
      </div>
    </main>
  );
}

function Row(props: { label: string; value: string; testId?: string }) {
  return (
    <div className="summary-row">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId}>{props.value}</dd>
    </div>
  );
}

function ReturnForm(props: { opId: string; memberId?: string; onDone(r: ReturnResult): void; onBack(): void }) {
  const { t } = useTranslation();
  const { call, tr } = useDesk();
  const base = { opId: props.opId, ...(props.memberId === undefined ? {} : { memberId: props.memberId }) };
  const quote = useLoad(() => call('points.returnQuote', base), [props.opId]);
  const confirmLabel = useConfirmLabel('return');
  const [mode, setMode] = useState<Mode>('whole');
  const [amount, setAmount] = useState('');
  const [perLine, setPerLine] = useState<Record<string, string>>({});
  const [error, setError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<{ ask: Ask; plan: NonNullable<ReturnQuote['plan']> } | null>(null);

  if (quote.loading && !quote.value) return <Loading />;
  if (!quote.value) return <ErrorNote message={quote.error} onRetry={quote.reload} />;
  const q = quote.value;
  const categories = [...new Set(q.lines.map((l) => l.category))];

  // A typed amount that is not one is said before anything is asked: which problem, in words.
  const askOf = (): Ask | { problem: keyof typeof AMOUNT_PROBLEM } => {
    if (mode === 'whole') return base;
    if (mode === 'amount') {
      const typed: Typed = readYuan(amount);
      return 'problem' in typed ? typed : { ...base, amountFen: typed.value };
    }
    const lines: { category: string; amountFen: number }[] = [];
    for (const c of categories) {
      const text = (perLine[c] ?? '').trim();
      if (text === '') continue;
      const typed = readYuan(text);
      if ('problem' in typed) return typed;
      lines.push({ category: c, amountFen: typed.value });
    }
    return lines.length === 0 ? { problem: 'zero' } : { ...base, lines };
  };
  // The core says what the return would do (or why not); the dialog shows exactly that.
  const preview = async (e: FormEvent) => {
    e.preventDefault();
    const ask = askOf();
    if ('problem' in ask) {
      setError(t(AMOUNT_PROBLEM[ask.problem]));
      return;
    }
    setBusy(true);
    setError(null);
    const r = await call('points.returnQuote', { ...ask, ...(mode === 'whole' ? { whole: true } : {}) });
    setBusy(false);
    if (r.ok && r.value.plan) setConfirming({ ask, plan: r.value.plan });
    else if (!r.ok) setError(r.error);
  };
  const commit = async (ask: Ask) => {
    setBusy(true);
    const r = await call('points.return', ask);
    setBusy(false);
    if (r.ok) props.onDone(r.value);
    else {
      setConfirming(null);
      setError(r.error);
    }
  };

  const left = q.amountFen - q.returnedFen;
  return (
    <main className="screen returns" data-screen="return-form">
      <h1>{t('ui.returns.title')}</h1>
      <div className="sub" data-testid="return-left">
        {t('ui.returns.left', { amount: formatYuan(left), total: formatYuan(q.amountFen) })}
      </div>
      {q.refusal ? (
        <ErrorNote message={tr.error(q.refusal.code, q.refusal.params)} />
      ) : (
        <form onSubmit={(e) => void preview(e)} className="form">
          <fieldset className="choices">
            <legend>{t('ui.returns.what')}</legend>
            {(['whole', 'amount', 'lines'] as const).map((m) => (
              <button type="button" key={m} className={m === mode ? 'choice chosen' : 'choice'} aria-pressed={m === mode} onClick={() => setMode(m)} data-testid={`return-mode-${m}`}>
                {t(`ui.returns.mode.${m}`)}
              </button>
            ))}
          </fieldset>
          {mode === 'amount' && (
            <>
              <label htmlFor="return-amount">{t('ui.returns.amount')}</label>
              <input id="return-amount" data-testid="return-amount" inputMode="decimal" autoFocus placeholder={t('ui.redeem.amountHint')} value={amount} onChange={(e) => setAmount(e.target.value)} />
            </>
          )}
          {mode === 'lines' &&
            categories.map((c) => (
              <div key={c}>
                <label htmlFor={`return-line-${c}`}>{t('ui.returns.line', { category: c ? t(`ui.earn.categories.${c}`, { defaultValue: c }) : t('ui.returns.uncategorized') })}</label>
                <input id={`return-line-${c}`} data-testid={`return-line-${c}`} inputMode="decimal" value={perLine[c] ?? ''} onChange={(e) => setPerLine({ ...perLine, [c]: e.target.value })} />
              </div>
            ))}
          <ErrorNote message={error} />
          <div className="dialog-buttons">
            <button type="button" className="secondary big" onClick={props.onBack}>
              {t('ui.common.back')}
            </button>
            <button type="submit" className="primary big" disabled={busy} data-testid="return-preview">
              {busy ? t('ui.common.working') : t('ui.returns.preview')}
            </button>
          </div>
        </form>
      )}
      {confirming && (
        <Dialog
          title={t('ui.returns.confirmTitle')}
          testId="return-dialog"
          actions={
            <>
              <button type="button" className="secondary big" onClick={() => setConfirming(null)} disabled={busy}>
                {t('ui.common.cancel')}
              </button>
              <button type="button" className="primary big" onClick={() => void commit(confirming.ask)} disabled={busy} data-testid="confirm-return">
                {busy ? t('ui.common.working') : confirmLabel}
              </button>
            </>
          }
        >
          <dl className="earn-summary" data-testid="return-summary">
            <Row label={t('ui.returns.amount')} value={formatYuan(confirming.plan.amountFen)} />
            <Row label={t('ui.returns.takenBack')} value={formatPoints(confirming.plan.takenBack)} testId="return-points" />
            {confirming.plan.shortfall > 0 && <Row label={t('ui.returns.shortfall')} value={formatPoints(confirming.plan.shortfall)} testId="return-shortfall" />}
            {confirming.plan.owed > 0 && <Row label={t('ui.owing.owed')} value={formatPoints(confirming.plan.owed)} testId="return-owed" />}
            <Row label={t('ui.earn.summaryBalance')} value={`${formatPoints(confirming.plan.pointsBefore)} → ${formatPoints(confirming.plan.pointsAfter)}`} testId="return-balance" />
            {confirming.plan.tierChange && (
              <Row label={t('ui.earn.summaryTier')} value={`${t(`tier.${confirming.plan.tierChange.from}`)} → ${t(`tier.${confirming.plan.tierChange.to}`)}`} testId="return-tier" />
            )}
          </dl>
          <ReceiptWhen />
        </Dialog>
      )}
    </main>
  );
}

// After an operation: the receipt as it will print (from the stored receipt model), whether it has
// printed yet, reprint, and the way to the next member.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalizedText, PrinterState, ReceiptPreview } from '../../src/contract/terminalApi';
import { ErrorNote, Loading, type Problem } from '../components/Notice';
import { receiptFate, ReprintNote } from '../components/ReceiptWhen';
import { useDesk, useLoad } from '../desk';
import { formatDateTime, formatPoints, formatYuan } from '../format';
import { pick } from '../i18n';

/** While a receipt waits: look again every second for the first ten, then every five (events come first). */
const QUICK_POLLS = 10;
const SLOW_POLL_MS = 5_000;

export function ReceiptScreen(props: { opId: string; drawn: LocalizedText | null; justDone: boolean; onBack?: () => void; onNext(): void }) {
  const { t } = useTranslation();
  const { call, lang, status: desk, onEvent, linkUp } = useDesk();
  const [poll, setPoll] = useState(0);
  const preview = useLoad(() => call('receipt.preview', { opId: props.opId }), [props.opId, poll]);
  const [reprint, setReprint] = useState<{ busy: boolean; done: boolean; error: Problem | null }>({ busy: false, done: false, error: null });

  // The screen follows the event stream (issue 18: it said 等待打印机 long after the printer had
  // recovered and printed): this receipt's print event, a change of the printer's state or of the
  // receipts waiting, and the link coming back all make it look again; a slow poll backs them up.
  const status = preview.value?.status;
  const again = () => setPoll((p) => p + 1);
  useEffect(() => onEvent((e) => e.type === 'print' && e.opId === props.opId && again()), [onEvent, props.opId]);
  const printerState = desk?.printer.state;
  const unprinted = desk?.printer.unprinted;
  const seen = useRef({ printerState, unprinted, linkUp });
  useEffect(() => {
    const before = seen.current;
    seen.current = { printerState, unprinted, linkUp };
    if (status === 'printed') return;
    if (before.printerState !== printerState || before.unprinted !== unprinted || (linkUp && !before.linkUp)) again();
  }, [printerState, unprinted, linkUp, status]);
  useEffect(() => {
    if (status !== 'pending') return;
    const timer = setTimeout(again, poll < QUICK_POLLS ? 1000 : SLOW_POLL_MS);
    return () => clearTimeout(timer);
  }, [status, poll]);

  const doReprint = async () => {
    setReprint({ busy: true, done: false, error: null });
    const r = await call('receipt.reprint', { opId: props.opId });
    setReprint({ busy: false, done: r.ok, error: r.ok ? null : r.error });
  };

  // The heading agrees with the printer: it says "printing" only when a printer will print.
  const waiting = receiptFate(desk?.printer.state);
  const title = !props.justDone
    ? t('ui.receipt.previewTitle')
    : status === 'printed'
      ? t('ui.receipt.titlePrinted')
      : status === 'failed'
        ? t('ui.receipt.titleFailed')
        : waiting === 'no-printer'
          ? t('ui.receipt.titleNoPrinter')
          : waiting === 'printer'
            ? t('ui.receipt.titleWaiting')
            : t('ui.receipt.title');
  // The paper on the left; what happened and what to do next on the right, always in view.
  return (
    <main className="screen receipt" data-screen="receipt">
      <h1>{title}</h1>
      {props.drawn && <p className="big-text">{t('ui.receipt.drawn', { name: pick(props.drawn, lang) })}</p>}
      <div className="receipt-body">
        {preview.value && <ReceiptPaper preview={preview.value} />}
        <div className="receipt-side">
          {preview.value ? (
            <PrintState preview={preview.value} printer={desk?.printer.state} />
          ) : preview.loading ? (
            <Loading />
          ) : (
            <ErrorNote message={preview.error} onRetry={preview.reload} />
          )}
          <ReprintNote problem={reprint.error} />
          {reprint.done && <div className="note ok">{waiting === 'no-printer' ? t('ui.receipt.reprintQueued') : t('ui.receipt.reprinted')}</div>}
          <div className="receipt-actions">
            <button type="button" className="secondary big" onClick={() => void doReprint()} disabled={reprint.busy} data-testid="reprint">
              {t('ui.receipt.reprint')}
            </button>
            {props.onBack && (
              <button type="button" className="secondary big" onClick={props.onBack} data-testid="back-to-member">
                {t('ui.receipt.backToMember')}
              </button>
            )}
            <button type="button" className="primary big" onClick={props.onNext} data-testid="next-member">
              {t('ui.receipt.next')}
            </button>
          </div>
        </div>
      </div>
    </main>
  );
}

function PrintState(props: { preview: ReceiptPreview; printer: PrinterState | undefined }) {
  const { t } = useTranslation();
  const { status } = props.preview;
  const waiting = receiptFate(props.printer);
  const text =
    status === 'printed'
      ? t('ui.receipt.printed')
      : status === 'failed'
        ? t('ui.receipt.failed', { message: t('ui.ops.print.failed') })
        : waiting === 'no-printer'
          ? t('ui.receipt.noPrinter')
          : waiting === 'printer'
            ? t('ui.receipt.waiting', { state: t(`printerState.${props.printer}`) })
            : t('ui.receipt.pending');
  return (
    <div className={status === 'printed' ? 'note ok' : 'note'} data-testid="print-state" data-status={status}>
      {text}
    </div>
  );
}

export function ReceiptPaper(props: { preview: ReceiptPreview }) {
  const { t } = useTranslation();
  const { lang } = useDesk();
  const r = props.preview.receipt;
  const rows: [string, string][] = [
    [t('ui.receipt.kind'), t(`opKind.${r.kind}`)],
    [t('ui.receipt.opId'), r.opId],
    [t('ui.receipt.time'), formatDateTime(r.at, r.tz)],
    [t('ui.receipt.member'), `${r.member.maskedName} ${r.member.maskedPhone} · ${t(`tier.${r.member.tier}`)}`],
    [t('ui.receipt.staff'), r.staff.name],
  ];
  if (r.kind === 'void' && r.targetOpId) rows.push([t('ui.receipt.voidedOp'), r.targetKind ? `${t(`opKind.${r.targetKind}`)} · ${r.targetOpId}` : r.targetOpId]);
  if (r.approvedBy) rows.push([t('ui.receipt.approvedBy'), r.approvedBy.name]);
  if (r.subject) rows.push([t('ui.receipt.subject'), pick(r.subject.name, lang)]);
  if (r.valueFen > 0) rows.push([t('ui.receipt.valueLine'), formatYuan(r.valueFen)]);
  if (r.kind === 'return' && r.targetOpId) rows.push([t('receipt.returnOf'), r.targetOpId]);
  if (r.amountFen !== null) rows.push([t(r.kind === 'return' ? 'receipt.returnedAmount' : 'ui.receipt.amountLine'), formatYuan(r.amountFen)]);
  if (r.returned && r.returned.shortfall > 0) rows.push([t('receipt.shortfall'), formatPoints(r.returned.shortfall)]);
  // What the return left the member owing, worded as the return's confirmation said it (repaid from the next points).
  if (r.returned?.owed) rows.push([t('ui.owing.owed'), formatPoints(r.returned.owed)]);
  if (r.returned?.tierChange) rows.push([t('receipt.tierUndone'), `${t(`tier.${r.returned.tierChange.from}`)} → ${t(`tier.${r.returned.tierChange.to}`)}`]);
  if (r.pointsBefore !== r.pointsAfter) rows.push([t('ui.receipt.pointsLine'), `${formatPoints(r.pointsBefore)} → ${formatPoints(r.pointsAfter)}`]);
  return (
    <figure className="paper" data-testid="receipt-preview" aria-label={t('ui.receipt.previewTitle')}>
      <div className="paper-head">{pick(r.store.name, lang)}</div>
      {props.preview.copy && <div className="paper-copy">*** {t('ui.receipt.copy')} ***</div>}
      <dl>
        {rows.map(([k, v]) => (
          <div key={k} className="paper-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {r.offline && <div className="paper-foot">{t('ui.receipt.offline')}</div>}
    </figure>
  );
}

// What becomes of the receipt of a write, by the printer's state now. Every confirmation (核销, 累积,
// 兑换, 捐赠, 退货) takes its button's words and its receipt line from here, and the receipt screen its
// heading, so none says "并打印" when no printer will print (the receipt is only queued then).
import { useTranslation } from 'react-i18next';
import type { PrinterState } from '../../src/contract/terminalApi';
import { useDesk } from '../desk';
import { ErrorNote, useProblemText, type Problem } from './Notice';

/** Printer states in which a waiting receipt is printing now, not stuck in the queue. */
const PRINTING: readonly PrinterState[] = ['ready', 'paper-low', 'unknown'];

/** Printing now, no printer at all, or a printer that cannot print now. Before the first status: printing. */
export function receiptFate(printer: PrinterState | undefined): 'printing' | 'no-printer' | 'printer' {
  if (printer === 'not-configured') return 'no-printer';
  return printer === undefined || PRINTING.includes(printer) ? 'printing' : 'printer';
}

/**
 * A reprint's refusal. The core's answer while a paper of the receipt still waits (docs/print.md) is a
 * fact, not an error (nothing went wrong, nothing was added): a plain note. Any other: an error.
 */
export function ReprintNote(props: { problem: Problem | null }) {
  const words = useProblemText();
  const p = props.problem;
  if (p !== null && typeof p !== 'string' && p.code === 'RECEIPT_ALREADY_WAITING') {
    return (
      <div className="note" role="status" data-testid="reprint-waiting">
        {words(p)}
      </div>
    );
  }
  return <ErrorNote message={p} />;
}

export type ConfirmAct = 'redeem' | 'earn' | 'exchange' | 'donate' | 'return';

/** The confirm button's words: "核销并打印" only when a printer will print, else "确认核销". */
export function useConfirmLabel(act: ConfirmAct): string {
  const { t } = useTranslation();
  const { status } = useDesk();
  return t(`ui.confirmAct.${act}.${receiptFate(status?.printer.state) === 'printing' ? 'print' : 'only'}`);
}

/** A line in the confirmation when the receipt will wait: no printer set up, or the printer held up. */
export function ReceiptWhen() {
  const { t } = useTranslation();
  const { status } = useDesk();
  const state = status?.printer.state;
  const fate = receiptFate(state);
  if (fate === 'printing') return null;
  return (
    <p className="hint" data-testid="receipt-when" data-fate={fate}>
      {fate === 'no-printer' ? t('ui.receiptWhen.noPrinter') : t('ui.receiptWhen.held', { state: t(`printerState.${state}`) })}
    </p>
  );
}

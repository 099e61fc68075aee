// Receipt layout per operation kind, in the printer's language and paper width.
import { formatInstant, formatYuan } from '../i18n';
import type { Lang } from '../loyalty/types';
import type { Block, PaperCols, PrintDoc } from './doc';
import { barcodeDigitsForOpId } from './opIdCode';
import { center, labelValue, printable, shortId, wrap } from './text';
import { translatorFor } from './translators';
import type { ReceiptModel } from '../contract/deskTypes';

export interface LayoutOptions {
  cols: PaperCols;
  lang: Lang;
  /** operations.synced read at print time: an unsynced operation says OFFLINE — pending sync. */
  synced: boolean;
}

const points = (n: number): string => n.toLocaleString('en-US');
const signed = (n: number): string => (n > 0 ? `+${points(n)}` : points(n));

export function layoutReceipt(model: ReceiptModel, opts: LayoutOptions): PrintDoc {
  const { cols, lang } = opts;
  const tr = translatorFor(lang, model.tz);
  const t = (key: string): string => printable(tr.t(key));
  const row = (label: string, value: string): string[] => labelValue(printable(label), printable(value), cols);
  const centered = (text: string): string[] => wrap(printable(text), cols).map((l) => center(l, cols));
  const blocks: Block[] = [];
  const text = (lines: string[], extra: { bold?: boolean; tall?: boolean } = {}) => blocks.push({ t: 'text', lines, ...extra });

  text(centered(model.store.name[lang]), { bold: true, tall: true });
  text(centered(tr.t(`opKind.${model.kind}`)), { bold: true });
  if (model.copy) text(centered(tr.t('receipt.copy')), { bold: true });
  if (!opts.synced) text(centered(tr.t('receipt.offline')), { bold: true });
  blocks.push({ t: 'rule' });

  text([
    ...row(t('receipt.terminal'), model.terminalId),
    ...row(t('receipt.staff'), model.staff.name),
    ...row(t('receipt.time'), formatInstant(model.at, model.tz)),
    ...row(t('receipt.member'), `${model.member.maskedName} ${model.member.maskedPhone}`),
    ...row(t('receipt.tier'), tr.tier(model.member.tier)),
  ]);
  blocks.push({ t: 'rule' });

  const body: string[] = [];
  const subject = model.subject?.name[lang];
  switch (model.kind) {
    case 'redeem':
      if (subject) body.push(...row(t('receipt.benefit'), subject));
      body.push(...row(t('receipt.value'), formatYuan(model.valueFen)));
      if (model.amountFen !== null) body.push(...row(t('receipt.purchase'), formatYuan(model.amountFen)));
      break;
    case 'exchange':
      if (subject) body.push(...row(t('receipt.gift'), subject));
      body.push(...row(t('receipt.value'), formatYuan(model.valueFen)));
      break;
    case 'cash':
      body.push(...row(t('receipt.cashOff'), formatYuan(model.valueFen)));
      if (model.amountFen !== null) body.push(...row(t('receipt.purchase'), formatYuan(model.amountFen)));
      break;
    case 'donate':
      if (subject) body.push(...row(t('receipt.benefit'), subject));
      break;
    case 'earn':
      if (model.amountFen !== null) body.push(...row(t('receipt.purchase'), formatYuan(model.amountFen)));
      // A purchase above the approval threshold (rules.earn) names the manager who approved it.
      if (model.approvedBy) body.push(...row(t('receipt.approvedBy'), model.approvedBy.name));
      break;
    case 'void':
      if (model.targetKind) body.push(...row(t('receipt.voidedKind'), tr.t(`opKind.${model.targetKind}`)));
      if (model.targetOpId) body.push(...row(t('receipt.voided'), model.targetOpId));
      if (model.approvedBy) body.push(...row(t('receipt.approvedBy'), model.approvedBy.name));
      if (model.valueFen > 0) body.push(...row(t('receipt.value'), formatYuan(model.valueFen)));
      break;
    case 'return':
      if (model.targetOpId) body.push(...row(t('receipt.returnOf'), model.targetOpId));
      if (model.amountFen !== null) body.push(...row(t('receipt.returnedAmount'), formatYuan(model.amountFen)));
      for (const l of model.returned?.lines ?? []) {
        // The desk's own categories in the receipt's language; any other as HQ named it.
        if (l.category) body.push(...row(`  ${tr.t(`ui.earn.categories.${l.category}`, { defaultValue: l.category })}`, formatYuan(l.amountFen)));
      }
      if (model.returned) body.push(...row(t('receipt.pointsReturned'), points(model.returned.lines.reduce((s, l) => s + l.points, 0))));
      // Points already spent are not taken from the member: the receipt says how many, as HQ records them.
      if (model.returned && model.returned.shortfall > 0) body.push(...row(t('receipt.shortfall'), points(model.returned.shortfall)));
      // Spent points HQ's rules let the return take below zero: owed, and repaid from the next points.
      if (model.returned?.owed) {
        body.push(...row(t('receipt.owed'), points(model.returned.owed)));
        body.push(...wrap(t('receipt.owedNote'), cols));
      }
      if (model.returned?.tierChange) {
        body.push(...row(t('receipt.tierUndone'), `${tr.tier(model.returned.tierChange.from)} → ${tr.tier(model.returned.tierChange.to)}`));
      }
      break;
  }
  body.push(...row(t('receipt.pointsBefore'), points(model.pointsBefore)));
  if (model.pointsAfter !== model.pointsBefore) body.push(...row(t('receipt.pointsChange'), signed(model.pointsAfter - model.pointsBefore)));
  body.push(...row(t('receipt.pointsAfter'), points(model.pointsAfter)));
  text(body);
  blocks.push({ t: 'rule' });

  // A 36-character id never fits a 32-column line: broken over two it reads as two numbers. The
  // paper shows a short form on one line; the QR below carries the whole id for returns and reprints.
  const idLine = labelValue(t('receipt.opId'), model.opId, cols);
  text(idLine.length === 1 ? idLine : row(t('receipt.opId'), shortId(model.opId)));
  if (model.audit) text(row(t('receipt.audit'), `#${model.audit.seq} · ${model.audit.mark}`));
  blocks.push({ t: 'qr', data: model.opId });
  // Code128 only where it fits at a scannable module width (see opIdCode.ts).
  const digits = cols === 48 ? barcodeDigitsForOpId(model.opId) : null;
  if (digits) blocks.push({ t: 'barcode', digits });
  const footer = model.kind === 'void' ? 'receipt.footerVoid' : model.kind === 'return' ? 'receipt.footerReturn' : 'receipt.footer';
  text(centered(tr.t(footer)));
  if (model.copy) text(centered(tr.t('receipt.copy')));
  return { cols, blocks };
}

// The receipt of a lost-card replacement (挂失补卡): which card replaced which, masked as receipts
// mask (the member's masked name and phone, each card as ****last4), who did it and which manager
// approved. Stored in print_jobs (kind 'cardReplaced', op_id NULL: a replacement moves no points)
// and laid out at print time through the same PrintDoc, renderer, transports and queue.
import { z } from 'zod';
import { formatInstant } from '../i18n';
import { localizedTextSchema } from '../loyalty/schemas';
import type { Lang } from '../loyalty/types';
import type { Block, PaperCols, PrintDoc } from './doc';
import { breakId, center, labelValue, printable, wrap } from './text';
import { translatorFor } from './translators';

export const CARD_REPLACED_JOB = 'cardReplaced';

const person = z.object({ id: z.string(), name: z.string() }).strict();
const cardTail = z.string().regex(/^\d{4}$/);

export const cardReplacedReceiptSchema = z
  .object({
    v: z.literal(1),
    kind: z.literal(CARD_REPLACED_JOB),
    replaceId: z.string().min(1).max(64),
    /** For 今日业务's list; replacements recorded before it was kept have none. */
    memberId: z.string().min(1).max(64).optional(),
    at: z.number().int(),
    tz: z.string().min(1),
    storeName: localizedTextSchema,
    terminalId: z.string(),
    staff: person,
    approvedBy: person,
    member: z.object({ maskedName: z.string().max(64), maskedPhone: z.string().max(16) }).strict(),
    oldCardTail: cardTail,
    newCardTail: cardTail,
    /** A reprint (补打 from 今日业务) says so, as a reprinted receipt does. */
    copy: z.boolean().optional(),
  })
  .strict();
export type CardReplacedReceipt = z.infer<typeof cardReplacedReceiptSchema>;

/** A card as every receipt shows one: its last four digits. */
export const cardTailOf = (cardNo: string): string => cardNo.slice(-4);

export function layoutCardReplaced(model: CardReplacedReceipt, cols: PaperCols, lang: Lang): PrintDoc {
  const tr = translatorFor(lang, model.tz);
  const t = (key: string, params?: Record<string, string>): string => printable(String(tr.t(key, params)));
  const row = (label: string, value: string): string[] => labelValue(printable(label), printable(value), cols);
  const centered = (text: string): string[] => wrap(printable(text), cols).map((l) => center(l, cols));
  const blocks: Block[] = [];
  const text = (lines: string[], extra: { bold?: boolean; tall?: boolean } = {}) => blocks.push({ t: 'text', lines, ...extra });

  text(centered(model.storeName[lang]), { bold: true, tall: true });
  text(centered(t('receipt.cardReplaced.title')), { bold: true });
  if (model.copy) text(centered(t('receipt.copy')), { bold: true });
  blocks.push({ t: 'rule' });
  text([
    ...row(t('receipt.terminal'), model.terminalId),
    ...row(t('receipt.staff'), model.staff.name),
    ...row(t('receipt.approvedBy'), model.approvedBy.name),
    ...row(t('receipt.time'), formatInstant(model.at, model.tz)),
    ...row(t('receipt.member'), `${model.member.maskedName} ${model.member.maskedPhone}`),
  ]);
  blocks.push({ t: 'rule' });
  text([...row(t('receipt.cardReplaced.oldCard'), `****${model.oldCardTail}`), ...row(t('receipt.cardReplaced.newCard'), `****${model.newCardTail}`)], { bold: true });
  text(centered(t('receipt.cardReplaced.note', { old: `****${model.oldCardTail}`, new: `****${model.newCardTail}` })));
  blocks.push({ t: 'rule' });
  const idLine = labelValue(t('receipt.opId'), model.replaceId, cols);
  text(idLine.length === 1 ? idLine : [t('receipt.opId'), ...breakId(model.replaceId, cols)]);
  text(centered(t('receipt.footer')));
  return { cols, blocks };
}

/** What the print queue calls for a job of kind 'cardReplaced'. */
export function layoutCardReplacedJob(payload: unknown, cols: PaperCols, lang: Lang): PrintDoc {
  return layoutCardReplaced(cardReplacedReceiptSchema.parse(payload), cols, lang);
}

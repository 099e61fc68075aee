// The receipt of a lost-card replacement (挂失补卡): which card replaced which, masked as receipts
// mask (the member's masked name and phone, each card as ****last4), who did it and which manager
// approved. Stored in print_jobs (kind 'cardReplaced', op_id NULL: a replacement moves no points)
// and laid out at print time through the same PrintDoc, renderer, transports and queue.
import { z } from 'zod';
import { localizedTextSchema } from '../loyalty/schemas';
import type { Lang } from '../loyalty/types';
import type { PaperCols, PrintDoc } from './doc';
import { layoutOpLessSlip } from './opLessSlip';

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
  return layoutOpLessSlip({
    cols, lang, tz: model.tz, storeName: model.storeName, titleKey: 'receipt.cardReplaced.title', copy: model.copy === true,
    terminalId: model.terminalId, staffName: model.staff.name, approverName: model.approvedBy.name, at: model.at, member: model.member, id: model.replaceId,
    body: ({ t, row, centered, text }) => {
      const old = `****${model.oldCardTail}`;
      const now = `****${model.newCardTail}`;
      text([...row(t('receipt.cardReplaced.oldCard'), old), ...row(t('receipt.cardReplaced.newCard'), now)], { bold: true });
      text(centered(t('receipt.cardReplaced.note', { old, new: now })));
    },
  });
}

/** What the print queue calls for a job of kind 'cardReplaced'. */
export function layoutCardReplacedJob(payload: unknown, cols: PaperCols, lang: Lang): PrintDoc {
  return layoutCardReplaced(cardReplacedReceiptSchema.parse(payload), cols, lang);
}

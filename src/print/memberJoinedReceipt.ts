// The slip of a sign-up (开卡凭条): the new card's number as receipts show one (****last4), the member
// masked as receipts mask, the privacy terms version they agreed to and who recorded it. Stored in
// print_jobs (kind 'memberJoined', op_id NULL: a sign-up moves no points, docs/join.md) so the desk's
// 今日业务 lists it and 补打 reprints it, as it does a 补卡凭条.
import { z } from 'zod';
import { formatInstant } from '../i18n';
import { localizedTextSchema } from '../loyalty/schemas';
import type { Lang } from '../loyalty/types';
import type { Block, PaperCols, PrintDoc } from './doc';
import { breakId, center, labelValue, printable, wrap } from './text';
import { translatorFor } from './translators';

export const MEMBER_JOINED_JOB = 'memberJoined';

export const memberJoinedReceiptSchema = z
  .object({
    v: z.literal(1),
    kind: z.literal(MEMBER_JOINED_JOB),
    joinId: z.string().min(1).max(64),
    memberId: z.string().min(1).max(64),
    at: z.number().int(),
    tz: z.string().min(1),
    storeName: localizedTextSchema,
    terminalId: z.string(),
    staff: z.object({ id: z.string(), name: z.string() }).strict(),
    member: z.object({ maskedName: z.string().max(64), maskedPhone: z.string().max(16) }).strict(),
    cardTail: z.string().regex(/^\d{4}$/),
    termsVersion: z.number().int().min(1),
    /** A reprint (补打 from 今日业务) says so, as a reprinted receipt does. */
    copy: z.boolean().optional(),
  })
  .strict();
export type MemberJoinedReceipt = z.infer<typeof memberJoinedReceiptSchema>;

export function layoutMemberJoined(model: MemberJoinedReceipt, cols: PaperCols, lang: Lang): PrintDoc {
  const tr = translatorFor(lang, model.tz);
  const t = (key: string, params?: Record<string, string | number>): string => printable(String(tr.t(key, params)));
  const row = (label: string, value: string): string[] => labelValue(printable(label), printable(value), cols);
  const centered = (text: string): string[] => wrap(printable(text), cols).map((l) => center(l, cols));
  const blocks: Block[] = [];
  const text = (lines: string[], extra: { bold?: boolean; tall?: boolean } = {}) => blocks.push({ t: 'text', lines, ...extra });

  text(centered(model.storeName[lang]), { bold: true, tall: true });
  text(centered(t('receipt.memberJoined.title')), { bold: true });
  if (model.copy) text(centered(t('receipt.copy')), { bold: true });
  blocks.push({ t: 'rule' });
  text([
    ...row(t('receipt.terminal'), model.terminalId),
    ...row(t('receipt.staff'), model.staff.name),
    ...row(t('receipt.time'), formatInstant(model.at, model.tz)),
    ...row(t('receipt.member'), `${model.member.maskedName} ${model.member.maskedPhone}`),
  ]);
  blocks.push({ t: 'rule' });
  text(row(t('receipt.memberJoined.card'), `****${model.cardTail}`), { bold: true });
  text(row(t('receipt.memberJoined.terms'), t('receipt.memberJoined.termsVersion', { version: model.termsVersion })));
  text(centered(t('receipt.memberJoined.note')));
  blocks.push({ t: 'rule' });
  const idLine = labelValue(t('receipt.opId'), model.joinId, cols);
  text(idLine.length === 1 ? idLine : [t('receipt.opId'), ...breakId(model.joinId, cols)]);
  text(centered(t('receipt.footer')));
  return { cols, blocks };
}

/** What the print queue calls for a job of kind 'memberJoined'. */
export function layoutMemberJoinedJob(payload: unknown, cols: PaperCols, lang: Lang): PrintDoc {
  return layoutMemberJoined(memberJoinedReceiptSchema.parse(payload), cols, lang);
}

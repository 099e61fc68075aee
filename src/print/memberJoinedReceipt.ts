// The slip of a sign-up (开卡凭条): the new card's number as receipts show one (****last4), the member
// masked as receipts mask, the privacy terms version they agreed to and who recorded it. Stored in
// print_jobs (kind 'memberJoined', op_id NULL: a sign-up moves no points, docs/join.md) so the desk's
// 今日业务 lists it and 补打 reprints it, as it does a 补卡凭条.
import { z } from 'zod';
import { localizedTextSchema } from '../loyalty/schemas';
import type { Lang } from '../loyalty/types';
import type { PaperCols, PrintDoc } from './doc';
import { layoutOpLessSlip } from './opLessSlip';

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
  return layoutOpLessSlip({
    cols, lang, tz: model.tz, storeName: model.storeName, titleKey: 'receipt.memberJoined.title', copy: model.copy === true,
    terminalId: model.terminalId, staffName: model.staff.name, at: model.at, member: model.member, id: model.joinId,
    body: ({ t, row, centered, text }) => {
      text(row(t('receipt.memberJoined.card'), `****${model.cardTail}`), { bold: true });
      text(row(t('receipt.memberJoined.terms'), t('receipt.memberJoined.termsVersion', { version: model.termsVersion })));
      text(centered(t('receipt.memberJoined.note')));
    },
  });
}

/** What the print queue calls for a job of kind 'memberJoined'. */
export function layoutMemberJoinedJob(payload: unknown, cols: PaperCols, lang: Lang): PrintDoc {
  return layoutMemberJoined(memberJoinedReceiptSchema.parse(payload), cols, lang);
}

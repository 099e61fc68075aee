// What HQ's admin endpoints accept: zod schemas, and one parse helper that turns a failure into a
// BAD_REQUEST naming the first problem.
import { z } from 'zod';
import { loyaltyRulesSchema } from '../loyalty/rules';
import { checkStaffName, STAFF_NAME_MAX_HQ, type StaffNameRefusal } from '../loyalty/staffName';
import { benefitDefSchema, localizedTextSchema, timeZoneSchema } from '../loyalty/schemas';
import { catalogDataSchema, memberDataSchema, NAME_DISPLAYS, revocationDataSchema } from '../sync/protocolEntities';
import { HqError } from './errors';
import { MAX_PHONE_TEXT, normalizePhone } from '../loyalty/phone';

export const idSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'ids are 1–64 letters, digits, . _ or -');

export const storesBody = z.object({
  stores: z.array(z.object({ id: idSchema, name: localizedTextSchema, tz: timeZoneSchema })).min(1).max(1000),
});
/** A mobile number HQ accepts (src/loyalty/phone.ts), stored in its E.164 form. */
export const adminPhoneSchema = z.string().max(MAX_PHONE_TEXT).transform((text, ctx) => {
  const e164 = normalizePhone(text);
  if (e164 === null) {
    ctx.addIssue({ code: 'custom', message: 'not a mobile number the desk takes (mainland 1[3-9] and 10 more digits, +852 or +886 forms)' });
    return z.NEVER;
  }
  return e164;
});
export const adminMemberSchema = memberDataSchema.omit({ phoneHash: true, phoneLast4: true }).extend({
  id: idSchema,
  phone: adminPhoneSchema,
  months: memberDataSchema.shape.months.default([]),
  lots: memberDataSchema.shape.lots.default([]),
  grants: memberDataSchema.shape.grants.default([]),
});
export type AdminMember = z.infer<typeof adminMemberSchema>;
export const membersBody = z.object({ members: z.array(adminMemberSchema).min(1).max(5_000) });
export const benefitsBody = z.object({ benefits: z.array(benefitDefSchema).min(1).max(1000) });
export const catalogBody = z.object({ items: z.array(catalogDataSchema.extend({ id: idSchema })).min(1).max(1000) });
export const rulesBody = loyaltyRulesSchema;
const termsText = z.string().min(1).max(20_000);
/** The brand's privacy terms in the desk's three languages (docs/join.md). */
export const termsBody = z.object({ version: z.int().min(1).max(2_147_483_647), text: z.object({ 'zh-CN': termsText, 'zh-TW': termsText, en: termsText }).strict() }).strict();
export const brandBody = z.object({ nameDisplay: z.enum(NAME_DISPLAYS) }).strict();
export const limitsBody = z.object({ offline: loyaltyRulesSchema.shape.offline.nullable() });
// The desk's staff-name rule (src/loyalty/staffName.ts), with HQ's 80 characters; HQ's admin API
// answers in English, naming the desk's error code and the reason.
const STAFF_NAME_REASONS: Record<StaffNameRefusal, string> = {
  blank: 'it is blank',
  control: 'it holds a control character (NUL, a line break…)',
  bidi: 'it holds a text-direction control (U+202A–U+202E, U+2066–U+2069, LRM/RLM)',
  invisible: 'it holds an invisible character (a zero-width space, joiner, soft hyphen…)',
  tooLong: `it is longer than ${STAFF_NAME_MAX_HQ} characters`,
};
const staffNameSchema = z
  .string()
  .max(4 * STAFF_NAME_MAX_HQ)
  .transform((raw, ctx) => {
    const checked = checkStaffName(raw, STAFF_NAME_MAX_HQ);
    if (checked.ok) return checked.name;
    ctx.addIssue({ code: 'custom', message: `STAFF_NAME_INVALID (${checked.reason}): ${STAFF_NAME_REASONS[checked.reason]}` });
    return z.NEVER;
  });
export const staffBody = z.object({
  staff: z
    .array(
      z.object({
        id: idSchema,
        storeId: idSchema,
        name: staffNameSchema,
        role: z.enum(['clerk', 'manager']),
        pin: z.string().regex(/^\d{4,8}$/, 'a PIN is 4–8 digits'),
        active: z.boolean().default(true),
      }),
    )
    .min(1)
    .max(1000),
});
export const stockBody = z.object({
  storeId: idSchema,
  items: z.array(z.object({ sku: z.string().min(1).max(64), name: localizedTextSchema, qty: z.int().min(0) })).min(1).max(5000),
});
export const keyImportBody = z.object({
  jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), kid: idSchema, x: z.string().regex(/^[A-Za-z0-9_-]{43}$/), d: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  validFrom: z.int().optional(),
});
export const rotateKeyBody = z.object({ retire: idSchema.optional() });
export const revokeBody = revocationDataSchema.pick({ memberId: true, cardSerial: true }).extend({ reason: z.string().max(200).optional() });
export const enrollmentCodeBody = z.object({ storeId: idSchema.optional() });
export const storeQuery = z.object({ storeId: idSchema.optional() });

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new HqError('BAD_REQUEST', `the request is not valid: ${where}${issue?.message ?? 'unknown problem'}`);
}

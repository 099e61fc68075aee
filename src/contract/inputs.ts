// zod schemas for everything that enters the core: TerminalApi calls, CLI arguments, config.
import { z } from 'zod';

/** A member id as HQ issues them. */
export const memberIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a member id is 1–40 letters, digits, - or _');
export const entityIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'an id is 1–64 letters, digits, ., :, - or _');
/** A plain card number: 10–19 digits. */
export const cardNoSchema = z.string().regex(/^\d{10,19}$/, 'a card number is 10–19 digits');
export const opIdSchema = z.string().uuid('an operation id is a UUID');
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'a PIN is 4–8 digits');
/** Up to ¥10,000,000: beyond that an amount at a service desk is a typo. */
export const MAX_AMOUNT_FEN = 1_000_000_000;
export const amountFenSchema = z.number().int('fen are whole numbers').nonnegative().max(MAX_AMOUNT_FEN);
export const pointsSchema = z.number().int('points are whole numbers').positive().max(100_000_000);
export const categorySchema = z.string().regex(/^[a-z0-9_]{1,32}$/, 'a category is 1–32 lowercase letters, digits or _');

/** A phone number as typed (the core decides whether it is one: PHONE_INVALID). */
export const phoneTextSchema = z.string().trim().min(1, 'the phone number is empty').max(32, 'a phone number is at most 32 characters');
export const memberRefSchema = z.union([
  z.object({ memberId: memberIdSchema }).strict(),
  z.object({ cardNo: cardNoSchema }).strict(),
  z.object({ phone: phoneTextSchema }).strict(),
]);

export const purchaseLinesSchema = z
  .array(z.object({ category: categorySchema, amountFen: amountFenSchema.positive() }).strict())
  .min(1)
  .max(100);

export const redeemInputSchema = z
  .object({ memberId: memberIdSchema, benefitId: entityIdSchema, amountFen: amountFenSchema.nullable().optional() })
  .strict();
/** What an earn would do, asked before it is made (points.earnPreview): the earn's input without its approval. */
export const earnPreviewInputSchema = z.object({ memberId: memberIdSchema, lines: purchaseLinesSchema }).strict();
/** managerPin: a manager's approval typed at the desk, needed above the rules' threshold (rules.earn). */
export const earnInputSchema = earnPreviewInputSchema.extend({ managerPin: pinSchema.optional() }).strict();
export const exchangeInputSchema = z.object({ memberId: memberIdSchema, itemId: entityIdSchema }).strict();
export const cashInputSchema = z.object({ memberId: memberIdSchema, points: pointsSchema, amountFen: amountFenSchema.positive() }).strict();
export const donateInputSchema = z.object({ memberId: memberIdSchema, points: pointsSchema }).strict();
export const voidInputSchema = z.object({ opId: opIdSchema, managerPin: pinSchema.optional() }).strict();
/** 挂失补卡: the member's lost card replaced; managerPin: a manager's approval typed at the desk (a manager signed in approves alone). */
export const replaceCardInputSchema = z.object({ memberId: memberIdSchema, managerPin: pinSchema.optional() }).strict();
export const replaceCardPreviewInputSchema = z.object({ memberId: memberIdSchema }).strict();
export const reprintInputSchema = z.object({ opId: opIdSchema }).strict();
export const signInInputSchema = z.object({ pin: pinSchema }).strict();
export const emptyInputSchema = z.object({}).strict();

/**
 * 开卡 (member.join): the phone typed twice, the name, optionally the birthday (MM-DD) and a referrer
 * (member id, card or phone number, or their member code). consentTermsVersion: the terms version
 * the member agreed to on the terms screen; without it the answer is CONSENT_REQUIRED (with the
 * version to show) once everything else is right. The core checks what the text means (typed errors).
 */
export const joinInputSchema = z
  .object({
    phone: phoneTextSchema,
    phoneAgain: phoneTextSchema,
    name: z.string().max(200, 'a name is at most 200 characters'),
    birthday: z.string().trim().max(10, 'a birthday is MM-DD').nullable().optional(),
    referrer: z.string().trim().min(1, 'the referrer is empty').max(512, 'a referrer is at most 512 characters').nullable().optional(),
    consentTermsVersion: z.number().int().min(1).max(2_147_483_647).nullable().optional(),
  })
  .strict();
/**
 * A return of a purchase (docs/returns.md): the whole of what is left (neither amount nor lines), an
 * amount, or lines CATEGORY:FEN — never both. `memberId`: the member the desk has on screen, whose
 * purchase it must be.
 */
export const returnInputSchema = z
  .object({
    opId: opIdSchema,
    memberId: memberIdSchema.optional(),
    amountFen: amountFenSchema.positive().optional(),
    lines: purchaseLinesSchema.optional(),
  })
  .strict()
  .refine((r) => r.amountFen === undefined || r.lines === undefined, { message: 'give an amount or lines, not both', path: ['lines'] });
/** What a return would do, or only what the purchase allows (no amount, no lines, `whole: false`). */
export const returnQuoteInputSchema = z
  .object({ opId: opIdSchema, memberId: memberIdSchema.optional(), amountFen: amountFenSchema.positive().optional(), lines: purchaseLinesSchema.optional(), whole: z.boolean().optional() })
  .strict()
  .refine((r) => r.amountFen === undefined || r.lines === undefined, { message: 'give an amount or lines, not both', path: ['lines'] });

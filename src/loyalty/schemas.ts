// zod schemas for the loyalty types that cross a boundary (database JSON columns, sync payloads).
import { z } from 'zod';
import { SERVICE_KINDS, TIER_CODES, type BenefitDef, type BenefitParams, type LocalizedText } from './types';

const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const text = z.string().min(1).max(200);

export const localizedTextSchema = z.object({ 'zh-CN': text, 'zh-TW': text, en: text }) satisfies z.ZodType<LocalizedText>;
export const tierCodeSchema = z.enum(TIER_CODES);
/**
 * A zone the runtime's Intl knows. Every "today", birthday month and receipt time is computed in the
 * store's zone, so an unknown one would make each of them throw: refused where it crosses a boundary.
 */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((v) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return true;
    } catch {
      return false;
    }
  }, 'not an IANA time zone');
export const tierListSchema = z.array(tierCodeSchema);
const sku = z.string().min(1).max(64);

export const benefitParamsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('threshold_coupon'), thresholdFen: fen, offFen: fen }),
  z.object({ type: z.literal('discount_coupon'), payPermille: z.number().int().min(1).max(1000), maxOffFen: fen, minSpendFen: fen }),
  z.object({ type: z.literal('voucher'), valueFen: fen }),
  z.object({ type: z.literal('gift'), sku, valueFen: fen }),
  z.object({ type: z.literal('service'), service: z.enum(SERVICE_KINDS), valueFen: fen }),
  z.object({ type: z.literal('birthday_gift'), sku, valueFen: fen }),
  z.object({
    type: z.literal('blind_box'),
    pool: z.array(z.object({ sku, name: localizedTextSchema, weight: z.number().int().nonnegative(), valueFen: fen })).min(1),
  }),
  z.object({ type: z.literal('tier_welcome'), tier: tierCodeSchema, sku, valueFen: fen }),
  z.object({ type: z.literal('win_back'), dormantDays: z.number().int().positive(), thresholdFen: fen, offFen: fen }),
  z.object({ type: z.literal('referral_reward'), valueFen: fen }),
  z.object({ type: z.literal('member_day'), thresholdFen: fen, offFen: fen }),
]) satisfies z.ZodType<BenefitParams>;

export const benefitDefSchema = z.object({
  id: z.string().min(1).max(64),
  name: localizedTextSchema,
  params: benefitParamsSchema,
  validFrom: z.number().int(),
  validTo: z.number().int(),
  tiers: tierListSchema,
  stores: z.array(z.string().min(1)),
  perMemberLimit: z.number().int().positive().nullable(),
  perDayLimit: z.number().int().positive().nullable(),
  offlineRedeemable: z.boolean(),
  requiresGrant: z.boolean(),
}) satisfies z.ZodType<BenefitDef>;

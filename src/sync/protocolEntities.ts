// Change records HQ sends in a pull page: one per entity row, a tombstone when it was deleted.
// Every record names its entity, its id, its change sequence and either data or `deleted: true`.
import { z } from 'zod';
import { cardCodeSchema } from './cardCode';
import { benefitDefSchema, localizedTextSchema, tierCodeSchema, tierListSchema, timeZoneSchema } from '../loyalty/schemas';
import { loyaltyRulesSchema } from '../loyalty/rules';
import { PHONE_HASH_PATTERN, PHONE_KEY_PATTERN } from '../loyalty/phone';

const fen = z.int().nonnegative();
const instant = z.int();

export const monthActivitySchema = z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), visits: z.int().nonnegative(), spendFen: fen });
export const lotSchema = z.object({
  /** HQ's key for the lot: the earning operation's id, or a key HQ made (seeded, migrated). */
  key: z.string().min(1).max(64),
  earnedAt: instant,
  expiresAt: instant,
  points: z.int().positive(),
  remaining: z.int().nonnegative(),
});
/**
 * A member's brand-wide use of one benefit as HQ counted it (protocol v2): non-voided redemptions,
 * the business day of the last one and how many fell on that day, and when the last one was.
 */
export const usageSchema = z.object({
  benefitId: z.string().min(1).max(80),
  total: z.int().nonnegative(),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  dayCount: z.int().nonnegative(),
  lastAt: instant.nullable(),
});
export const grantSchema = z.object({ benefitId: z.string().min(1), grantedAt: instant, reason: z.string().max(80), usedOpId: z.string().nullable() });

/**
 * A member as a terminal holds them (docs/privacy.md): never the phone number, only its keyed hash
 * (to find and check the member by the number they say) and its last four digits (to show); the name
 * as the brand's setting says (full, or surname and mask); the birthday as month and day.
 */
export const memberDataSchema = z.object({
  cardNo: z.string().regex(/^\d{10,19}$/),
  name: z.string().min(1).max(80),
  phoneHash: z.string().regex(PHONE_HASH_PATTERN),
  phoneLast4: z.string().regex(/^\d{4}$/),
  birthday: z.string().regex(/^\d{2}-\d{2}$/).nullable(),
  tier: tierCodeSchema,
  tierSince: instant,
  cardSerial: z.int().min(1),
  status: z.enum(['active', 'revoked']),
  joinedAt: instant,
  lastPurchaseAt: instant.nullable(),
  months: z.array(monthActivitySchema),
  lots: z.array(lotSchema),
  grants: z.array(grantSchema),
  /** Absent from HQs before issue 17 (and from v1 feeds): no usage beyond this terminal's own. */
  usage: z.array(usageSchema).max(1_000).optional(),
  /** Points the member owes after a return (docs/returns.md "Owing points"); absent: none. */
  owed: z.int().min(0).max(1_000_000_000).optional(),
});
export type MemberData = z.infer<typeof memberDataSchema>;

/** How terminals show a member's name: whole, or the surname and a mask (谢*). */
export const NAME_DISPLAYS = ['full', 'masked'] as const;
export type NameDisplay = (typeof NAME_DISPLAYS)[number];
/** The brand's privacy settings a terminal needs (protocol v2 only): the phone key and the name display. */
export const brandDataSchema = z.object({ phoneKey: z.string().regex(PHONE_KEY_PATTERN), nameDisplay: z.enum(NAME_DISPLAYS) });
export type BrandData = z.infer<typeof brandDataSchema>;

/** The brand's privacy terms, one row per published version (the terminal shows the highest). */
const termsText = z.string().min(1).max(20_000);
export const termsDataSchema = z.object({
  version: z.int().min(1).max(2_147_483_647),
  text: z.object({ 'zh-CN': termsText, 'zh-TW': termsText, en: termsText }),
  publishedAt: instant,
});
export type TermsData = z.infer<typeof termsDataSchema>;
/** Card numbers HQ reserved for one terminal's sign-ups: issued numbers start … start + size − 1 (src/loyalty/cardNumber.ts). */
export const cardBlockDataSchema = z.object({ terminalId: z.string().min(1).max(80), start: z.int().min(1), size: z.int().min(1).max(100_000) });
/** A member id (and its card) merged into another member: it still finds that member (docs/join.md). */
/** A replaced card (id: its number): it names the member and the card that replaced it (docs/lostcard.md). */
export const cardReplacedDataSchema = z.object({
  memberId: z.string().min(1).max(80),
  cardSerial: z.int().min(1),
  replacedBy: z.string().regex(/^\d{10,19}$/),
  at: instant,
  /** The static code HQ signed for the new card (src/sync/cardCode.ts); null or absent: none (yet). */
  code: cardCodeSchema.nullable().optional(),
});
export const aliasDataSchema = z.object({ memberId: z.string().min(1).max(80), cardNo: z.string().regex(/^\d{10,19}$/).nullable() });

export const catalogDataSchema = z.object({
  name: localizedTextSchema,
  sku: z.string().min(1).max(64),
  pointsCost: z.int().positive(),
  valueFen: fen,
  tiers: tierListSchema,
  active: z.boolean(),
});
export const keyDataSchema = z.object({ x: z.string().regex(/^[A-Za-z0-9_-]{43}$/), validFrom: instant, validTo: instant.nullable() });
export const revocationDataSchema = z.object({ memberId: z.string().min(1), cardSerial: z.int().nonnegative(), revokedAt: instant, reason: z.string().max(200).nullable() });
export const staffDataSchema = z.object({
  name: z.string().min(1).max(80),
  role: z.enum(['clerk', 'manager']),
  /** scrypt under the store's salt (store record pinSalt), the terminal's own scheme (docs/store.md). */
  pinHash: z.string().regex(/^[A-Za-z0-9+/]{43}=$/),
  active: z.boolean(),
});
export const stockDataSchema = z.object({ name: localizedTextSchema, qty: z.int() });
export const storeDataSchema = z.object({ name: localizedTextSchema, tz: timeZoneSchema, pinSalt: z.string().regex(/^[A-Za-z0-9+/]{22}==$/) });

/** Protocol v1's conflict kinds and decisions: a v1 terminal is sent only these. */
export const CONFLICT_KINDS_V1 = ['benefit_limit', 'points_overdraw', 'revoked_card', 'unknown_member'] as const;
export const CONFLICT_DECISIONS_V1 = ['honored', 'points_floored', 'recorded'] as const;
/**
 * Every reason HQ records when an operation disagrees with what HQ computes (docs/authority.md).
 * A terminal that meets a kind it does not know sets the row aside instead of failing its pull.
 */
export const CONFLICT_KINDS = [
  ...CONFLICT_KINDS_V1,
  'malformed',
  'time_out_of_range',
  'business_date',
  'staff_unknown',
  'approver_invalid',
  'points_recomputed',
  'points_sign',
  'value_adjusted',
  'earn_capped',
  'earn_refused',
  'tier_not_confirmed',
  'unknown_benefit',
  'unknown_item',
  'benefit_not_allowed',
  'void_target',
  // Returns (docs/returns.md): a return HQ cannot stand behind, and points a return could not take back.
  'return_target',
  'return_shortfall',
  'audit_truncated',
  'audit_rewritten',
  // Sign-ups (docs/join.md): refused (detail.reason says why), merged into the member HQ had first,
  // a referrer HQ does not know (the sign-up stands without one), a once-only benefit both merged
  // members had used.
  'signup_refused',
  'signup_merged',
  'referrer_unknown',
  'merge_benefit_twice',
  // 挂失补卡 (docs/lostcard.md): a replacement HQ would not take (detail.reason says why).
  'card_replace_refused',
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
/** applied_as_hq: HQ applied its own computation instead of the terminal's; refused: not applied at all. */
export const CONFLICT_DECISIONS = [...CONFLICT_DECISIONS_V1, 'applied_as_hq', 'refused'] as const;
export type ConflictDecision = (typeof CONFLICT_DECISIONS)[number];
export const conflictSchema = z.object({
  id: z.int().positive(),
  opId: z.string(),
  terminalId: z.string(),
  memberId: z.string(),
  kind: z.enum(CONFLICT_KINDS),
  /** honored (the redemption stands, flagged for the manager), points_floored (burned what was there), applied_as_hq, refused. */
  decision: z.enum(CONFLICT_DECISIONS),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  at: instant,
  decidedAt: instant,
});
export type ConflictWire = z.infer<typeof conflictSchema>;

const base = { id: z.string().min(1).max(80), seq: z.int().positive() };
function entity<N extends string, D extends z.ZodType>(name: N, data: D) {
  return z.union([
    z.object({ entity: z.literal(name), ...base, deleted: z.literal(false), data }),
    z.object({ entity: z.literal(name), ...base, deleted: z.literal(true) }),
  ]);
}

export const changeSchema = z.union([
  entity('member', memberDataSchema),
  entity('benefit', benefitDefSchema.omit({ id: true })),
  entity('catalog', catalogDataSchema),
  entity('rules', loyaltyRulesSchema),
  entity('key', keyDataSchema),
  entity('revocation', revocationDataSchema),
  entity('staff', staffDataSchema),
  entity('stock', stockDataSchema),
  entity('store', storeDataSchema),
  entity('conflict', conflictSchema.omit({ id: true })),
  entity('brand', brandDataSchema),
  entity('terms', termsDataSchema),
  entity('cardBlock', cardBlockDataSchema),
  entity('alias', aliasDataSchema),
  entity('cardReplaced', cardReplacedDataSchema),
]);
export type Change = z.infer<typeof changeSchema>;
export type ChangeOf<E extends Change['entity']> = Extract<Change, { entity: E }>;

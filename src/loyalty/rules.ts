// The default loyalty rules (DESIGN.md "The loyalty model") and the schema that rules from HQ
// must pass before the terminal trusts them.
import { z } from 'zod';
import { TIER_CODES } from './types';
import type { LoyaltyRules } from './types';

/** 老带新 (issue 17): 200 points to the referrer, 100 to the new member, at the new member's first purchase. */
const DEFAULT_REFERRAL = { referrerPoints: 200, refereePoints: 100, referrerBenefitId: null, refereeBenefitId: null };

/** Returns within 30 days; points already spent are not owed (the balance never goes below zero). */
const DEFAULT_RETURNS = { windowDays: 30, allowNegative: false, negativeLimitPoints: 0 };

const DEFAULT_EARN_LIMITS = {
  maxPointsPerLine: 200_000,
  maxPointsPerEarn: 400_000,
  maxPointsPerMemberDay: 500_000,
  approvalAboveFen: 1_000_000,
  refuseAboveFen: 10_000_000,
};

export const DEFAULT_RULES: LoyaltyRules = {
  version: 1,
  tiers: [
    { code: 'basic', minVisits: 0, minSpendFen: 0, payPermille: 900 },
    { code: 'advanced', minVisits: 4, minSpendFen: 200_000, payPermille: 850 },
    { code: 'core', minVisits: 7, minSpendFen: 800_000, payPermille: 800 },
    { code: 'premium', minVisits: 11, minSpendFen: 2_000_000, payPermille: 700 },
  ],
  tierWindowMonths: 12,
  points: {
    pointsPerYuan: 1,
    birthdayMultiplier: 2,
    memberDayOfMonth: 8,
    memberDayMultiplier: 2,
    promoStacking: 'max',
    categoryMultipliers: { cosmetics: 2, gift_card: 0 },
    lotLifetimeMonths: 12,
    expiryNoticeDays: 30,
    cashPointsPerYuan: 100,
    cashMaxPercentOfPurchase: 50,
    donationMinPoints: 100,
  },
  offline: {
    maxValuePerRedemptionFen: 50_000,
    maxUnsyncedValueFen: 500_000,
    maxPointsBurnedPerMember: 5_000,
    maxHoursSinceSync: 720,
  },
  // ¥300 goes through, ¥30,000 needs the manager, ¥2,580,000 is refused (issue 15).
  earn: DEFAULT_EARN_LIMITS,
  referral: DEFAULT_REFERRAL,
  returns: { ...DEFAULT_RETURNS },
};

const count = z.int().min(0);
const fen = z.int().min(0);
const multiplier = z.number().min(0).max(1000);

const tierRuleSchema = z.object({
  code: z.enum(TIER_CODES),
  minVisits: count,
  minSpendFen: fen,
  payPermille: z.int().min(1).max(1000),
});

export const loyaltyRulesSchema = z.object({
  version: z.int().min(0),
  tiers: z
    .array(tierRuleSchema)
    .min(1)
    .superRefine((tiers, ctx) => {
      // The first tier is the floor every member holds (evaluateTier never tests its thresholds),
      // so it must be basic with zero thresholds, or a stored "basic" member would have no rule.
      const first = tiers[0];
      if (first && (first.code !== 'basic' || first.minVisits !== 0 || first.minSpendFen !== 0)) {
        ctx.addIssue({ code: 'custom', path: [0], message: 'the first tier must be basic with zero thresholds' });
      }
      for (let i = 1; i < tiers.length; i++) {
        const prev = tiers[i - 1];
        const cur = tiers[i];
        if (!prev || !cur) continue;
        if (TIER_CODES.indexOf(cur.code) <= TIER_CODES.indexOf(prev.code)) {
          ctx.addIssue({ code: 'custom', path: [i, 'code'], message: 'tiers must be in ascending order, each once' });
        }
        if (cur.minVisits < prev.minVisits || cur.minSpendFen < prev.minSpendFen) {
          ctx.addIssue({ code: 'custom', path: [i], message: 'tier thresholds must not decrease' });
        }
      }
    }),
  tierWindowMonths: z.int().min(1).max(120),
  points: z.object({
    pointsPerYuan: multiplier,
    birthdayMultiplier: multiplier,
    memberDayOfMonth: z.int().min(1).max(28),
    memberDayMultiplier: multiplier,
    promoStacking: z.enum(['max', 'multiply']),
    categoryMultipliers: z.record(z.string(), multiplier),
    lotLifetimeMonths: z.int().min(1).max(120),
    expiryNoticeDays: count,
    cashPointsPerYuan: z.int().min(1),
    cashMaxPercentOfPurchase: z.int().min(0).max(100),
    donationMinPoints: count,
  }),
  offline: z.object({
    maxValuePerRedemptionFen: fen,
    maxUnsyncedValueFen: fen,
    maxPointsBurnedPerMember: count,
    maxHoursSinceSync: count,
  }),
  // Rules published before earning limits existed get the defaults rather than none.
  earn: z
    .object({
      maxPointsPerLine: count,
      maxPointsPerEarn: count,
      maxPointsPerMemberDay: count,
      approvalAboveFen: fen,
      refuseAboveFen: fen,
    })
    .refine((e) => e.approvalAboveFen <= e.refuseAboveFen, { message: 'the approval threshold must not exceed the refusal cap' })
    .default(() => ({ ...DEFAULT_EARN_LIMITS })),
  // Rules published before referrals existed get the defaults.
  referral: z
    .object({
      referrerPoints: count.max(1_000_000),
      refereePoints: count.max(1_000_000),
      referrerBenefitId: z.string().min(1).max(64).nullable(),
      refereeBenefitId: z.string().min(1).max(64).nullable(),
    })
    .default(() => ({ ...DEFAULT_REFERRAL })),
  // Rules published before returns existed get the 30-day window; before owing existed, no owing.
  returns: z
    .object({
      windowDays: z.int().min(0).max(3650),
      allowNegative: z.boolean().default(false),
      negativeLimitPoints: count.max(1_000_000).default(0),
    })
    .default(() => ({ ...DEFAULT_RETURNS })),
});

// Compile-time proof that the schema and the hand-written type describe the same shape: if either
// drifts, this line stops compiling.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const schemaMatchesType: Equals<z.infer<typeof loyaltyRulesSchema>, LoyaltyRules> = true;
void schemaMatchesType;

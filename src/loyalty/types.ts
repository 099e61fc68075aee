// Domain types of the loyalty model (DESIGN.md "The loyalty model").
// Everything here is plain data: the clock, the store's time zone and new ids come in as arguments.

/** Integer fen (1/100 of a yuan). Never a float. */
export type Fen = number;
/** A UTC instant in epoch milliseconds. */
export type EpochMs = number;

export const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type LocalizedText = Record<Lang, string>;

export const TIER_CODES = ['basic', 'advanced', 'core', 'premium'] as const;
export type TierCode = (typeof TIER_CODES)[number];

export interface TierRule {
  code: TierCode;
  /** Visits in the rolling window that reach this tier (the tier is reached by visits OR spend). */
  minVisits: number;
  minSpendFen: Fen;
  /** What the member pays at checkout, in permille: 900 = 9折. */
  payPermille: number;
}

export interface PointsRules {
  /** Points per ¥1 of eligible spend. */
  pointsPerYuan: number;
  birthdayMultiplier: number;
  /** Day of the month (1–28) that is member day, evaluated in the store's time zone. */
  memberDayOfMonth: number;
  memberDayMultiplier: number;
  /** How birthday and member-day multipliers combine when both apply. */
  promoStacking: 'max' | 'multiply';
  /** Category → multiplier; a category not listed earns ×1; 0 makes it ineligible. */
  categoryMultipliers: Record<string, number>;
  lotLifetimeMonths: number;
  expiryNoticeDays: number;
  /** Points that make ¥1 of cash deduction (100 points = ¥1). */
  cashPointsPerYuan: number;
  /** Highest share of a purchase that points may pay, in percent. */
  cashMaxPercentOfPurchase: number;
  donationMinPoints: number;
}

/** Offline risk limits, as card terminals have them; HQ sets them. */
export interface OfflineRiskLimits {
  maxValuePerRedemptionFen: Fen;
  maxUnsyncedValueFen: Fen;
  maxPointsBurnedPerMember: number;
  maxHoursSinceSync: number;
}

/**
 * Limits on earning, as the offline limits bound spending (docs/authority.md). Amounts are the
 * purchase's total; points caps apply to what the rules would give.
 */
export interface EarnLimits {
  /** Most points one purchase line may earn. */
  maxPointsPerLine: number;
  /** Most points one earn may give. */
  maxPointsPerEarn: number;
  /** Most points one member may earn in one store-day, across every terminal HQ has heard of. */
  maxPointsPerMemberDay: number;
  /** A purchase above this needs a manager's approval. */
  approvalAboveFen: Fen;
  /** A purchase above this is refused even with a manager: it goes through HQ's admin. */
  refuseAboveFen: Fen;
}

/** Returns (退货) of purchases (docs/returns.md). */
export interface ReturnRules {
  /** Days after the purchase within which it may be returned. */
  windowDays: number;
  /**
   * Points already spent that a return cannot take back: by default the shortfall is recorded and the
   * balance stops at zero; with allowNegative the member owes them, up to negativeLimitPoints in all,
   * and later earns repay them first (docs/returns.md "Owing points").
   */
  allowNegative: boolean;
  negativeLimitPoints: number;
}

export interface LoyaltyRules {
  version: number;
  /** Ordered from lowest to highest. */
  tiers: TierRule[];
  /** Months (including the current one) that the tier looks back over. */
  tierWindowMonths: number;
  points: PointsRules;
  offline: OfflineRiskLimits;
  earn: EarnLimits;
  referral: ReferralRules;
  returns: ReturnRules;
}

/**
 * 老带新: what a referral gives, at the referee's first purchase (an earn HQ applies), to both sides.
 * Points go in a lot of their own; a benefit id (a referral_reward the brand publishes) is granted too.
 */
export interface ReferralRules {
  referrerPoints: number;
  refereePoints: number;
  referrerBenefitId: string | null;
  refereeBenefitId: string | null;
}

/** A member's activity in one calendar month of the store's time zone. */
export interface MonthlyActivity {
  /** YYYY-MM */
  month: string;
  visits: number;
  spendFen: Fen;
}

export interface MonthDay {
  month: number; // 1–12
  day: number; // 1–31
}

export type MemberStatus = 'active' | 'revoked';

/** What the rules need to know about a member. */
export interface MemberFacts {
  id: string;
  tier: TierCode;
  status: MemberStatus;
  birthday: MonthDay | null;
  lastPurchaseAt: EpochMs | null;
  joinedAt: EpochMs;
}

export interface PointsLot {
  id: number;
  earnedAt: EpochMs;
  expiresAt: EpochMs;
  /** Points still unspent in this lot. */
  remaining: number;
}

export const BENEFIT_TYPES = [
  'threshold_coupon',
  'discount_coupon',
  'voucher',
  'gift',
  'service',
  'birthday_gift',
  'blind_box',
  'tier_welcome',
  'win_back',
  'referral_reward',
  'member_day',
] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

export const SERVICE_KINDS = ['gift_wrap', 'extended_warranty', 'priority_service'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface BlindBoxItem {
  sku: string;
  name: LocalizedText;
  weight: number;
  valueFen: Fen;
}

export type BenefitParams =
  | { type: 'threshold_coupon'; thresholdFen: Fen; offFen: Fen }
  | { type: 'discount_coupon'; payPermille: number; maxOffFen: Fen; minSpendFen: Fen }
  | { type: 'voucher'; valueFen: Fen }
  | { type: 'gift'; sku: string; valueFen: Fen }
  | { type: 'service'; service: ServiceKind; valueFen: Fen }
  | { type: 'birthday_gift'; sku: string; valueFen: Fen }
  | { type: 'blind_box'; pool: BlindBoxItem[] }
  | { type: 'tier_welcome'; tier: TierCode; sku: string; valueFen: Fen }
  | { type: 'win_back'; dormantDays: number; thresholdFen: Fen; offFen: Fen }
  | { type: 'referral_reward'; valueFen: Fen }
  | { type: 'member_day'; thresholdFen: Fen; offFen: Fen };

export interface BenefitDef {
  id: string;
  name: LocalizedText;
  params: BenefitParams;
  validFrom: EpochMs;
  /** Exclusive end of validity. */
  validTo: EpochMs;
  /** Tiers that may redeem it; empty means every tier. */
  tiers: TierCode[];
  /** Stores where it may be redeemed; empty means every store. */
  stores: string[];
  /** Redemptions per member over the benefit's validity; null = no limit. */
  perMemberLimit: number | null;
  /** Redemptions per member per store-day; null = no limit. */
  perDayLimit: number | null;
  offlineRedeemable: boolean;
  /** Only redeemable against a grant issued to the member (referral reward, welcome gift, …). */
  requiresGrant: boolean;
}

/** What the store knows about a member's use of one benefit. */
export interface BenefitUsage {
  /** Non-voided redemptions by this member over the benefit's life. */
  memberTotal: number;
  /** Non-voided redemptions by this member on the current store-day. */
  memberToday: number;
  /** When this member last redeemed it (non-voided), for once-per-birthday-month. */
  lastRedeemedAt: EpochMs | null;
  /** Grants issued minus grants used; only read when the benefit requires a grant. */
  grantsAvailable: number;
}

export interface RedeemContext {
  now: EpochMs;
  /** IANA time zone of the store, e.g. Asia/Shanghai. */
  tz: string;
  storeId: string;
  /** True while the terminal cannot reach HQ. */
  offline: boolean;
  /** The purchase the benefit is used against, when there is one. */
  purchaseAmountFen: Fen | null;
}

export interface CatalogItem {
  id: string;
  name: LocalizedText;
  sku: string;
  pointsCost: number;
  valueFen: Fen;
  /** Tiers that may exchange it; empty means every tier. */
  tiers: TierCode[];
  active: boolean;
}

export interface PurchaseLine {
  category: string;
  amountFen: Fen;
}

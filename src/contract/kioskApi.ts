// KioskApi: the member self-service kiosk's whole surface — read-only plus printing a benefit slip.
// A separate contract from TerminalApi on purpose: a kiosk session holds a KioskApi and nothing
// else, so no staff function (redeem, earn, void, settings) is reachable from it, whatever the page
// sends. Every call returns a Result, never throws.
import { z } from 'zod';
import type { LoyaltyReason, RefusalParams } from '../loyalty/refusal';
import { LANGS, type BenefitType, type Lang, type LocalizedText, type TierCode } from '../loyalty/types';
import type { Result } from './errors';
import type { WedgeSettings } from './terminalApi';

/**
 * Whatever a scanner produced. Longer than any code on purpose: a burst of garbage is a code the
 * core refuses with a friendly sentence (MALFORMED), not an input error.
 */
export const kioskScanInputSchema = z.object({ code: z.string().max(8192) }).strict();
/** The page a call is about: a print for a page that is no longer shown is refused. */
export const kioskPageIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'a page id');
export const kioskPrintInputSchema = z.object({ pageId: kioskPageIdSchema }).strict();
export const kioskSlipStatusInputSchema = z.object({ pageId: kioskPageIdSchema, slipId: z.number().int().positive() }).strict();
export const kioskSetLangInputSchema = z.object({ lang: z.enum(LANGS) }).strict();
export const kioskEmptyInputSchema = z.object({}).strict();

export const kioskApiInputs = {
  'kiosk.status': kioskEmptyInputSchema,
  'kiosk.setLang': kioskSetLangInputSchema,
  'kiosk.scan': kioskScanInputSchema,
  'kiosk.printSlip': kioskPrintInputSchema,
  'kiosk.slipStatus': kioskSlipStatusInputSchema,
  'kiosk.done': kioskEmptyInputSchema,
} as const;

export type KioskMethod = keyof typeof kioskApiInputs;
export type KioskInput<M extends KioskMethod> = z.input<(typeof kioskApiInputs)[M]>;
export type KioskParsedInput<M extends KioskMethod> = z.output<(typeof kioskApiInputs)[M]>;
export interface KioskStatus {
  lang: Lang;
  /** Back to the attract screen after this long without a touch (kiosk.json idleSeconds). */
  idleMs: number;
  wedge: WedgeSettings;
  /** The viewfinder shows only when a camera is configured for the kiosk. */
  camera: { enabled: boolean; deviceId: string | null };
  /** False when no slip printer is set: the page shows no print button. */
  slip: { available: boolean };
  storeName: LocalizedText | null;
  tz: string;
}

/** A benefit as the member sees it: usable now (and how), or why not yet. */
export interface KioskBenefit {
  id: string;
  type: BenefitType;
  name: LocalizedText;
  validFrom: number;
  validTo: number;
  usable: boolean;
  /** A coupon that needs the purchase amount: usable at the till. */
  needsAmount: boolean;
  valueFen: number | null;
  used: number;
  limit: number | null;
  whyNot: { code: LoyaltyReason; params: RefusalParams } | null;
}

export type KioskBadgeCode = 'tier' | 'years' | 'regular' | 'charity' | 'benefits';

export interface KioskBadge {
  code: KioskBadgeCode;
  params: Record<string, string | number>;
}

/**
 * Everything the member page shows, and nothing more: no name beyond its first character, no
 * phone, no full card number, no one else's data, no history beyond this member's own summary.
 */
export interface KioskPage {
  /** Binds a slip to the page on screen; a new scan, done or the timeout ends it. */
  pageId: string;
  tz: string;
  member: { maskedName: string; cardTail: string; joinedAt: number; via: 'card' | 'app' };
  tier: {
    code: TierCode;
    payPermille: number;
    visits: number;
    spendFen: number;
    windowMonths: number;
    next: TierCode | null;
    visitsNeeded: number;
    spendNeededFen: number;
  };
  points: { balance: number; expiring: { total: number; days: number; lots: { expiresAt: number; points: number }[] } };
  benefits: KioskBenefit[];
  notices: { birthdayMonth: boolean; memberDay: boolean; memberDayOfMonth: number };
  badges: KioskBadge[];
  /** The last 12 months, from `from` to `to`. */
  year: { from: number; to: number; visits: number; pointsEarned: number; benefitsUsed: number; giftsExchanged: number };
  slip: { available: boolean };
}

export type KioskSlipState = 'printing' | 'printed' | 'failed';

export interface KioskSlipStatus {
  state: KioskSlipState;
  /** Why it failed (a printer fault code) — the kiosk words it for the member. */
  reason: { code: string; message: string } | null;
}

export interface KioskOutputs {
  'kiosk.status': KioskStatus;
  'kiosk.setLang': { lang: Lang };
  'kiosk.scan': KioskPage;
  'kiosk.printSlip': { slipId: number };
  'kiosk.slipStatus': KioskSlipStatus;
  'kiosk.done': { ok: true };
}

/** What a kiosk session answers for any method name (the web host routes `/api/<name>` here). */
export type KioskDispatch = (method: string, input: unknown) => Promise<Result<unknown>>;

// Why HQ refused an event, for the manager's 冲突 tab: HQ's `detail.reason` (src/hq/services:
// eventChecks, applyJoin, applyCardReplace, allowedUse) read through a schema into a closed list the
// catalogs word in each language (`manager.conflictReason.<kind>.<reason>`), with the detail values
// a sentence names (amounts in fen, the cap, a card number). A reason this terminal does not know (a
// newer HQ), or one whose values do not parse, is the generic sentence (`unknown`): never HQ's code.
import { z } from 'zod';

/** Every reason HQ gives, by the conflict kind that carries it. */
export const CONFLICT_REASONS = {
  earn_refused: ['amount_cap', 'approval_missing', 'no_purchase'],
  signup_refused: [
    'time_out_of_range',
    'staff_unknown',
    'phone_invalid',
    'phone_mismatch',
    'name_blank',
    'name_control',
    'name_bidi',
    'name_invisible',
    'name_tooLong',
    'birthday_invalid',
    'card_outside_block',
    'card_taken',
    'id_taken',
    'terms_unknown',
    'signup_cap',
  ],
  card_replace_refused: [
    'time_out_of_range',
    'staff_unknown',
    'approver_not_manager',
    'member_unknown',
    'member_revoked',
    'card_not_current',
    'serial_invalid',
    'card_outside_block',
    'card_taken',
    'replace_cap',
  ],
  benefit_not_allowed: ['store', 'validity', 'tier', 'grant', 'not_birthday_month', 'not_member_day', 'not_dormant', 'inactive'],
} as const;

const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const cardNo = z.string().regex(/^[0-9]{4,19}$/);
/** The detail values a sentence may name; each checked alone, so one odd field spoils only its own sentence. */
const VALUES = {
  amountFen: fen,
  capFen: fen,
  thresholdFen: fen,
  limit: z.number().int().positive().max(1_000_000),
  cardNo,
  currentCardNo: cardNo,
  retiredCardNo: cardNo,
} as const;
export type ConflictReasonValues = { [K in keyof typeof VALUES]?: z.infer<(typeof VALUES)[K]> };

/** The values each reason's sentence needs (absent: none). */
const NEEDS: Partial<Record<string, readonly (keyof typeof VALUES)[]>> = {
  'earn_refused.amount_cap': ['amountFen', 'capFen'],
  'earn_refused.approval_missing': ['amountFen', 'thresholdFen'],
  'signup_refused.card_outside_block': ['cardNo'],
  'signup_refused.card_taken': ['cardNo'],
  'signup_refused.signup_cap': ['limit'],
  'card_replace_refused.card_not_current': ['cardNo'],
  'card_replace_refused.card_not_current_retired': ['currentCardNo', 'retiredCardNo'],
  'card_replace_refused.card_outside_block': ['cardNo'],
  'card_replace_refused.card_taken': ['cardNo'],
  'card_replace_refused.replace_cap': ['limit'],
};

/** Every sentence key under `manager.conflictReason` (the catalogs must word each one). */
export const CONFLICT_REASON_KEYS: readonly string[] = [
  ...Object.entries(CONFLICT_REASONS).flatMap(([kind, reasons]) => reasons.map((r) => `${kind}.${r}`)),
  'card_replace_refused.card_not_current_retired',
  'unknown',
];

export interface ConflictReason {
  /** HQ's code as it came (for support; never shown as the sentence). */
  code: string;
  /** The sentence's key under `manager.conflictReason`: `<kind>.<reason>` or `unknown`. */
  key: string;
  values: ConflictReasonValues;
}

const detailSchema = z.object({ reason: z.string().min(1).max(64) });

/** The reasons this terminal words, as `<kind>.<reason>`. */
const KNOWN = new Set(Object.entries(CONFLICT_REASONS).flatMap(([kind, reasons]) => reasons.map((r) => `${kind}.${r}`)));

/** The reason of a conflict's detail, or null when HQ gave none. */
export function conflictReason(kind: string, detail: unknown): ConflictReason | null {
  const parsed = detailSchema.safeParse(detail);
  if (!parsed.success) return null;
  const code = parsed.data.reason;
  const raw = detail as Record<string, unknown>;
  const values: ConflictReasonValues = {};
  for (const [name, schema] of Object.entries(VALUES)) {
    const v = schema.safeParse(raw[name]);
    if (v.success) Object.assign(values, { [name]: v.data });
  }
  const unknown: ConflictReason = { code, key: 'unknown', values: {} };
  if (!KNOWN.has(`${kind}.${code}`)) return unknown;
  // A second replacement of one card: HQ retired this desk's new card and names the member's current one.
  const retired = kind === 'card_replace_refused' && code === 'card_not_current' && values.currentCardNo !== undefined && values.retiredCardNo !== undefined;
  const key = retired ? `${kind}.card_not_current_retired` : `${kind}.${code}`;
  const needs = NEEDS[key] ?? [];
  if (!CONFLICT_REASON_KEYS.includes(key) || !needs.every((n) => values[n] !== undefined)) return unknown;
  const kept: ConflictReasonValues = {};
  for (const n of needs) Object.assign(kept, { [n]: values[n] });
  return { code, key, values: kept };
}

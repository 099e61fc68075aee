// One member's recent operations across terminals (issue 17 item 5, docs/history.md): what a
// terminal asks HQ for when the desk opens the member's history, and what HQ answers. Shared by
// the terminal's client and HQ, like the rest of the protocol; neither side's code is imported here.
import { z } from 'zod';
import { EVENT_BOUNDS, operationKindV2Schema } from './events';

/** How far back HQ looks, and how many operations it answers at most (newest first). */
export const HISTORY_DAYS = 90;
export const MAX_HISTORY_OPERATIONS = 50;
/**
 * What one enrolled terminal may ask per hour and per 24 hours: a desk opens a history when a member
 * stands before it, so these are far above a busy day and far below a walk through the member base.
 */
export const HISTORY_ASKS_PER_HOUR = 120;
export const HISTORY_ASKS_PER_DAY = 600;

const ref = z.string().min(1).max(80);
const fen = z.int().min(0).max(EVENT_BOUNDS.maxFen);

/** One member per call: a repeated `memberId` arrives as a list and is refused by this schema. */
export const historyQuerySchema = z.object({ memberId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a member id is 1–40 letters, digits, - or _') }).strict();

/**
 * An operation as HQ holds it: HQ's points (its re-derivation), whether HQ applied it, and its state
 * now (voided, how much of a purchase came back). No name, no phone, no PIN; the staff id only for
 * operations of the asking terminal's own store (another store's staff are not its business).
 */
export const historyOperationSchema = z
  .object({
    opId: z.uuid(),
    kind: operationKindV2Schema,
    at: z.int().min(EVENT_BOUNDS.earliestAt).max(EVENT_BOUNDS.latestAt),
    businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    storeId: ref,
    terminalId: ref,
    staffId: ref.nullable(),
    points: z.int().min(-EVENT_BOUNDS.maxPoints).max(EVENT_BOUNDS.maxPoints),
    amountFen: fen.nullable(),
    valueFen: fen,
    benefitId: ref.nullable(),
    itemId: ref.nullable(),
    targetOpId: ref.nullable(),
    status: z.enum(['applied', 'refused']),
    voided: z.boolean(),
    /** Of a purchase: what its applied returns took back so far (0 for other kinds). */
    returnedFen: fen,
  })
  .strict();
export type HistoryOperation = z.infer<typeof historyOperationSchema>;

export const historyResponseSchema = z
  .object({
    ok: z.literal(true),
    /** The member HQ answered for: the one asked about, or the member an alias was merged into. */
    memberId: ref,
    /** The oldest instant HQ looked at (HISTORY_DAYS before its clock). */
    since: z.int(),
    operations: z.array(historyOperationSchema).max(MAX_HISTORY_OPERATIONS),
    serverTime: z.int(),
  })
  .strict();
export type HistoryResponse = z.infer<typeof historyResponseSchema>;

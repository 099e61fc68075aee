// The sync wire protocol, version 1 (docs/sync.md): requests, answers and errors shared by the
// terminal's client and HQ. Neither side's code is imported here.
import { z } from 'zod';
import { operationRecordedSchema, OUTBOX_EVENT_TYPES } from './events';
import { changeSchema, conflictSchema } from './protocolEntities';

export const PROTOCOL_VERSION = 1;
/** Most events in one push; the terminal sends its outbox in batches of at most this many. */
export const MAX_PUSH_EVENTS = 500;
export const MAX_PULL_LIMIT = 5_000;
export const DEFAULT_PULL_LIMIT = 2_000;
/** Request bodies above this are refused with PAYLOAD_TOO_LARGE before they are parsed. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Clock skew between a terminal and HQ beyond which the terminal warns. */
export const SKEW_WARN_MS = 2 * 60 * 1000;

export const HQ_ERROR_CODES = [
  'BAD_REQUEST',
  'UNSUPPORTED_VERSION',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ENROLLMENT_CODE_INVALID',
  'ENROLLMENT_CODE_USED',
  'SEQUENCE_CONFLICT',
  'CURSOR_INVALID',
  'INTERNAL',
] as const;
export type HqErrorCode = (typeof HQ_ERROR_CODES)[number];

export const errorBodySchema = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.enum(HQ_ERROR_CODES), message: z.string(), detail: z.string().optional() }),
});
export type ErrorBodyWire = z.infer<typeof errorBodySchema>;

const serverTime = z.int().describe('HQ clock, epoch ms: the terminal reads its clock skew from it');
const entityId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

// --- enrollment ---------------------------------------------------------------------------
export const enrollRequestSchema = z.object({
  code: z.string().regex(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/, 'an enrollment code looks like ABCD-EFGH-JKLM'),
  label: z.string().max(80).optional(),
});
export const enrollResponseSchema = z.object({
  ok: z.literal(true),
  storeId: entityId,
  terminalId: entityId,
  tz: z.string().min(1),
  /** Bearer credential for every later request; HQ keeps only its hash. */
  credential: z.string().regex(/^ldt_[A-Za-z0-9_-]{43}$/),
  serverTime,
});
// --- push ---------------------------------------------------------------------------------
export const pushEventSchema = z.object({
  seq: z.int().positive().describe("the terminal's outbox sequence number"),
  id: z.uuid().describe('idempotency id (UUIDv7): HQ applies an id once'),
  type: z.literal(OUTBOX_EVENT_TYPES.operationRecorded),
  createdAt: z.int(),
  payload: operationRecordedSchema,
});
export type PushEvent = z.infer<typeof pushEventSchema>;

export const pushRequestSchema = z.object({
  events: z
    .array(pushEventSchema)
    .min(1)
    .max(MAX_PUSH_EVENTS)
    .refine((es) => es.every((e, i) => i === 0 || e.seq > es[i - 1]!.seq), 'events must be in ascending seq'),
});
export const ackSchema = z.object({
  seq: z.int().positive(),
  id: z.uuid(),
  status: z.enum(['applied', 'duplicate']),
});
export const pushResponseSchema = z.object({
  ok: z.literal(true),
  /** Every event up to this seq is safely at HQ. */
  ackedThrough: z.int().nonnegative(),
  acks: z.array(ackSchema),
  /** Conflicts HQ decided for the events of this batch (also delivered again by pull). */
  conflicts: z.array(conflictSchema),
  serverTime,
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

// --- pull ---------------------------------------------------------------------------------
export const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/).describe('opaque; absent on a new terminal (snapshot)');
export const pullQuerySchema = z.object({
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
});
export const pullResponseSchema = z.object({
  ok: z.literal(true),
  changes: z.array(changeSchema),
  /** Pass back to get the next page; store it with the applied page. */
  cursor: cursorSchema,
  more: z.boolean(),
  serverTime,
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
/**
 * A pull page as a terminal reads it: the envelope checked, each change left for the terminal to
 * check on its own, so one row it cannot parse is set aside instead of failing the page.
 */
export const pullPageSchema = pullResponseSchema.extend({ changes: z.array(z.unknown()).max(MAX_PULL_LIMIT) });
export type PullPage = z.infer<typeof pullPageSchema>;

export const timeResponseSchema = z.object({ ok: z.literal(true), serverTime, protocol: z.literal(PROTOCOL_VERSION) });

/** Events whose payload version this HQ does not know are refused as a batch, before any is applied. */
export function unknownEventVersion(body: unknown): number | null {
  if (typeof body !== 'object' || body === null || !('events' in body) || !Array.isArray(body.events)) return null;
  for (const e of body.events as unknown[]) {
    const v = (e as { payload?: { v?: unknown } } | null)?.payload?.v;
    if (typeof v === 'number' && v !== 1) return v;
  }
  return null;
}

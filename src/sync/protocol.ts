// The sync wire protocol (docs/sync.md, docs/authority.md): requests, answers and errors shared by
// the terminal's client and HQ. Version 2 (/v2/sync/*) refuses a bad event on its own and says so;
// version 1 (/v1/sync/*) is still served for terminals in the field. Neither side's code is imported here.
import { z } from 'zod';
import { auditClaimSchema, signedAnchorSchema } from './anchor';
import { EVENT_VERSIONS, operationRecordedSchema, operationRecordedV2Schema, OUTBOX_EVENT_TYPES } from './events';
import { MEMBER_JOINED_EVENT, memberJoinedSchema } from './joinEvent';
import { CARD_REPLACED_EVENT, cardReplacedSchema } from './cardReplaceEvent';
import { timeZoneSchema } from '../loyalty/schemas';
import { changeSchema, conflictSchema, CONFLICT_DECISIONS_V1, CONFLICT_KINDS_V1 } from './protocolEntities';

/** What /v1/time names; the protocols this HQ serves are in `protocols`. */
export const PROTOCOL_VERSION = 1;
export const PROTOCOL_VERSIONS = [1, 2] as const;
/**
 * How far an event's `at` may lie before the terminal's enrollment or after HQ received it: the
 * clock skew HQ allows (a terminal warns at SKEW_WARN_MS).
 */
export const ALLOWED_SKEW_MS = 30 * 60 * 1000;
/**
 * How far before the latest `at` HQ has seen from a terminal one of its later events may be: its
 * outbox is in creation order, so more than this is a backdated event (or a clock put back by hours).
 */
export const LOW_WATER_SLACK_MS = 2 * 60 * 60 * 1000;
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
  /** A terminal asked for more member histories than HQ answers per hour or day (docs/history.md). */
  'RATE_LIMITED',
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
  tz: timeZoneSchema,
  /** Bearer credential for every later request; HQ keeps only its hash. */
  credential: z.string().regex(/^ldt_[A-Za-z0-9_-]{43}$/),
  serverTime,
});
// --- push ---------------------------------------------------------------------------------
const envelope = {
  seq: z.int().positive().describe("the terminal's outbox sequence number"),
  id: z.uuid().describe('idempotency id (UUIDv7): HQ applies an id once'),
  type: z.literal(OUTBOX_EVENT_TYPES.operationRecorded),
  createdAt: z.int(),
};
/** v2 also carries sign-ups (src/sync/joinEvent.ts) and card replacements (cardReplaceEvent.ts); v1 terminals never write them. */
const envelopeV2 = { ...envelope, type: z.enum([OUTBOX_EVENT_TYPES.operationRecorded, MEMBER_JOINED_EVENT, CARD_REPLACED_EVENT]) };
/** An event as a terminal sends it: version 2, or a version 1 event written before the upgrade. */
const operationEventSchema = z.object({ ...envelope, payload: z.union([operationRecordedV2Schema, operationRecordedSchema]) });
/** An operation's event, or (v2) a sign-up's. */
export const pushEventSchema = z.union([
  operationEventSchema,
  z.object({ ...envelope, type: z.literal(MEMBER_JOINED_EVENT), payload: memberJoinedSchema }),
  z.object({ ...envelope, type: z.literal(CARD_REPLACED_EVENT), payload: cardReplacedSchema }),
]);
export type PushEvent = z.infer<typeof operationEventSchema>;
/** Whatever an outbox sends: operations, and sign-ups (v2 only). */
export type AnyPushEvent = z.infer<typeof pushEventSchema>;
/** v1 push: every payload version 1. */
const pushEventV1Schema = z.object({ ...envelope, payload: operationRecordedSchema });
/** An event as HQ first reads it: the envelope strictly, the payload checked on its own (a bad one is refused alone). */
export const pushEnvelopeSchema = z.object({ ...envelopeV2, payload: z.unknown() });
export type PushEnvelope = z.infer<typeof pushEnvelopeSchema>;

const inSeqOrder = (es: { seq: number }[]) => es.every((e, i) => i === 0 || e.seq > es[i - 1]!.seq);
export const pushRequestSchema = z.object({
  events: z.array(pushEnvelopeSchema).min(1).max(MAX_PUSH_EVENTS).refine(inSeqOrder, 'events must be in ascending seq'),
  /** The terminal's audit head, for HQ to anchor (v2; docs/authority.md). */
  audit: auditClaimSchema.optional(),
});
export const pushRequestV1Schema = z.object({
  events: z.array(pushEventV1Schema).min(1).max(MAX_PUSH_EVENTS).refine(inSeqOrder, 'events must be in ascending seq'),
});
/** refused: HQ recorded the event and will not apply it (the conflict says why); the terminal drops it from its outbox. */
export const ackSchema = z.object({
  seq: z.int().positive(),
  id: z.uuid(),
  status: z.enum(['applied', 'duplicate', 'refused']),
});
export const pushResponseSchema = z.object({
  ok: z.literal(true),
  /** Every event up to this seq is safely at HQ. */
  ackedThrough: z.int().nonnegative(),
  acks: z.array(ackSchema),
  /** Conflicts HQ decided for the events of this batch (also delivered again by pull). */
  conflicts: z.array(conflictSchema),
  /** The audit anchor HQ holds for this terminal, signed (absent when no audit head was sent, null when HQ has no key). */
  anchor: signedAnchorSchema.nullable().optional(),
  serverTime,
});
export type PushResponse = z.infer<typeof pushResponseSchema>;
export const pushResponseV1Schema = pushResponseSchema.omit({ anchor: true }).extend({
  acks: z.array(ackSchema.extend({ status: z.enum(['applied', 'duplicate']) })),
  conflicts: z.array(conflictSchema.extend({ kind: z.enum(CONFLICT_KINDS_V1), decision: z.enum(CONFLICT_DECISIONS_V1) })),
});
export type PushResponseV1 = z.infer<typeof pushResponseV1Schema>;

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

// --- after a restore (docs/sync.md "After a restore") --------------------------------------
export const MAX_RESTORE_OPERATIONS = 500;
/** A restored terminal says so before it pushes: the backup's audit head and outbox seq. */
export const restoreRequestSchema = z.object({
  audit: z.object({ seq: z.int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  outboxSeq: z.int().nonnegative(),
  backupAt: z.int().nonnegative(),
  /** Paging: operations after this seq (absent on the first call, which records the restore and re-anchors). */
  after: z.int().nonnegative().optional(),
});
export const restoreResponseSchema = z.object({
  ok: z.literal(true),
  /** The highest outbox seq HQ holds for this terminal: the terminal's next event takes a higher one. */
  lastSeq: z.int().nonnegative(),
  /** What this terminal pushed after the backup, in seq order, as it pushed it: the terminal keeps them as history. */
  operations: z
    .array(z.object({ seq: z.int().positive(), status: z.enum(['applied', 'refused']), payload: operationRecordedV2Schema }))
    .max(MAX_RESTORE_OPERATIONS),
  more: z.boolean(),
  /** The anchor HQ now holds (the backup's head), signed; null when HQ has no key. */
  anchor: signedAnchorSchema.nullable(),
  serverTime,
});
export type RestoreRequest = z.infer<typeof restoreRequestSchema>;
export type RestoreResponse = z.infer<typeof restoreResponseSchema>;

// --- reports ------------------------------------------------------------------------------
/** A pulled row the terminal could not parse and set aside: what and why, never the row (docs/authority.md). */
export const setAsideReportSchema = z.object({
  localId: z.int().positive(),
  entity: z.string().max(64).nullable(),
  entityId: z.string().max(200).nullable(),
  reason: z.string().max(1000),
  receivedAt: z.int(),
});
export const MAX_SET_ASIDE_REPORTS = 200;
export const reportRequestSchema = z.object({ setAside: z.array(setAsideReportSchema).min(1).max(MAX_SET_ASIDE_REPORTS) });
export const reportResponseSchema = z.object({ ok: z.literal(true), recorded: z.int().nonnegative(), serverTime });

export const timeResponseSchema = z.object({
  ok: z.literal(true),
  serverTime,
  protocol: z.literal(PROTOCOL_VERSION),
  protocols: z.array(z.int()).optional().describe('every protocol version this HQ serves'),
});

/**
 * Events of a payload version this HQ does not know are refused as a batch, before any is applied:
 * a newer terminal keeps them in its outbox until HQ is upgraded, where a refused event would be lost.
 */
export function unknownEventVersion(body: unknown, known: readonly number[] = EVENT_VERSIONS): number | null {
  if (typeof body !== 'object' || body === null || !('events' in body) || !Array.isArray(body.events)) return null;
  for (const e of body.events as unknown[]) {
    const v = (e as { payload?: { v?: unknown } } | null)?.payload?.v;
    if (typeof v === 'number' && !known.includes(v)) return v;
  }
  return null;
}

// Outbox events: the part of the sync protocol the terminal writes at commit time and HQ reads.
// Version 2 carries what HQ needs to re-derive an operation (docs/authority.md): an earn's purchase
// lines and the rules version the terminal applied. Version 1 is still read from terminals in the
// field. Shared by the terminal and HQ; neither side's code is imported here.
import { z } from 'zod';

export const operationKindSchema = z.enum(['redeem', 'exchange', 'cash', 'donate', 'earn', 'void']);
/** Protocol v2 adds returns (退货); a v1 payload naming one is malformed. */
export const operationKindV2Schema = z.enum([...operationKindSchema.options, 'return']);

export const operationRecordedSchema = z.object({
  v: z.literal(1),
  opId: z.string().uuid(),
  kind: operationKindSchema,
  memberId: z.string().min(1),
  benefitId: z.string().nullable(),
  itemId: z.string().nullable(),
  targetOpId: z.string().nullable(),
  staffId: z.string().min(1),
  approvedBy: z.string().nullable(),
  storeId: z.string().min(1),
  terminalId: z.string().min(1),
  at: z.number().int(),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  valueFen: z.number().int().nonnegative(),
  points: z.number().int(),
  amountFen: z.number().int().nonnegative().nullable(),
  detail: z.record(z.string(), z.unknown()),
  offline: z.boolean(),
  /** Points moved per lot, so HQ can mirror the burn order. */
  lots: z.array(z.object({ lotId: z.number().int(), delta: z.number().int() })),
});
export type OperationRecorded = z.infer<typeof operationRecordedSchema>;

/** Bounds no honest operation comes near; anything beyond them is refused as malformed. */
export const EVENT_BOUNDS = {
  /** 2000-01-01 … 2100-01-01 UTC. */
  earliestAt: 946_684_800_000,
  latestAt: 4_102_444_800_000,
  maxFen: 100_000_000_000,
  maxPoints: 1_000_000_000,
  maxLines: 200,
  maxDetailChars: 8_000,
} as const;

const ref = z.string().min(1).max(80);
const fen = z.int().min(0).max(EVENT_BOUNDS.maxFen);

export const purchaseLineSchema = z.object({ category: z.string().max(40), amountFen: fen });

export const operationRecordedV2Schema = z.object({
  v: z.literal(2),
  opId: z.uuid(),
  kind: operationKindV2Schema,
  memberId: ref,
  benefitId: ref.nullable(),
  itemId: ref.nullable(),
  targetOpId: ref.nullable(),
  staffId: ref,
  approvedBy: ref.nullable(),
  storeId: ref,
  terminalId: ref,
  at: z.int().min(EVENT_BOUNDS.earliestAt).max(EVENT_BOUNDS.latestAt),
  businessDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** The terminal had closed the day of `at` already, so the operation belongs to the next one. */
  dayClosed: z.boolean(),
  valueFen: fen,
  points: z.int().min(-EVENT_BOUNDS.maxPoints).max(EVENT_BOUNDS.maxPoints),
  amountFen: fen.nullable(),
  /** An earn's purchase lines, or the lines a return names (empty otherwise): HQ computes the points from them. */
  lines: z.array(purchaseLineSchema).max(EVENT_BOUNDS.maxLines),
  /** The version of the loyalty rules the terminal applied. */
  rulesVersion: z.int().min(0).max(2_147_483_647),
  detail: z.record(z.string(), z.unknown()).refine((d) => JSON.stringify(d).length <= EVENT_BOUNDS.maxDetailChars, 'detail is too large'),
  offline: z.boolean(),
  lots: z.array(z.object({ lotId: z.int(), delta: z.int() })).max(1_000),
});
export type OperationRecordedV2 = z.infer<typeof operationRecordedV2Schema>;

export const OUTBOX_EVENT_TYPES = { operationRecorded: 'operation.recorded' } as const;

/** The event versions this code reads. A terminal writes the last. */
export const EVENT_VERSIONS = [1, 2] as const;

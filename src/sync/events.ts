// Outbox events: the part of the sync protocol the terminal writes at commit time and HQ reads.
// Version 1. Shared by the terminal and HQ; neither side's code is imported here.
import { z } from 'zod';

export const operationKindSchema = z.enum(['redeem', 'exchange', 'cash', 'donate', 'earn', 'void']);

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

export const OUTBOX_EVENT_TYPES = { operationRecorded: 'operation.recorded' } as const;

// A stored receipt model is JSON in print_jobs.payload_json: parsed here before anything prints it.
import { z } from 'zod';
import { TIER_CODES } from '../loyalty/types';
import { OP_KINDS, type ReceiptModel } from '../contract/deskTypes';

const localized = z.object({ 'zh-CN': z.string(), 'zh-TW': z.string(), en: z.string() });
const person = z.object({ id: z.string(), name: z.string() });
const fen = z.number().int();

export const receiptModelSchema = z.object({
  v: z.literal(1),
  kind: z.enum(OP_KINDS),
  opId: z.string().min(1).max(64),
  at: z.number().int(),
  tz: z.string().min(1),
  store: z.object({ id: z.string(), name: localized }),
  terminalId: z.string(),
  staff: person,
  approvedBy: person.nullable(),
  member: z.object({ id: z.string(), maskedName: z.string(), maskedPhone: z.string(), tier: z.enum(TIER_CODES) }),
  subject: z.object({ id: z.string(), name: localized }).nullable(),
  valueFen: fen,
  amountFen: fen.nullable(),
  pointsBefore: z.number().int(),
  pointsAfter: z.number().int(),
  targetOpId: z.string().nullable(),
  targetKind: z.enum(OP_KINDS).optional(),
  returned: z
    .object({
      lines: z.array(z.object({ category: z.string().max(40), amountFen: fen, points: z.number().int() })).max(200),
      shortfall: z.number().int().min(0),
      // Receipts stored before the owed line existed lack it (nothing was owed on them).
      owed: z.number().int().min(0).optional(),
      tierChange: z.object({ from: z.enum(TIER_CODES), to: z.enum(TIER_CODES), reason: z.string() }).nullable(),
    })
    .optional(),
  offline: z.boolean(),
  copy: z.boolean().optional(),
  audit: z.object({ seq: z.number().int().positive(), mark: z.string().regex(/^[0-9a-f]{8}$/) }).optional(),
}) satisfies z.ZodType<ReceiptModel>;

export function parseReceiptModel(payload: unknown): ReceiptModel {
  return receiptModelSchema.parse(payload);
}

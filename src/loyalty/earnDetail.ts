// What an earn's detail records so that voiding it (on the terminal and at HQ) can put the member
// back as they were: the tier step it caused and the member's values just before it.
import { z } from 'zod';
import { tierCodeSchema } from './schemas';

const instant = z.number().int().nonnegative();

const earnDetailSchema = z.object({
  tierChange: z.object({ from: tierCodeSchema, to: tierCodeSchema }).optional(),
  // Absent on earns recorded before this field existed; voids then fall back to what history shows.
  before: z.object({ lastPurchaseAt: instant.nullable(), tierSince: instant }).optional(),
});

export type EarnUndoFacts = z.infer<typeof earnDetailSchema>;

/** The undo facts of an earn's detail; a detail that does not parse yields none rather than a guess. */
export function earnUndoFacts(detail: unknown): EarnUndoFacts {
  const parsed = earnDetailSchema.safeParse(detail);
  return parsed.success ? parsed.data : {};
}

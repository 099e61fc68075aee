// A lost card replaced at the desk (挂失补卡, issue 17 item 3; docs/lostcard.md). HQ re-derives it:
// the new number must be one of this terminal's blocks, the approver an active manager of the
// store, the old card the member's current one at HQ; a refused event is a conflict, alone.
import { z } from 'zod';
import { EVENT_BOUNDS } from './events';

export const CARD_REPLACED_EVENT = 'card.replaced';

const ref = z.string().min(1).max(80);
const cardNo = z.string().regex(/^\d{10,19}$/);

export const cardReplacedSchema = z.object({
  v: z.literal(1),
  /** The replacement's own id (UUIDv7): HQ applies it once. */
  replaceId: z.uuid(),
  memberId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  oldCardNo: cardNo,
  oldSerial: z.int().min(1).max(1_000_000),
  newCardNo: cardNo,
  newSerial: z.int().min(2).max(1_000_001),
  staffId: ref,
  /** The manager who approved (the staff member itself when a manager did it alone). */
  approvedBy: ref,
  storeId: ref,
  terminalId: ref,
  at: z.int().min(EVENT_BOUNDS.earliestAt).max(EVENT_BOUNDS.latestAt),
});
export type CardReplaced = z.infer<typeof cardReplacedSchema>;

// The sign-up event (开卡, issue 17): the one time a member's phone number leaves a terminal. The
// terminal keeps only the keyed hash and the last four digits; the outbox row with the number is
// deleted when HQ acknowledges it. HQ re-derives everything it stores from this (docs/join.md):
// the number normalized and hashed by HQ, the card from the terminal's own block, the id new.
import { z } from 'zod';
import { EVENT_BOUNDS } from './events';
import { PHONE_HASH_PATTERN } from '../loyalty/phone';

export const MEMBER_JOINED_EVENT = 'member.joined';

const ref = z.string().min(1).max(80);

export const memberJoinedSchema = z.object({
  v: z.literal(1),
  /** The sign-up's own id (UUIDv7): HQ records it once. */
  joinId: z.uuid(),
  /** The new member's id, made by the terminal (UUIDv7): unique across terminals without asking HQ. */
  memberId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  cardNo: z.string().regex(/^\d{10,19}$/),
  /** The number as the desk normalized it (E.164); HQ normalizes it again and hashes it itself. */
  phone: z.string().min(1).max(32),
  /** What the terminal stored: HQ refuses a sign-up whose hash is not of the number sent. */
  phoneHash: z.string().regex(PHONE_HASH_PATTERN),
  name: z.string().min(1).max(200),
  birthday: z.string().max(10).nullable(),
  /** The member who brought them (老带新), as the desk found them; HQ checks it knows them. */
  referrerId: ref.nullable(),
  /** The privacy terms the member agreed to, when, and the staff member who recorded it. */
  termsVersion: z.int().min(0).max(2_147_483_647),
  staffId: ref,
  storeId: ref,
  terminalId: ref,
  at: z.int().min(EVENT_BOUNDS.earliestAt).max(EVENT_BOUNDS.latestAt),
});
export type MemberJoined = z.infer<typeof memberJoinedSchema>;

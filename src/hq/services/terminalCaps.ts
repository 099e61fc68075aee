// How much of the brand one terminal may change in a day, whatever its events say. A replacement
// supersedes a member's plastic card at every store, and a sign-up adds a member: each is checked on
// its own (a manager of this store approved it, a card of this terminal's block), but nothing bounded
// how many. One push of 40 replacements, every one with a pulled member's current card, replaced all
// 40. Counted by when HQ received them, on HQ's clock, which a terminal's `at` cannot move; a
// desk replaces a few cards a week and signs up tens of members on a busy day, so the caps stop a
// flood, not a day's work. Beyond a cap the event is refused with a conflict (replace_cap,
// signup_cap) that the store's manager and HQ's admin see; the desk can do it again tomorrow.
import type { Queryable } from '../db';

export const CAP_WINDOW_MS = 24 * 3_600_000;
/** Card replacements (挂失补卡) one terminal may have HQ apply in CAP_WINDOW_MS. */
export const MAX_CARD_REPLACEMENTS_PER_TERMINAL = 20;
/** Sign-ups (开卡) one terminal may have HQ apply in CAP_WINDOW_MS. */
export const MAX_SIGNUPS_PER_TERMINAL = 500;

const COUNTS = {
  card_replacements: 'SELECT count(*)::int AS n FROM card_replacements WHERE terminal_id = $1 AND received_at > $2',
  member_signups: 'SELECT count(*)::int AS n FROM member_signups WHERE terminal_id = $1 AND received_at > $2',
} as const;

/** How many more rows of `table` the terminal may add now (never below 0). */
export async function leftToday(q: Queryable, table: keyof typeof COUNTS, terminalId: string, now: number, limit: number): Promise<number> {
  const [row] = await q.query<{ n: number }>(COUNTS[table], [terminalId, now - CAP_WINDOW_MS]);
  return Math.max(0, limit - Number(row?.n ?? 0));
}

// The card numbers HQ reserved for this terminal's sign-ups (the `cardBlock` change): a sign-up
// takes the next unused number of the lowest block with one left, inside its own transaction.
import { issuedCardNo } from '../loyalty/cardNumber';
import type { Db } from './open';
import { stmt } from './statements';

/** A block HQ sent; one already held keeps the numbers used here. */
export function addCardBlock(db: Db, block: { start: number; size: number }, at: number): void {
  stmt(
    db,
    `INSERT INTO card_blocks(start, size, used, updated_at) VALUES (?, ?, 0, ?)
     ON CONFLICT(start) DO UPDATE SET size = max(excluded.size, used), updated_at = excluded.updated_at`,
  ).run(block.start, block.size, at);
}

function nextFree(db: Db): { start: number; used: number } | undefined {
  return stmt<[], { start: number; used: number }>(db, 'SELECT start, used FROM card_blocks WHERE used < size ORDER BY start LIMIT 1').get();
}

/** The number takeCardNo would take now, taking nothing (a replacement's confirmation shows it). */
export function peekCardNo(db: Db): string | null {
  const block = nextFree(db);
  return block ? issuedCardNo(block.start + block.used) : null;
}

/** Takes the next card number, or null when every block is used up (CARD_BLOCK_EMPTY). */
export function takeCardNo(db: Db, at: number): string | null {
  const block = nextFree(db);
  if (!block) return null;
  stmt(db, 'UPDATE card_blocks SET used = used + 1, updated_at = ? WHERE start = ?').run(at, block.start);
  return issuedCardNo(block.start + block.used);
}

/** Card numbers still free (the status bar and docs/join.md's low-water mark). */
export function cardNumbersLeft(db: Db): number {
  return stmt<[], { n: number | null }>(db, 'SELECT sum(size - used) AS n FROM card_blocks').get()?.n ?? 0;
}

// Card numbers HQ reserves for each terminal's sign-ups (docs/join.md): one block at enrollment and
// another whenever fewer than LOW_WATER are left at a pull, so a terminal offline for a while still
// has numbers. Blocks never overlap: they are handed out under one lock, after the highest so far.
import type { Queryable } from '../db';

export const CARD_BLOCK_SIZE = 500;
export const CARD_BLOCK_LOW_WATER = 100;
const CARD_BLOCK_LOCK = 0x4c44_4342; // 'LDCB'

/** Reserves a new block for the terminal (left unstamped: the caller stamps `card_blocks`). */
export async function reserveCardBlock(q: Queryable, terminalId: string, now: number): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [CARD_BLOCK_LOCK]);
  await q.query(
    `INSERT INTO card_blocks(start, size, terminal_id, reserved_at)
     SELECT coalesce(max(start + size), 1), $1, $2, $3 FROM card_blocks`,
    [CARD_BLOCK_SIZE, terminalId, now],
  );
}

/** A new block when the terminal has fewer than LOW_WATER numbers left; true when one was reserved. */
export async function topUpCardBlocks(q: Queryable, terminalId: string, now: number): Promise<boolean> {
  const [row] = await q.query<{ left: number }>('SELECT coalesce(sum(size - used), 0)::int AS left FROM card_blocks WHERE terminal_id = $1', [terminalId]);
  if ((row?.left ?? 0) >= CARD_BLOCK_LOW_WATER) return false;
  await reserveCardBlock(q, terminalId, now);
  return true;
}

/**
 * The block of this terminal that holds issued number `n`, after counting it used: a terminal takes
 * its numbers in order, so the highest one HQ has seen says how many it has used. Null: not this
 * terminal's number.
 */
export async function useCardNumber(q: Queryable, terminalId: string, n: number): Promise<{ start: number } | null> {
  const [row] = await q.query<{ start: number }>(
    `UPDATE card_blocks SET used = greatest(used, $2 - start + 1)
     WHERE terminal_id = $1 AND $2 BETWEEN start AND start + size - 1 RETURNING start`,
    [terminalId, n],
  );
  return row ?? null;
}

// The change feed's ordering: rows written in a transaction carry seq NULL until, just before
// commit, they are stamped under an exclusive advisory lock. Stamps are therefore handed out in
// commit order, and a reader that saw stamp N will never later find a committed stamp below N.
import type { Queryable } from '../db';

export const FEED_LOCK = 0x4c44_4645; // 'LDFE'

const FEED_TABLES = ['stores', 'terminals', 'members', 'benefits', 'catalog_items', 'rules', 'signing_keys', 'revocations', 'staff', 'stock', 'conflicts'] as const;

/** Call last in a writing transaction. */
export async function stampChanges(q: Queryable, tables: readonly (typeof FEED_TABLES)[number][] = FEED_TABLES): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
  for (const t of tables) await q.query(`UPDATE ${t} SET seq = nextval('change_seq') WHERE seq IS NULL`);
}

/** The highest stamp committed so far: waits for any transaction that is stamping right now. */
export async function feedHigh(q: Queryable): Promise<number> {
  await q.query('SELECT pg_advisory_xact_lock_shared($1)', [FEED_LOCK]);
  const [row] = await q.query<{ v: number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM change_seq');
  return row?.v ?? 0;
}

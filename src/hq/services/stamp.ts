// The change feed's ordering: rows written in a transaction carry seq NULL until, just before
// commit, they are stamped under an exclusive advisory lock. Stamps are therefore handed out in
// commit order, and a reader that saw stamp N will never later find a committed stamp below N.
import type { Queryable } from '../db';
import { checkUnstampedRows } from './publishCheck';

export const FEED_LOCK = 0x4c44_4645; // 'LDFE'

const FEED_TABLES = ['stores', 'terminals', 'members', 'benefits', 'catalog_items', 'rules', 'signing_keys', 'revocations', 'staff', 'stock', 'conflicts', 'brand', 'privacy_terms', 'card_blocks', 'member_aliases', 'card_replacements'] as const;

/** Call last in a writing transaction. */
export async function stampChanges(q: Queryable, tables: readonly (typeof FEED_TABLES)[number][] = FEED_TABLES): Promise<void> {
  // One statement, so the exclusive lock is held for it and the COMMIT only, not for a round trip
  // per table. Each UPDATE is gated by a one-time filter on the lock: no row gets a stamp before the
  // lock is held. Only this transaction's own rows have seq NULL (every writer stamps before commit),
  // so the statement's snapshot being older than the lock does not matter.
  if (tables.length === 0) return void (await q.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]));
  // Checked before the feed lock is taken: the check's reads do not hold up other writers' stamps.
  await checkUnstampedRows(q, tables);
  const stamps = tables.map((t, i) => `s${i} AS (UPDATE ${t} SET seq = nextval('change_seq') WHERE seq IS NULL AND (SELECT locked FROM feed_lock) RETURNING 1)`);
  await q.query(
    `WITH feed_lock AS MATERIALIZED (SELECT true AS locked FROM (SELECT pg_advisory_xact_lock($1)) l), ${stamps.join(', ')}
     SELECT ${tables.map((_, i) => `(SELECT count(*) FROM s${i})`).join(' + ')} AS stamped`,
    [FEED_LOCK],
  );
}

/** The highest stamp committed so far: waits for any transaction that is stamping right now. */
export async function feedHigh(q: Queryable): Promise<number> {
  await q.query('SELECT pg_advisory_xact_lock_shared($1)', [FEED_LOCK]);
  const [row] = await q.query<{ v: number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM change_seq');
  return row?.v ?? 0;
}

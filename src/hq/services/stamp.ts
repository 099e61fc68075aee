// The change feed's ordering: rows written in a transaction carry seq NULL until, just before
// commit, they are stamped under an exclusive advisory lock. Stamps are therefore handed out in
// commit order, and a reader that saw stamp N will never later find a committed stamp below N.
import type { Queryable } from '../db';
import { memberRecordColumns, memberSetClause, notAmongWrites, type MemberWrite } from './memberWrite';
import { checkUnstampedRows } from './publishCheck';

export const FEED_LOCK = 0x4c44_4645; // 'LDFE'

const FEED_TABLES = ['stores', 'terminals', 'members', 'benefits', 'catalog_items', 'rules', 'signing_keys', 'revocations', 'staff', 'stock', 'conflicts', 'brand', 'privacy_terms', 'card_blocks', 'member_aliases', 'card_replacements'] as const;

/**
 * Call last in a writing transaction. `members`: changed members to write in the stamping UPDATE
 * itself (a push batch's, memberWrites in batchWrite.ts) rather than written unstamped and then
 * rewritten to stamp them; "members" must then be among `tables`.
 */
export async function stampChanges(q: Queryable, tables: readonly (typeof FEED_TABLES)[number][] = FEED_TABLES, members: readonly MemberWrite[] = []): Promise<void> {
  // One statement, so the exclusive lock is held for it and the COMMIT only, not for a round trip
  // per table. Each UPDATE is gated by a one-time filter on the lock: no row gets a stamp before the
  // lock is held. Only this transaction's own rows have seq NULL (every writer stamps before commit),
  // so the statement's snapshot being older than the lock does not matter.
  if (tables.length === 0) return void (await q.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]));
  if (members.length > 0 && !tables.includes('members')) throw new Error('stampChanges: member rows to write, but members is not stamped');
  const rows = JSON.stringify(members);
  // Checked before the feed lock is taken: the check's reads do not hold up other writers' stamps.
  await checkUnstampedRows(q, tables, members.length > 0 ? rows : null);
  const stamps = tables.map((t, i) =>
    t === 'members' && members.length > 0
      ? // A row can be changed once per statement: the batch's members are left to their own UPDATE.
        `s${i} AS (UPDATE members SET seq = nextval('change_seq') WHERE seq IS NULL AND ${notAmongWrites('$2')}
                   AND (SELECT locked FROM feed_lock) RETURNING 1),
         w${i} AS (UPDATE members m SET ${memberSetClause('d')}, seq = nextval('change_seq') FROM jsonb_to_recordset($2::jsonb) AS d(${memberRecordColumns()})
                   WHERE m.id = d.id AND (SELECT locked FROM feed_lock) RETURNING 1)`
      : `s${i} AS (UPDATE ${t} SET seq = nextval('change_seq') WHERE seq IS NULL AND (SELECT locked FROM feed_lock) RETURNING 1)`,
  );
  const counted = tables.flatMap((t, i) => (t === 'members' && members.length > 0 ? [`s${i}`, `w${i}`] : [`s${i}`]));
  await q.query(
    `WITH feed_lock AS MATERIALIZED (SELECT true AS locked FROM (SELECT pg_advisory_xact_lock($1)) l), ${stamps.join(', ')}
     SELECT ${counted.map((c) => `(SELECT count(*) FROM ${c})`).join(' + ')} AS stamped`,
    members.length > 0 ? [FEED_LOCK, rows] : [FEED_LOCK],
  );
}

/** The highest stamp committed so far: waits for any transaction that is stamping right now. */
export async function feedHigh(q: Queryable): Promise<number> {
  await q.query('SELECT pg_advisory_xact_lock_shared($1)', [FEED_LOCK]);
  const [row] = await q.query<{ v: number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM change_seq');
  return row?.v ?? 0;
}

// How a push batch's changed members are written (docs/sync.md "Push and idempotency"): one list of
// columns that the stamp's UPDATE (stamp.ts), an early write (batchWrite.ts flushMembers) and the
// publish check's view of the rows to be (publishCheck.ts) are all made from, so the check reads
// exactly what the write leaves.

/** The member columns a batch writes, with their types in the jsonb rows. */
export const MEMBER_WRITE_COLUMNS = [
  ['lots', 'jsonb'], ['months', 'jsonb'], ['grants', 'jsonb'], ['usage', 'jsonb'], ['points_owed', 'integer'], ['tier', 'text'],
  ['tier_since', 'bigint'], ['last_purchase_at', 'bigint'],
] as const;
/** A changed member as written; `tier_since` is left out when no operation of the batch set it (the row keeps its own). */
export type MemberWrite = { id: string; lots: unknown; months: unknown; grants: unknown; usage: unknown; points_owed: number; tier: string; tier_since?: number; last_purchase_at: number | null };

/** What the write puts in column `c` from the written row `d`: a missing tier_since keeps the row's (`m`). */
function written(c: (typeof MEMBER_WRITE_COLUMNS)[number][0], d: string): string {
  return c === 'tier_since' ? `coalesce(${d}.${c}, m.${c})` : `${d}.${c}`;
}

/** `col = …, …` for an UPDATE of members AS m from the written rows `d`. */
export function memberSetClause(d: string): string {
  return MEMBER_WRITE_COLUMNS.map(([c]) => `${c} = ${written(c, d)}`).join(', ');
}

/** The same values as a jsonb object keyed by column, to lay over a stored row (jsonb_populate_record). */
export function memberAfterJson(d: string): string {
  return `jsonb_build_object(${MEMBER_WRITE_COLUMNS.map(([c]) => `'${c}', ${written(c, d)}`).join(', ')})`;
}

/** The column definitions of jsonb_to_recordset for MemberWrite rows. */
export function memberRecordColumns(): string {
  return ['id text', ...MEMBER_WRITE_COLUMNS.map(([c, t]) => `${c} ${t}`)].join(', ');
}

/** SQL condition: the row (of members) is none of the MemberWrite rows in the jsonb parameter `rows`. */
export function notAmongWrites(rows: string): string {
  return `NOT (id = ANY(ARRAY(SELECT jsonb_array_elements(${rows}::jsonb)->>'id')))`;
}

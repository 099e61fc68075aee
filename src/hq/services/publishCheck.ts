// No poison (docs/authority.md): before a writing transaction stamps its rows into the change feed,
// each row is built as the change record terminals will pull and parsed with the protocol schema
// they parse with. A row that would fail there fails here, and the transaction writes nothing:
// one bad write can no longer stop every terminal's pull.
import { changeSchema } from '../../sync/protocolEntities';
import type { Queryable } from '../db';
import { HqError } from '../errors';
import { memberChangesAfterSql, unstampedChangesSql } from './pull';

/**
 * `memberRows`: members the stamp will write (MemberWrite rows as one jsonb text, stamp.ts), checked
 * as they will be: each stored row with the written columns put in.
 */
export async function checkUnstampedRows(q: Queryable, tables: readonly string[], memberRows: string | null = null): Promise<void> {
  // Every table's rows in one statement (one round trip per push, not one per table).
  // A member the stamp writes is checked once, as it will be, not also as it is stored (a row this
  // batch created or changed in SQL first, e.g. a sign-up, is in both).
  const sqls = tables.map((t) => unstampedChangesSql(t, t === 'members' && memberRows !== null ? '$1' : null)).filter((sql): sql is string => sql !== null);
  if (memberRows !== null) sqls.push(memberChangesAfterSql('$1'));
  if (sqls.length === 0) return;
  for (const { j } of await q.query<{ j: string }>(sqls.map((sql) => `(${sql})`).join(' UNION ALL '), memberRows === null ? [] : [memberRows])) {
    // Unstamped rows have seq NULL; the stamp they are about to get is positive.
    const parsed = changeSchema.safeParse({ ...(JSON.parse(j) as object), seq: 1 });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const { entity, id } = JSON.parse(j) as { entity?: unknown; id?: unknown };
      throw new HqError(
        'BAD_REQUEST',
        `HQ would publish a ${String(entity)} row terminals cannot read (${String(id)}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}); nothing was written`,
      );
    }
  }
}

// One member per phone (docs/join.md): a sign-up HQ receives for a number another member already
// holds is merged into that member, the one HQ received first. The merged-away id and card become
// aliases every terminal pulls, so they still find the member; the merged-away member's operations,
// which reach HQ after its sign-up (outbox order), are applied to the member it became
// (resolveAliases), so points, purchases and benefit usage are kept and the tier is evaluated on the
// whole history; a once-only benefit both had used is flagged (benefit_limit, and merge_benefit_twice:
// mergedBenefitUse.ts).
import type { Queryable } from '../db';

export async function mergeSignup(q: Queryable, m: { aliasId: string; cardNo: string; into: string; at: number }): Promise<void> {
  await q.query(
    `INSERT INTO member_aliases(alias_id, member_id, card_no, merged_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (alias_id) DO UPDATE SET member_id = excluded.member_id, card_no = excluded.card_no, tombstone = false, seq = NULL`,
    [m.aliasId, m.into, m.cardNo, m.at],
  );
  // The terminal that signed the alias up may not hold the member it became yet: send it again.
  await q.query('UPDATE members SET seq = NULL WHERE id = $1', [m.into]);
}

/** What each of these ids means now: an alias's member, or the id itself. */
export async function resolveAliases(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const rows = await q.query<{ alias_id: string; member_id: string }>(
    'SELECT alias_id, member_id FROM member_aliases WHERE NOT tombstone AND alias_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))',
    [JSON.stringify([...new Set(ids)])],
  );
  for (const r of rows) out.set(r.alias_id, r.member_id);
  return out;
}

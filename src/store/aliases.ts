// Member ids HQ merged into another member (two sign-ups of one phone at different terminals,
// docs/join.md): the merged-away id and card keep finding the member they became.
import { getMember, getMemberByCardNo, type MemberRow } from './members';
import type { Db } from './open';
import { stmt } from './statements';

/**
 * Records the alias (the `alias` change) and retires the merged-away member here, if this terminal
 * held it: its operations stay (the ledger names it), the member HQ kept is sent as a member change.
 */
export function applyAlias(db: Db, alias: { aliasId: string; memberId: string; cardNo: string | null }, at: number): void {
  stmt(
    db,
    `INSERT INTO member_aliases(alias_id, member_id, card_no, updated_at, tombstone) VALUES (?, ?, ?, ?, 0)
     ON CONFLICT(alias_id) DO UPDATE SET member_id = excluded.member_id, card_no = excluded.card_no, updated_at = excluded.updated_at, tombstone = 0`,
  ).run(alias.aliasId, alias.memberId, alias.cardNo, at);
  if (alias.aliasId !== alias.memberId) stmt(db, 'UPDATE members SET tombstone = 1, updated_at = ? WHERE id = ?').run(at, alias.aliasId);
}

export function dropAlias(db: Db, aliasId: string, at: number): void {
  stmt(db, 'UPDATE member_aliases SET tombstone = 1, updated_at = ? WHERE alias_id = ?').run(at, aliasId);
}

/** The member an old id or card number now means, or null when it is no alias. */
function aliasTarget(db: Db, ref: { memberId: string } | { cardNo: string }): string | null {
  const row =
    'memberId' in ref
      ? stmt<[string], { member_id: string }>(db, 'SELECT member_id FROM member_aliases WHERE alias_id = ? AND tombstone = 0').get(ref.memberId)
      : stmt<[string], { member_id: string }>(db, 'SELECT member_id FROM member_aliases WHERE card_no = ? AND tombstone = 0').get(ref.cardNo);
  return row?.member_id ?? null;
}

/** A member by id or card number, an alias's member when the id or card was merged away. */
export function memberOrAlias(db: Db, ref: { memberId: string } | { cardNo: string }): MemberRow | undefined {
  const direct = 'memberId' in ref ? getMember(db, ref.memberId) : getMemberByCardNo(db, ref.cardNo);
  if (direct) return direct;
  const target = aliasTarget(db, ref);
  return target === null ? undefined : getMember(db, target);
}

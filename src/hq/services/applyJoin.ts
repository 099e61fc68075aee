// Sign-ups a terminal pushed (开卡, docs/join.md), re-derived by HQ like every event: the number is
// normalized and hashed here, the card must come from the sending terminal's own block, the member
// id must be new, the name and birthday pass the desk's rules. A sign-up HQ will not take is refused
// alone with a conflict saying why; the rest of the batch goes on. Joins are rare next to operations,
// so each is a few statements of its own; they run before the batch's operations, which may name them.
import { checkJoinDetails } from '../../loyalty/memberJoin';
import { issuedCardSeq } from '../../loyalty/cardNumber';
import { phoneHash } from '../../loyalty/phone';
import { STAFF_NAME_MAX_HQ } from '../../loyalty/staffName';
import type { MemberJoined } from '../../sync/joinEvent';
import { ALLOWED_SKEW_MS } from '../../sync/protocol';
import type { Queryable } from '../db';
import type { NewConflict } from './applyOperation';
import { useCardNumber } from './cardBlocks';
import { mergeSignup } from './mergeMembers';
import { leftToday, MAX_SIGNUPS_PER_TERMINAL } from './terminalCaps';

export type JoinStatus = 'applied' | 'refused' | 'duplicate';

export interface JoinContext {
  storeId: string;
  terminalId: string;
  enrolledAt: number;
  now: number;
}

// Two sign-ups of one phone pushed at once by two terminals queue on this, so HQ sees one first.
const PHONE_LOCK_SPACE = 0x4c44_4a4e; // 'LDJN'

async function phoneKey(q: Queryable): Promise<string | null> {
  const [row] = await q.query<{ k: string }>("SELECT translate(encode(phone_key, 'base64'), '+/=', '-_') AS k FROM brand WHERE id = 'brand'");
  return row?.k ?? null;
}

async function exists(q: Queryable, sql: string, params: unknown[]): Promise<boolean> {
  return (await q.query(sql, params)).length > 0;
}

/** The reason HQ refuses this sign-up, or null when it may be applied. */
async function refusalOf(q: Queryable, j: MemberJoined, ctx: JoinContext, key: string | null): Promise<{ reason: string } & NewConflict['detail'] | null> {
  if (j.at < ctx.enrolledAt - ALLOWED_SKEW_MS || j.at > ctx.now + ALLOWED_SKEW_MS) return { reason: 'time_out_of_range', at: j.at };
  if (!(await exists(q, 'SELECT 1 FROM staff WHERE id = $1 AND store_id = $2', [j.staffId, ctx.storeId]))) return { reason: 'staff_unknown', staffId: j.staffId };
  const d = checkJoinDetails({ phone: j.phone, phoneAgain: j.phone, name: j.name, birthday: j.birthday }, STAFF_NAME_MAX_HQ);
  if (!d.ok) return { reason: d.code === 'MEMBER_NAME_INVALID' ? `name_${d.reason}` : d.code.toLowerCase() };
  // The hash the terminal keeps must be of the number it sent: otherwise its member is found by another number.
  if (key === null || phoneHash(key, d.phone) !== j.phoneHash) return { reason: 'phone_mismatch' };
  const n = issuedCardSeq(j.cardNo);
  if (n === null || (await useCardNumber(q, ctx.terminalId, n)) === null) return { reason: 'card_outside_block', cardNo: j.cardNo };
  if (await exists(q, 'SELECT 1 FROM members WHERE card_no = $1 UNION ALL SELECT 1 FROM member_aliases WHERE card_no = $1', [j.cardNo])) {
    return { reason: 'card_taken', cardNo: j.cardNo };
  }
  if (
    await exists(
      q,
      'SELECT 1 FROM members WHERE id = $1 UNION ALL SELECT 1 FROM member_aliases WHERE alias_id = $1 UNION ALL SELECT 1 FROM member_signups WHERE member_id = $1',
      [j.memberId],
    )
  ) {
    return { reason: 'id_taken' };
  }
  if (!(await exists(q, 'SELECT 1 FROM privacy_terms WHERE version = $1', [j.termsVersion]))) return { reason: 'terms_unknown', termsVersion: j.termsVersion };
  return null;
}

/** The referrer as HQ knows them (an alias resolved), or null. */
async function referrerAtHq(q: Queryable, id: string): Promise<string | null> {
  const [row] = await q.query<{ id: string }>(
    `SELECT m.id FROM members m WHERE NOT m.tombstone
        AND m.id = coalesce((SELECT member_id FROM member_aliases WHERE alias_id = $1 AND NOT tombstone), $1)`,
    [id],
  );
  return row?.id ?? null;
}

async function insertMember(q: Queryable, j: MemberJoined, name: string, phone: string): Promise<void> {
  // The first tier's welcome gift, as reaching any tier gives its own (the terminal did the same).
  await q.query(
    `INSERT INTO members(id, card_no, name, phone, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, months, lots, grants)
     VALUES ($1, $2, $3, $4, $5, 'basic', $6, 1, 'active', $6, NULL, '[]', '[]',
       coalesce((SELECT jsonb_agg(jsonb_build_object('benefitId', id, 'grantedAt', $6::bigint, 'reason', 'tier:basic', 'usedOpId', NULL) ORDER BY id)
                   FROM benefits WHERE NOT tombstone AND def->'params'->>'type' = 'tier_welcome' AND def->'params'->>'tier' = 'basic'
                    AND (def->>'requiresGrant')::boolean), '[]'::jsonb))`,
    [j.memberId, j.cardNo, name, phone, j.birthday, j.at],
  );
}

/** Applies the batch's sign-ups in order; conflicts go to `decided`. */
export async function applyJoins(q: Queryable, joins: MemberJoined[], ctx: JoinContext, decided: NewConflict[]): Promise<Map<string, JoinStatus>> {
  const statuses = new Map<string, JoinStatus>();
  if (joins.length === 0) return statuses;
  const key = await phoneKey(q);
  for (const j of joins) {
    if (await exists(q, 'SELECT 1 FROM member_signups WHERE join_id = $1', [j.joinId])) {
      statuses.set(j.joinId, 'duplicate');
      continue;
    }
    const conflict = (kind: NewConflict['kind'], decision: NewConflict['decision'], detail: NewConflict['detail']) =>
      decided.push({ opId: j.joinId, memberId: j.memberId, kind, decision, detail, at: j.at });
    await q.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [PHONE_LOCK_SPACE, j.phoneHash]);
    // A flood of sign-ups is refused whatever each one says (terminalCaps.ts).
    const capped = (await leftToday(q, 'member_signups', ctx.terminalId, ctx.now, MAX_SIGNUPS_PER_TERMINAL)) === 0;
    const refusal = capped ? { reason: 'signup_cap', limit: MAX_SIGNUPS_PER_TERMINAL } : await refusalOf(q, j, ctx, key);
    if (refusal) {
      conflict('signup_refused', 'refused', refusal);
      statuses.set(j.joinId, 'refused');
      continue;
    }
    const details = checkJoinDetails({ phone: j.phone, phoneAgain: j.phone, name: j.name, birthday: j.birthday }, STAFF_NAME_MAX_HQ);
    if (!details.ok) throw new Error('a sign-up passed its checks without valid details');
    let referrerId = j.referrerId === null ? null : await referrerAtHq(q, j.referrerId);
    if (j.referrerId !== null && referrerId === null) conflict('referrer_unknown', 'applied_as_hq', { referrerId: j.referrerId });
    const [holder] = await q.query<{ id: string }>('SELECT id FROM members WHERE phone_hash = $1 AND NOT tombstone ORDER BY joined_at, id LIMIT 1', [j.phoneHash]);
    if (referrerId !== null && referrerId === holder?.id) referrerId = null;
    await q.query(
      `INSERT INTO member_signups(join_id, member_id, terminal_id, store_id, card_no, terms_version, consent_at, staff_id, referrer_id, received_at, merged_into)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [j.joinId, j.memberId, ctx.terminalId, ctx.storeId, j.cardNo, j.termsVersion, j.at, j.staffId, referrerId, ctx.now, holder?.id ?? null],
    );
    if (holder) {
      // One member per phone: HQ received another sign-up of this number first; this one becomes its alias.
      await mergeSignup(q, { aliasId: j.memberId, cardNo: j.cardNo, into: holder.id, at: ctx.now });
      conflict('signup_merged', 'applied_as_hq', { mergedInto: holder.id, cardNo: j.cardNo });
    } else {
      await insertMember(q, j, details.name, details.phone);
    }
    statuses.set(j.joinId, 'applied');
  }
  return statuses;
}

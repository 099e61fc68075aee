// 老带新 (docs/join.md "Referral reward"): at the referee's first purchase — the first earn HQ
// applies for them — HQ gives the referrer and the referee the rules' referral points as lots HQ
// makes (and the rules' benefits as grants), written to both member rows so the change feed carries
// them to every terminal. Once per referee ever: referral_rewards' primary key decides, so two
// terminals pushing first purchases at once, a merge of two sign-ups or a voided first earn never
// give it twice. Runs after the batch is written, in its transaction.
import { lotExpiry } from '../../loyalty/points';
import type { LoyaltyRules } from '../../loyalty/types';
import type { Queryable } from '../db';
import { earnDayKey, type BatchState } from './applyOperation';
import { loadEarnedToday } from './batchLoad';
import { flushMembers } from './batchWrite';

interface Candidate {
  joinId: string;
  refereeId: string;
  referrerId: string;
}

const idsParam = (ids: Iterable<string>) => JSON.stringify([...new Set(ids)]);

/** The first applied earn of each member this batch made, in batch order. */
function firstEarns(state: BatchState): Map<string, { opId: string; at: number }> {
  const out = new Map<string, { opId: string; at: number }>();
  for (const o of state.newOps) if (o.kind === 'earn' && o.status === 'applied' && !out.has(o.memberId)) out.set(o.memberId, { opId: o.id, at: o.at });
  return out;
}

/**
 * The referral of each member that has one: the member's own sign-up first, else the earliest
 * sign-up merged into them. The referrer is resolved through aliases; one that is the referee (or an
 * alias of them) is no referral.
 */
async function referrals(q: Queryable, members: string[]): Promise<Candidate[]> {
  const rows = await q.query<{ join_id: string; referee: string; referrer: string }>(
    `SELECT DISTINCT ON (coalesce(s.merged_into, s.member_id)) s.join_id, coalesce(s.merged_into, s.member_id) AS referee,
            coalesce(a.member_id, s.referrer_id) AS referrer
       FROM member_signups s LEFT JOIN member_aliases a ON a.alias_id = s.referrer_id AND NOT a.tombstone
      WHERE s.referrer_id IS NOT NULL AND coalesce(s.merged_into, s.member_id) = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
      ORDER BY coalesce(s.merged_into, s.member_id), s.merged_into IS NOT NULL, s.received_at, s.join_id`,
    [idsParam(members)],
  );
  return rows.filter((r) => r.referrer !== r.referee).map((r) => ({ joinId: r.join_id, refereeId: r.referee, referrerId: r.referrer }));
}

/** Members with an applied earn at HQ from before this batch: their first purchase is behind them. */
async function boughtBefore(q: Queryable, members: string[], batchOps: string[]): Promise<Set<string>> {
  const rows = await q.query<{ member_id: string }>(
    `SELECT DISTINCT member_id FROM operations
      WHERE kind = 'earn' AND status = 'applied' AND member_id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))
        AND NOT (id = ANY(ARRAY(SELECT jsonb_array_elements_text($2::jsonb))))`,
    [idsParam(members), idsParam(batchOps)],
  );
  return new Set(rows.map((r) => r.member_id));
}

/** Adds one HQ-made lot (and a grant when the rules name a benefit) to a live member. */
async function credit(q: Queryable, memberId: string, lot: { key: string; at: number; points: number }, benefitId: string | null, rules: LoyaltyRules): Promise<void> {
  const lots = lot.points > 0 ? [{ key: lot.key, earnedAt: lot.at, expiresAt: lotExpiry(lot.at, rules), points: lot.points, remaining: lot.points }] : [];
  const grants = benefitId === null ? [] : [{ benefitId, grantedAt: lot.at, reason: 'referral', usedOpId: null }];
  if (lots.length === 0 && grants.length === 0) return;
  // A member who owes points after a return (docs/returns.md "Owing points") holds none spendable:
  // the new lot repays the debt first (both right-hand sides read the row as it was).
  await q.query(
    `UPDATE members SET
       lots = lots || (SELECT coalesce(jsonb_agg(jsonb_set(l, '{remaining}', to_jsonb((l->>'points')::int - least(points_owed, (l->>'points')::int)))), '[]'::jsonb)
                         FROM jsonb_array_elements($2::jsonb) AS l),
       points_owed = points_owed - least(points_owed, $4::int),
       grants = grants || $3::jsonb, seq = NULL
     WHERE id = $1 AND NOT tombstone`,
    [memberId, JSON.stringify(lots), JSON.stringify(grants), lot.points > 0 ? lot.points : 0],
  );
}

/**
 * What is left of `memberId`'s member-day earning cap (rules.earn.maxPointsPerMemberDay) on the store
 * day of `at`: HQ-applied earns and referral credits of that day count alike. Without it one terminal
 * could sign up made-up members naming one referrer and give each a 1-fen purchase: 200 points a pair,
 * 50,000 a push, without end.
 */
async function leftToday(q: Queryable, memberId: string, at: number, tz: string, cap: number): Promise<number> {
  const earned = await loadEarnedToday(q, [{ memberId, at }], tz);
  return Math.max(0, cap - (earned.get(earnDayKey(memberId, at, tz)) ?? 0));
}

/** Gives the referral reward for the referees whose first purchase this batch applied; returns how many were rewarded. */
export async function rewardReferrals(q: Queryable, state: BatchState, now: number): Promise<number> {
  const earns = firstEarns(state);
  if (earns.size === 0) return 0;
  const candidates = await referrals(q, [...earns.keys()]);
  if (candidates.length === 0) return 0;
  const before = await boughtBefore(q, candidates.map((c) => c.refereeId), state.newOps.map((o) => o.id));
  const { referral } = state.rules;
  let rewarded = 0;
  // In referee id order, so two batches rewarding the same members take their locks in one order.
  for (const c of candidates.filter((x) => !before.has(x.refereeId)).sort((a, b) => (a.refereeId < b.refereeId ? -1 : 1))) {
    const earn = earns.get(c.refereeId)!;
    const [live] = await q.query<{ id: string }>('SELECT id FROM members WHERE id = $1 AND NOT tombstone', [c.referrerId]);
    if (!live) continue;
    // Referral points are earned points: each side's within what is left of its member-day cap.
    const cap = state.rules.earn.maxPointsPerMemberDay;
    const referrerPoints = Math.min(referral.referrerPoints, await leftToday(q, c.referrerId, earn.at, state.tz, cap));
    const refereePoints = Math.min(referral.refereePoints, await leftToday(q, c.refereeId, earn.at, state.tz, cap));
    const [won] = await q.query<{ referee_id: string }>(
      `INSERT INTO referral_rewards(referee_id, referrer_id, join_id, earn_op_id, referrer_points, referee_points, at, rewarded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (referee_id) DO NOTHING RETURNING referee_id`,
      [c.refereeId, c.referrerId, c.joinId, earn.opId, referrerPoints, refereePoints, earn.at, now],
    );
    if (!won) continue;
    await q.query('UPDATE member_signups SET referral_rewarded_op = $2 WHERE join_id = $1', [c.joinId, earn.opId]);
    // The batch's own changes to these members go in first: the credit adds to the rows as they are.
    await flushMembers(q, state, [c.refereeId, c.referrerId]);
    await credit(q, c.refereeId, { key: `referral:${c.joinId}:referee`, at: earn.at, points: refereePoints }, referral.refereeBenefitId, state.rules);
    await credit(q, c.referrerId, { key: `referral:${c.joinId}:referrer`, at: earn.at, points: referrerPoints }, referral.referrerBenefitId, state.rules);
    rewarded++;
  }
  return rewarded;
}

// A page of pulled members applied in bulk. A snapshot is almost all members this terminal has
// never held: those need no look-ups (no lots to match, no months or grants to replace, no local
// operations), so they go in with a handful of multi-row INSERTs per page. A delta is mostly held
// members without unsynced operations: one look-up per page for their lots, then months and grants
// replaced and profiles upserted in bulk. Members with unsynced local operations, tombstones and
// anything unusual take the row-by-row path (`applyOne`), which stays the reference: the bulk
// paths must leave exactly the rows it would.
import type { ChangeOf } from '../sync/protocolEntities';
import type { Db } from './open';
import { stmt } from './statements';
import { replaceUsage } from './memberUsage';

type MemberChange = ChangeOf<'member'>;
type LiveMember = Extract<MemberChange, { deleted: false }>;

/** Rows per multi-row INSERT: 13 columns × 100 rows stays far below SQLite's 32,766 parameters. */
const ROWS_PER_INSERT = 100;

const MEMBER_COLS = 'id, card_no, name, phone_hash, phone_last4, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at, tombstone';

/** `values` is rows of `width` values each, flat (one array per table and page: less garbage). */
function insertMany(db: Db, head: string, tuple: string, width: number, values: unknown[], tail = ''): void {
  const step = ROWS_PER_INSERT * width;
  for (let i = 0; i < values.length; i += step) {
    const chunk = values.slice(i, i + step);
    // One prepared statement per chunk size (cached): at most ROWS_PER_INSERT of them per table.
    stmt(db, `${head} VALUES ${Array(chunk.length / width).fill(tuple).join(', ')}${tail}`).run(chunk);
  }
}

/** Ids (of those given) that this terminal already holds, tombstoned ones included. */
function heldIds(db: Db, ids: string[]): Set<string> {
  const rows = stmt<[string], { id: string }>(db, 'SELECT id FROM members WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids));
  return new Set(rows.map((r) => r.id));
}

/** A card number moving to another member must not collide with the stale holder (row-by-row does the same). */
function releaseCards(db: Db, members: LiveMember[]): void {
  const claim = new Map(members.map((m) => [m.data.cardNo, m.id]));
  const holders = stmt<[string], { id: string; card_no: string }>(db, 'SELECT id, card_no FROM members WHERE card_no IN (SELECT value FROM json_each(?))').all(
    JSON.stringify([...claim.keys()]),
  );
  for (const h of holders) {
    if (claim.get(h.card_no) !== h.id) stmt(db, "UPDATE members SET card_no = card_no || '#' || id WHERE card_no = ? AND id <> ?").run(h.card_no, claim.get(h.card_no));
  }
}

/** Months (unless `months` is false) and grants of members whose old ones are gone (or who never had any). */
function insertDetails(db: Db, members: LiveMember[], months = true): void {
  const benefitIds = new Set(stmt<[], { id: string }>(db, 'SELECT id FROM benefits').all().map((b) => b.id));
  const monthRows: unknown[] = [];
  const grants: unknown[] = [];
  const pending: unknown[] = [];
  for (const { id, data: d } of members) {
    if (months) for (const m of d.months) monthRows.push(id, m.month, m.visits, m.spendFen);
    // A grant of a benefit this terminal does not hold yet waits for it (docs/sync.md).
    for (const g of d.grants) (benefitIds.has(g.benefitId) ? grants : pending).push(id, g.benefitId, g.grantedAt, g.reason, g.usedOpId);
  }
  insertMany(db, 'INSERT INTO pending_grants(member_id, benefit_id, granted_at, reason, used_op_id)', '(?, ?, ?, ?, ?)', 5, pending);
  insertMany(db, 'INSERT INTO member_months(member_id, month, visits, spend_fen)', '(?, ?, ?, ?)', 4, monthRows);
  insertMany(db, 'INSERT INTO benefit_grants(member_id, benefit_id, granted_at, reason, used_op_id)', '(?, ?, ?, ?, ?)', 5, grants);
}

function insertNew(db: Db, members: LiveMember[]): void {
  const rows: unknown[] = [];
  const lots: unknown[] = [];
  for (const { id, seq, data: d } of members) {
    rows.push(id, d.cardNo, d.name, d.phoneHash, d.phoneLast4, d.birthday, d.tier, d.tierSince, d.cardSerial, d.status, d.joinedAt, d.lastPurchaseAt, seq);
    for (const l of d.lots) lots.push(id, l.earnedAt, l.expiresAt, l.points, Math.min(l.remaining, l.points), l.key);
  }
  insertMany(db, `INSERT INTO members(${MEMBER_COLS})`, '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)', 13, rows);
  insertMany(db, 'INSERT INTO point_lots(member_id, earned_at, expires_at, points, remaining, op_id, hq_key)', '(?, ?, ?, ?, ?, NULL, ?)', 6, lots);
  insertDetails(db, members);
}

/** Of the given ids, those with operations HQ has not acknowledged (their local state is kept). */
function withLocalOps(db: Db, ids: string[]): Set<string> {
  const rows = stmt<[string], { member_id: string }>(db, 'SELECT DISTINCT member_id FROM operations WHERE synced = 0 AND member_id IN (SELECT value FROM json_each(?))').all(
    JSON.stringify(ids),
  );
  return new Set(rows.map((r) => r.member_id));
}

interface HeldLot {
  id: number;
  member_id: string;
  hq_key: string | null;
  op_id: string | null;
  earned_at: number;
  expires_at: number;
  points: number;
  remaining: number;
}

/** Held members HQ sent whole: profile, months, lots (matched on hq_key, else op_id) and grants. */
function replaceHeld(db: Db, members: LiveMember[]): void {
  const ids = JSON.stringify(members.map((m) => m.id));
  const profiles: unknown[] = [];
  for (const { id, seq, data: d } of members) profiles.push(id, d.cardNo, d.name, d.phoneHash, d.phoneLast4, d.birthday, d.tier, d.tierSince, d.cardSerial, d.status, d.joinedAt, d.lastPurchaseAt, seq);
  insertMany(
    db,
    `INSERT INTO members(${MEMBER_COLS})`,
    `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    13,
    profiles,
    ` ON CONFLICT(id) DO UPDATE SET card_no = excluded.card_no, name = excluded.name, phone_hash = excluded.phone_hash, phone_last4 = excluded.phone_last4, birthday = excluded.birthday, tier = excluded.tier,
      tier_since = excluded.tier_since, card_serial = excluded.card_serial, status = excluded.status, joined_at = excluded.joined_at,
      last_purchase_at = excluded.last_purchase_at, updated_at = excluded.updated_at, tombstone = 0`,
  );
  replaceMonths(db, members, ids);
  stmt(db, 'DELETE FROM benefit_grants WHERE member_id IN (SELECT value FROM json_each(?))').run(ids);
  stmt(db, 'DELETE FROM pending_grants WHERE member_id IN (SELECT value FROM json_each(?))').run(ids);

  const byMember = new Map<string, HeldLot[]>();
  const held = stmt<[string], HeldLot>(db, 'SELECT id, member_id, hq_key, op_id, earned_at, expires_at, points, remaining FROM point_lots WHERE member_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(ids);
  for (const l of held) {
    const list = byMember.get(l.member_id);
    if (list) list.push(l);
    else byMember.set(l.member_id, [l]);
  }
  const fresh: unknown[] = [];
  const emptied: number[] = [];
  const update = stmt(db, 'UPDATE point_lots SET earned_at = ?, expires_at = ?, points = ?, remaining = ?, hq_key = ? WHERE id = ?');
  for (const { id, data: d } of members) {
    const mine = byMember.get(id) ?? [];
    const seen = new Set<number>();
    for (const lot of d.lots) {
      const remaining = Math.min(lot.remaining, lot.points);
      const found = mine.find((l) => l.hq_key === lot.key || (l.hq_key === null && l.op_id === lot.key));
      if (found) {
        // Most of a member's lots are as held (a push re-sends the member for one new lot): no write for those.
        const same = found.hq_key === lot.key && found.earned_at === lot.earnedAt && found.expires_at === lot.expiresAt && found.points === lot.points && found.remaining === remaining;
        if (!same) update.run(lot.earnedAt, lot.expiresAt, lot.points, remaining, lot.key, found.id);
        found.hq_key = lot.key;
        found.remaining = remaining;
        seen.add(found.id);
      } else {
        fresh.push(id, lot.earnedAt, lot.expiresAt, lot.points, remaining, lot.key);
      }
    }
    // Lots HQ no longer lists hold nothing (kept, because the ledger names them).
    for (const l of mine) if (!seen.has(l.id) && l.remaining > 0) emptied.push(l.id);
  }
  if (emptied.length > 0) stmt(db, 'UPDATE point_lots SET remaining = 0 WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(emptied));
  insertMany(db, 'INSERT INTO point_lots(member_id, earned_at, expires_at, points, remaining, op_id, hq_key)', '(?, ?, ?, ?, ?, NULL, ?)', 6, fresh);
  insertDetails(db, members, false);
}

/**
 * Held members' months made what HQ lists, writing only the months that differ: a push re-sends a
 * member for one changed month, so deleting and inserting all of them wrote several times the rows.
 */
/** `ids`: the members' ids as a JSON array. */
function replaceMonths(db: Db, members: LiveMember[], ids: string): void {
  const held = new Map<string, { visits: number; spend: number }>();
  const rows = stmt<[string], { member_id: string; month: string; visits: number; spend_fen: number }>(
    db,
    'SELECT member_id, month, visits, spend_fen FROM member_months WHERE member_id IN (SELECT value FROM json_each(?))',
  ).all(ids);
  for (const r of rows) held.set(`${r.member_id}\u0000${r.month}`, { visits: r.visits, spend: r.spend_fen });
  const added: unknown[] = [];
  const update = stmt(db, 'UPDATE member_months SET visits = ?, spend_fen = ? WHERE member_id = ? AND month = ?');
  for (const { id, data: d } of members) {
    for (const m of d.months) {
      const key = `${id}\u0000${m.month}`;
      const h = held.get(key);
      if (h === undefined) added.push(id, m.month, m.visits, m.spendFen);
      else if (h.visits !== m.visits || h.spend !== m.spendFen) update.run(m.visits, m.spendFen, id, m.month);
      held.delete(key);
    }
  }
  // What is left is held but no longer listed by HQ.
  const gone = [...held.keys()].map((k) => k.split('\u0000'));
  if (gone.length > 0) {
    stmt(db, "DELETE FROM member_months WHERE (member_id, month) IN (SELECT value ->> '$[0]', value ->> '$[1]' FROM json_each(?))").run(JSON.stringify(gone));
  }
  insertMany(db, 'INSERT INTO member_months(member_id, month, visits, spend_fen)', '(?, ?, ?, ?)', 4, added);
}

function setOwed(db: Db, members: LiveMember[]): void {
  if (members.length === 0) return;
  stmt(
    db,
    `UPDATE members AS m SET points_owed = j.owed
       FROM (SELECT value ->> '$[0]' AS id, value ->> '$[1]' AS owed FROM json_each(?)) AS j
      WHERE m.id = j.id AND m.points_owed <> j.owed`,
  ).run(JSON.stringify(members.map((c) => [c.id, c.data.owed ?? 0])));
}

/**
 * Applies a page's member changes; call inside the page's transaction, after the page's
 * reference data. `applyOne` is the row-by-row path (members with local operations, tombstones).
 */
export function applyMemberPage(db: Db, changes: MemberChange[], applyOne: (c: MemberChange) => void): void {
  const live = changes.filter((c): c is LiveMember => !c.deleted);
  const ids = new Set(changes.map((c) => c.id));
  // HQ's count of each benefit's use goes in whichever path the member takes below.
  replaceUsage(db, changes);
  // A member named twice in one page (HQ never does this) keeps the plain in-order semantics.
  if (ids.size !== changes.length || live.length < 2) {
    for (const c of changes) applyOne(c);
    return;
  }
  const heldSet = heldIds(db, live.map((c) => c.id));
  const local = withLocalOps(db, [...heldSet]);
  const bulk = live.filter((c) => !local.has(c.id));
  releaseCards(db, bulk);
  insertNew(db, bulk.filter((c) => !heldSet.has(c.id)));
  replaceHeld(db, bulk.filter((c) => heldSet.has(c.id)));
  // What a member owes (HQ's figure, like the lots): new members owe nothing unless HQ says so.
  setOwed(db, bulk.filter((c) => heldSet.has(c.id) || (c.data.owed ?? 0) > 0));
  for (const c of changes) if (c.deleted || local.has(c.id)) applyOne(c);
}

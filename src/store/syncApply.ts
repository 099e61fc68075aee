// Applies pulled changes to the terminal's tables, idempotently (the same page twice changes
// nothing more). Local operations HQ has not acknowledged yet are kept on top of what HQ says:
// a member with unsynced operations keeps its local points, months and grants until HQ's state
// includes them (pushing them makes HQ send that member again); stock is HQ's count plus the
// local unsynced movements.
import type { ChangeOf } from '../sync/protocolEntities';
import { setMeta } from './meta';
import { applyMemberPage } from './syncApplyMembers';
import type { Db } from './open';
import { stmt } from './statements';
import { recordConflict } from './syncState';
import { setBrand } from './brand';
import { pepperPinHash } from './pinPepper';
import { setTerms } from './terms';
import { addCardBlock } from './cardBlocks';
import { applyAlias, dropAlias } from './aliases';
import { dropReplacedCard, recordReplacedCard } from './replacedCards';

function hasUnsyncedOps(db: Db, memberId: string): boolean {
  return stmt<[string], { x: number }>(db, 'SELECT 1 AS x FROM operations WHERE member_id = ? AND synced = 0 LIMIT 1').get(memberId) !== undefined;
}

function applyMember(db: Db, c: ChangeOf<'member'>): void {
  if (c.deleted) {
    stmt(db, 'UPDATE members SET tombstone = 1, updated_at = ? WHERE id = ?').run(c.seq, c.id);
    return;
  }
  const d = c.data;
  const exists = stmt<[string], { x: number }>(db, 'SELECT 1 AS x FROM members WHERE id = ?').get(c.id) !== undefined;
  const local = exists && hasUnsyncedOps(db, c.id);
  // A card number moved to another member (re-issued) must not collide with the stale holder.
  stmt(db, "UPDATE members SET card_no = card_no || '#' || id WHERE card_no = ? AND id <> ?").run(d.cardNo, c.id);
  stmt(
    db,
    `INSERT INTO members(id, card_no, name, phone_hash, phone_last4, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at, tombstone)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
     ON CONFLICT(id) DO UPDATE SET card_no = excluded.card_no, name = excluded.name, phone_hash = excluded.phone_hash, phone_last4 = excluded.phone_last4,
       birthday = excluded.birthday, card_serial = excluded.card_serial, status = excluded.status, joined_at = excluded.joined_at, updated_at = excluded.updated_at, tombstone = 0`,
  ).run(c.id, d.cardNo, d.name, d.phoneHash, d.phoneLast4, d.birthday, d.tier, d.tierSince, d.cardSerial, d.status, d.joinedAt, d.lastPurchaseAt, c.seq);
  if (local) return;

  stmt(db, 'UPDATE members SET tier = ?, tier_since = ?, last_purchase_at = ?, points_owed = ? WHERE id = ?').run(d.tier, d.tierSince, d.lastPurchaseAt, d.owed ?? 0, c.id);
  stmt(db, 'DELETE FROM member_months WHERE member_id = ?').run(c.id);
  for (const m of d.months) stmt(db, 'INSERT INTO member_months(member_id, month, visits, spend_fen) VALUES (?, ?, ?, ?)').run(c.id, m.month, m.visits, m.spendFen);

  const seen = new Set<number>();
  for (const lot of d.lots) {
    const remaining = Math.min(lot.remaining, lot.points);
    const found = stmt<[string, string, string], { id: number }>(
      db,
      'SELECT id FROM point_lots WHERE member_id = ? AND (hq_key = ? OR (hq_key IS NULL AND op_id = ?))',
    ).get(c.id, lot.key, lot.key);
    if (found) {
      stmt(db, 'UPDATE point_lots SET earned_at = ?, expires_at = ?, points = ?, remaining = ?, hq_key = ? WHERE id = ?').run(
        lot.earnedAt, lot.expiresAt, lot.points, remaining, lot.key, found.id,
      );
      seen.add(found.id);
    } else {
      const info = stmt(db, 'INSERT INTO point_lots(member_id, earned_at, expires_at, points, remaining, op_id, hq_key) VALUES (?, ?, ?, ?, ?, NULL, ?)').run(
        c.id, lot.earnedAt, lot.expiresAt, lot.points, remaining, lot.key,
      );
      seen.add(Number(info.lastInsertRowid));
    }
  }
  // Lots HQ no longer lists hold nothing (kept, because the ledger names them).
  for (const l of stmt<[string], { id: number }>(db, 'SELECT id FROM point_lots WHERE member_id = ? AND remaining > 0').all(c.id)) {
    if (!seen.has(l.id)) stmt(db, 'UPDATE point_lots SET remaining = 0 WHERE id = ?').run(l.id);
  }

  stmt(db, 'DELETE FROM benefit_grants WHERE member_id = ?').run(c.id);
  stmt(db, 'DELETE FROM pending_grants WHERE member_id = ?').run(c.id);
  // A grant of a benefit this terminal does not hold yet waits in pending_grants until the benefit
  // arrives (a later page of the feed), rather than failing the page or being lost.
  for (const g of d.grants) {
    const known = stmt<[string], { x: number }>(db, 'SELECT 1 AS x FROM benefits WHERE id = ?').get(g.benefitId) !== undefined;
    stmt(db, `INSERT INTO ${known ? 'benefit_grants' : 'pending_grants'}(member_id, benefit_id, granted_at, reason, used_op_id) VALUES (?, ?, ?, ?, ?)`).run(
      c.id,
      g.benefitId,
      g.grantedAt,
      g.reason,
      g.usedOpId,
    );
  }
}

/** Grants that arrived before their benefit become real grants once the benefit is here. */
function releasePendingGrants(db: Db, benefitId: string): void {
  const moved = stmt(
    db,
    `INSERT INTO benefit_grants(member_id, benefit_id, granted_at, reason, used_op_id)
     SELECT member_id, benefit_id, granted_at, reason, used_op_id FROM pending_grants WHERE benefit_id = ? AND member_id IN (SELECT id FROM members)`,
  ).run(benefitId);
  if (moved.changes > 0 || stmt<[string], { x: number }>(db, 'SELECT 1 AS x FROM pending_grants WHERE benefit_id = ? LIMIT 1').get(benefitId)) {
    stmt(db, 'DELETE FROM pending_grants WHERE benefit_id = ?').run(benefitId);
  }
}

function applyStock(db: Db, storeId: string, c: ChangeOf<'stock'>): void {
  if (c.deleted) return;
  const local = stmt<[string], { d: number | null }>(
    db,
    // Unsynced operations are the ones whose event is still in the outbox (acks delete the event
    // and mark the operation synced together): a walk of the short outbox, not of the ledger.
    `SELECT sum(l.delta) AS d
     FROM (SELECT DISTINCT op_id FROM outbox WHERE op_id IS NOT NULL) ob
       CROSS JOIN operations o ON o.id = ob.op_id
       CROSS JOIN ledger l ON l.member_id = o.member_id AND l.at = o.at AND l.op_id = o.id
     WHERE o.synced = 0 AND l.account = 'stock' AND l.ref = ?`,
  ).get(c.id);
  const qty = Math.max(0, c.data.qty + (local?.d ?? 0));
  stmt(
    db,
    `INSERT INTO stock(store_id, sku, name_json, qty) VALUES (?, ?, ?, ?)
     ON CONFLICT(store_id, sku) DO UPDATE SET name_json = excluded.name_json, qty = excluded.qty`,
  ).run(storeId, c.id, JSON.stringify(c.data.name), qty);
}

export type AnyChange = ChangeOf<'member'> | ChangeOf<'benefit'> | ChangeOf<'catalog'> | ChangeOf<'rules'> | ChangeOf<'key'> | ChangeOf<'revocation'> | ChangeOf<'staff'> | ChangeOf<'stock'> | ChangeOf<'store'> | ChangeOf<'conflict'> | ChangeOf<'brand'>
  | ChangeOf<'terms'> | ChangeOf<'cardBlock'> | ChangeOf<'alias'> | ChangeOf<'cardReplaced'>;

/** One change; call inside the page's transaction. */
export function applyChange(db: Db, storeId: string, c: AnyChange, now: number, terminalId?: string): void {
  switch (c.entity) {
    case 'member':
      return applyMember(db, c);
    case 'benefit':
      if (c.deleted) {
        stmt(db, 'UPDATE benefits SET tombstone = 1, updated_at = ? WHERE id = ?').run(c.seq, c.id);
        return;
      }
      stmt(
        db,
        `INSERT INTO benefits(id, type, name_json, params_json, valid_from, valid_to, tiers_json, stores_json, per_member_limit, per_day_limit, offline_ok, requires_grant, updated_at, tombstone)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET type = excluded.type, name_json = excluded.name_json, params_json = excluded.params_json, valid_from = excluded.valid_from,
           valid_to = excluded.valid_to, tiers_json = excluded.tiers_json, stores_json = excluded.stores_json, per_member_limit = excluded.per_member_limit,
           per_day_limit = excluded.per_day_limit, offline_ok = excluded.offline_ok, requires_grant = excluded.requires_grant, updated_at = excluded.updated_at, tombstone = 0`,
      ).run(
        c.id, c.data.params.type, JSON.stringify(c.data.name), JSON.stringify(c.data.params), c.data.validFrom, c.data.validTo, JSON.stringify(c.data.tiers),
        JSON.stringify(c.data.stores), c.data.perMemberLimit, c.data.perDayLimit, c.data.offlineRedeemable ? 1 : 0, c.data.requiresGrant ? 1 : 0, c.seq,
      );
      releasePendingGrants(db, c.id);
      return;
    case 'catalog':
      if (c.deleted) {
        stmt(db, 'UPDATE catalog_items SET tombstone = 1, updated_at = ? WHERE id = ?').run(c.seq, c.id);
        return;
      }
      stmt(
        db,
        `INSERT INTO catalog_items(id, name_json, sku, points_cost, value_fen, tiers_json, active, updated_at, tombstone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET name_json = excluded.name_json, sku = excluded.sku, points_cost = excluded.points_cost, value_fen = excluded.value_fen,
           tiers_json = excluded.tiers_json, active = excluded.active, updated_at = excluded.updated_at, tombstone = 0`,
      ).run(c.id, JSON.stringify(c.data.name), c.data.sku, c.data.pointsCost, c.data.valueFen, JSON.stringify(c.data.tiers), c.data.active ? 1 : 0, c.seq);
      return;
    case 'rules':
      if (!c.deleted) setMeta(db, 'rules_json', JSON.stringify(c.data));
      return;
    case 'key':
      if (c.deleted) {
        stmt(db, 'UPDATE trusted_keys SET tombstone = 1, updated_at = ? WHERE kid = ?').run(c.seq, c.id);
        return;
      }
      stmt(
        db,
        `INSERT INTO trusted_keys(kid, x, valid_from, valid_to, updated_at, tombstone) VALUES (?, ?, ?, ?, ?, 0)
         ON CONFLICT(kid) DO UPDATE SET x = excluded.x, valid_from = excluded.valid_from, valid_to = excluded.valid_to, updated_at = excluded.updated_at, tombstone = 0`,
      ).run(c.id, c.data.x, c.data.validFrom, c.data.validTo, c.seq);
      return;
    case 'revocation': {
      if (c.deleted) {
        const [memberId, serial] = [c.id.slice(0, c.id.lastIndexOf(':')), Number(c.id.slice(c.id.lastIndexOf(':') + 1))];
        stmt(db, 'UPDATE revocations SET tombstone = 1, updated_at = ? WHERE member_id = ? AND card_serial = ?').run(c.seq, memberId, serial);
        return;
      }
      stmt(
        db,
        `INSERT INTO revocations(member_id, card_serial, revoked_at, reason, updated_at, tombstone) VALUES (?, ?, ?, ?, ?, 0)
         ON CONFLICT(member_id, card_serial) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason, updated_at = excluded.updated_at, tombstone = 0`,
      ).run(c.data.memberId, c.data.cardSerial, c.data.revokedAt, c.data.reason, c.seq);
      return;
    }
    case 'staff':
      if (c.deleted) {
        stmt(db, 'UPDATE staff SET tombstone = 1, active = 0, updated_at = ? WHERE id = ?').run(c.seq, c.id);
        return;
      }
      // A PIN hash another (stale) row still holds would break the unique index: that row's PIN moved.
      const pinHash = pepperPinHash(db, c.data.pinHash);
      stmt(db, 'UPDATE staff SET tombstone = 1, active = 0 WHERE store_id = ? AND pin_hash = ? AND id <> ?').run(storeId, pinHash, c.id);
      stmt(
        db,
        `INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at, tombstone) VALUES (?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET store_id = excluded.store_id, name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash,
           active = excluded.active, updated_at = excluded.updated_at, tombstone = 0`,
      ).run(c.id, storeId, c.data.name, c.data.role, pinHash, c.data.active ? 1 : 0, c.seq);
      return;
    case 'stock':
      return applyStock(db, storeId, c);
    case 'store':
      if (c.deleted) return;
      stmt(
        db,
        `INSERT INTO stores(id, name_json, tz, updated_at, tombstone) VALUES (?, ?, ?, ?, 0)
         ON CONFLICT(id) DO UPDATE SET name_json = excluded.name_json, tz = excluded.tz, updated_at = excluded.updated_at, tombstone = 0`,
      ).run(c.id, JSON.stringify(c.data.name), c.data.tz, c.seq);
      if (c.id === storeId) {
        setMeta(db, 'pin_salt', c.data.pinSalt);
        setMeta(db, 'tz', c.data.tz);
      }
      return;
    case 'conflict':
      if (!c.deleted) recordConflict(db, { id: Number(c.id), ...c.data }, now);
      return;
    case 'brand':
      if (!c.deleted) setBrand(db, c.data, c.seq);
      return;
    case 'terms':
      if (!c.deleted) setTerms(db, c.data, c.seq);
      return;
    case 'cardBlock':
      // HQ sends each terminal its own blocks; one meant for another terminal is never used here.
      if (!c.deleted && (terminalId === undefined || c.data.terminalId === terminalId)) addCardBlock(db, c.data, c.seq);
      return;
    case 'alias':
      if (c.deleted) dropAlias(db, c.id, c.seq);
      else applyAlias(db, { aliasId: c.id, memberId: c.data.memberId, cardNo: c.data.cardNo }, c.seq);
      return;
    case 'cardReplaced':
      // 挂失补卡 at any terminal: the old number is refused here too (docs/lostcard.md).
      if (c.deleted) dropReplacedCard(db, c.id, c.seq);
      else recordReplacedCard(db, { cardNo: c.id, memberId: c.data.memberId, cardSerial: c.data.cardSerial, replacedBy: c.data.replacedBy, at: c.data.at, newCode: c.data.code ?? null }, c.seq);
      return;
  }
}

/**
 * One pulled page; call inside the page's transaction (with foreign keys deferred: rows of a page
 * may name each other in any order). Reference data first, members last, so a member's grants
 * find their benefits; members go in bulk (syncApplyMembers.ts).
 */
export function applyPage(db: Db, storeId: string, changes: readonly AnyChange[], now: number, terminalId?: string): void {
  const { reference, members, aliases } = pageInOrder(changes);
  for (const change of reference) applyChange(db, storeId, change, now, terminalId);
  applyMemberPage(db, members, (c) => applyMember(db, c));
  for (const a of aliases) applyChange(db, storeId, a, now, terminalId);
}

/**
 * A page's rows in the order they are applied: reference data, then members, then aliases (an
 * alias retires the merged-away member, which a page may also have sent). applyPage and the
 * row-by-row retry of a page SQLite refused (syncRun.ts) both go by it.
 */
export function pageInOrder(changes: readonly AnyChange[]): { reference: AnyChange[]; members: ChangeOf<'member'>[]; aliases: ChangeOf<'alias'>[] } {
  const reference: AnyChange[] = [];
  const members: ChangeOf<'member'>[] = [];
  const aliases: ChangeOf<'alias'>[] = [];
  for (const change of changes) {
    if (change.entity === 'member') members.push(change);
    else if (change.entity === 'alias') aliases.push(change);
    else reference.push(change);
  }
  return { reference, members, aliases };
}

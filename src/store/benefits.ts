// benefits, benefit_grants, catalog_items, stock.
import { z } from 'zod';
import type { BenefitDef, BenefitUsage, CatalogItem, LocalizedText, TierCode } from '../loyalty/types';
import { benefitParamsSchema, localizedTextSchema, tierListSchema } from '../loyalty/schemas';
import type { Db } from './open';
import { stmt } from './statements';
import { withBrandUsage } from './memberUsage';

interface BenefitRow {
  id: string;
  type: string;
  name_json: string;
  params_json: string;
  valid_from: number;
  valid_to: number;
  tiers_json: string;
  stores_json: string;
  per_member_limit: number | null;
  per_day_limit: number | null;
  offline_ok: number;
  requires_grant: number;
}

const storeListSchema = z.array(z.string());

function toBenefit(row: BenefitRow): BenefitDef {
  return {
    id: row.id,
    name: localizedTextSchema.parse(JSON.parse(row.name_json)),
    params: benefitParamsSchema.parse(JSON.parse(row.params_json)),
    validFrom: row.valid_from,
    validTo: row.valid_to,
    tiers: tierListSchema.parse(JSON.parse(row.tiers_json)),
    stores: storeListSchema.parse(JSON.parse(row.stores_json)),
    perMemberLimit: row.per_member_limit,
    perDayLimit: row.per_day_limit,
    offlineRedeemable: row.offline_ok === 1,
    requiresGrant: row.requires_grant === 1,
  };
}

const BENEFIT_COLUMNS =
  'id, type, name_json, params_json, valid_from, valid_to, tiers_json, stores_json, per_member_limit, per_day_limit, offline_ok, requires_grant';

interface BenefitCache {
  stamp: string;
  list: BenefitDef[];
  byId: Map<string, BenefitDef>;
}

const benefitCaches = new WeakMap<Db, BenefitCache>();

/**
 * Benefits change rarely (a sync) but are read on every card and redemption: parsed rows are kept per
 * connection and re-read when the table's stamp (row count, sum of update stamps, tombstones) moves.
 */
function benefitCache(db: Db): BenefitCache {
  const stamp = stmt<[], { s: string }>(
    db,
    "SELECT count(*) || ':' || total(updated_at) || ':' || total(tombstone) AS s FROM benefits",
  ).get()!.s;
  const cached = benefitCaches.get(db);
  if (cached && cached.stamp === stamp) return cached;
  const list = stmt<[], BenefitRow>(db, `SELECT ${BENEFIT_COLUMNS} FROM benefits WHERE tombstone = 0 ORDER BY id`)
    .all()
    .map(toBenefit);
  const fresh = { stamp, list, byId: new Map(list.map((b) => [b.id, b])) };
  benefitCaches.set(db, fresh);
  return fresh;
}

export function getBenefit(db: Db, id: string): BenefitDef | undefined {
  return benefitCache(db).byId.get(id);
}

export function listBenefits(db: Db): readonly BenefitDef[] {
  return benefitCache(db).list;
}

export function upsertBenefit(db: Db, b: BenefitDef, updatedAt: number): void {
  stmt(
    db,
    `INSERT INTO benefits(${BENEFIT_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET type = excluded.type, name_json = excluded.name_json, params_json = excluded.params_json,
       valid_from = excluded.valid_from, valid_to = excluded.valid_to, tiers_json = excluded.tiers_json,
       stores_json = excluded.stores_json, per_member_limit = excluded.per_member_limit,
       per_day_limit = excluded.per_day_limit, offline_ok = excluded.offline_ok,
       requires_grant = excluded.requires_grant, updated_at = excluded.updated_at, tombstone = 0`,
  ).run(
    b.id,
    b.params.type,
    JSON.stringify(b.name),
    JSON.stringify(b.params),
    b.validFrom,
    b.validTo,
    JSON.stringify(b.tiers),
    JSON.stringify(b.stores),
    b.perMemberLimit,
    b.perDayLimit,
    b.offlineRedeemable ? 1 : 0,
    b.requiresGrant ? 1 : 0,
    updatedAt,
  );
}

interface UsageRow {
  benefit_id: string;
  total: number;
  today: number;
  last_at: number | null;
  unsynced: number;
  unsynced_today: number;
}

/**
 * Non-voided redemptions of every benefit by one member, with today's count, in one read; with the
 * brand-wide use HQ last sent, so a limit holds across terminals after a sync (memberUsage.ts).
 */
export function usageByBenefit(db: Db, memberId: string, businessDate: string): Map<string, Omit<BenefitUsage, 'grantsAvailable'>> {
  const rows = stmt<[string, string, string], UsageRow>(
    db,
    `SELECT benefit_id, count(*) AS total, sum(business_date = ?) AS today, max(at) AS last_at,
            sum(synced = 0) AS unsynced, sum(synced = 0 AND business_date = ?) AS unsynced_today
       FROM operations
      WHERE member_id = ? AND kind = 'redeem' AND voided_by_op IS NULL
      GROUP BY benefit_id`,
  ).all(businessDate, businessDate, memberId);
  const local = new Map(
    rows.map((r) => [r.benefit_id, { memberTotal: r.total, memberToday: r.today, lastRedeemedAt: r.last_at, unsyncedTotal: r.unsynced, unsyncedToday: r.unsynced_today }]),
  );
  return withBrandUsage(db, memberId, businessDate, local);
}

export function usageOf(db: Db, memberId: string, benefitId: string, businessDate: string): Omit<BenefitUsage, 'grantsAvailable'> {
  return usageByBenefit(db, memberId, businessDate).get(benefitId) ?? { memberTotal: 0, memberToday: 0, lastRedeemedAt: null };
}

export function openGrants(db: Db, memberId: string): Map<string, number> {
  const rows = stmt<[string], { benefit_id: string; n: number }>(
    db,
    'SELECT benefit_id, count(*) AS n FROM benefit_grants WHERE member_id = ? AND used_op_id IS NULL GROUP BY benefit_id',
  ).all(memberId);
  return new Map(rows.map((r) => [r.benefit_id, r.n]));
}

export function grantBenefit(db: Db, memberId: string, benefitId: string, at: number, reason: string): void {
  stmt(db, 'INSERT INTO benefit_grants(member_id, benefit_id, granted_at, reason) VALUES (?, ?, ?, ?)').run(
    memberId,
    benefitId,
    at,
    reason,
  );
}

/** Marks the oldest open grant used by an operation; returns false when none was open. */
export function useGrant(db: Db, memberId: string, benefitId: string, opId: string): boolean {
  const info = stmt(
    db,
    `UPDATE benefit_grants SET used_op_id = ?
      WHERE id = (SELECT id FROM benefit_grants WHERE member_id = ? AND benefit_id = ? AND used_op_id IS NULL ORDER BY granted_at, id LIMIT 1)`,
  ).run(opId, memberId, benefitId);
  return info.changes === 1;
}

export interface GrantRow {
  id: number;
  benefit_id: string;
  used_op_id: string | null;
}

/** The grants one event issued to a member: same reason, same instant (a tier step's welcome gifts). */
export function grantsIssued(db: Db, memberId: string, reason: string, at: number): GrantRow[] {
  return stmt<[string, string, number], GrantRow>(
    db,
    'SELECT id, benefit_id, used_op_id FROM benefit_grants WHERE member_id = ? AND reason = ? AND granted_at = ? ORDER BY id',
  ).all(memberId, reason, at);
}

/** Withdraws an unused grant; returns false when it is gone or was used meanwhile. */
export function withdrawGrant(db: Db, grantId: number): boolean {
  return stmt(db, 'DELETE FROM benefit_grants WHERE id = ? AND used_op_id IS NULL').run(grantId).changes === 1;
}

export function releaseGrant(db: Db, opId: string): void {
  stmt(db, 'UPDATE benefit_grants SET used_op_id = NULL WHERE used_op_id = ?').run(opId);
}

interface CatalogRow {
  id: string;
  name_json: string;
  sku: string;
  points_cost: number;
  value_fen: number;
  tiers_json: string;
  active: number;
}

function toCatalogItem(row: CatalogRow): CatalogItem {
  return {
    id: row.id,
    name: localizedTextSchema.parse(JSON.parse(row.name_json)),
    sku: row.sku,
    pointsCost: row.points_cost,
    valueFen: row.value_fen,
    tiers: tierListSchema.parse(JSON.parse(row.tiers_json)) as TierCode[],
    active: row.active === 1,
  };
}

const CATALOG_COLUMNS = 'id, name_json, sku, points_cost, value_fen, tiers_json, active';

export function getCatalogItem(db: Db, id: string): CatalogItem | undefined {
  const row = stmt<[string], CatalogRow>(db, `SELECT ${CATALOG_COLUMNS} FROM catalog_items WHERE id = ? AND tombstone = 0`).get(id);
  return row && toCatalogItem(row);
}

export function listCatalog(db: Db): CatalogItem[] {
  return stmt<[], CatalogRow>(db, `SELECT ${CATALOG_COLUMNS} FROM catalog_items WHERE tombstone = 0 ORDER BY points_cost, id`)
    .all()
    .map(toCatalogItem);
}

export function stockOf(db: Db, storeId: string, sku: string): number | null {
  const row = stmt<[string, string], { qty: number }>(db, 'SELECT qty FROM stock WHERE store_id = ? AND sku = ?').get(storeId, sku);
  return row?.qty ?? null;
}

export function stockMap(db: Db, storeId: string): Map<string, number> {
  const rows = stmt<[string], { sku: string; qty: number }>(db, 'SELECT sku, qty FROM stock WHERE store_id = ?').all(storeId);
  return new Map(rows.map((r) => [r.sku, r.qty]));
}

/** Moves stock; the CHECK (qty >= 0) constraint makes over-issuing impossible. */
export function adjustStock(db: Db, storeId: string, sku: string, delta: number): void {
  stmt(db, 'UPDATE stock SET qty = qty + ? WHERE store_id = ? AND sku = ?').run(delta, storeId, sku);
}

export function stockName(db: Db, storeId: string, sku: string): LocalizedText | null {
  const row = stmt<[string, string], { name_json: string }>(db, 'SELECT name_json FROM stock WHERE store_id = ? AND sku = ?').get(
    storeId,
    sku,
  );
  return row ? localizedTextSchema.parse(JSON.parse(row.name_json)) : null;
}

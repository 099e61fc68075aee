// HQ's master data, written by the admin endpoints: every write leaves its rows unstamped and
// stamps them before commit, so terminals pull them in commit order.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import type { LoyaltyRules, OfflineRiskLimits } from '../../loyalty/types';
import type { BenefitDef } from '../../loyalty/types';
import { hashStaffPin, newPinSalt } from '../../sync/pinScheme';
import type { HqDb } from '../db';
import { HqError } from '../errors';
import type { AdminMember } from '../validation';
import { stampChanges } from './stamp';

type Tables = Parameters<typeof stampChanges>[1];

async function write<T>(db: HqDb, tables: Tables, fn: (q: Parameters<Parameters<HqDb['tx']>[0]>[0]) => Promise<T>): Promise<T> {
  return db.tx(async (q) => {
    const result = await fn(q);
    await stampChanges(q, tables);
    return result;
  });
}

export function upsertStores(db: HqDb, stores: { id: string; name: unknown; tz: string }[]) {
  return write(db, ['stores'], async (q) => {
    for (const s of stores) {
      await q.query(
        `INSERT INTO stores(id, name, tz, pin_salt) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, tz = excluded.tz, tombstone = false, seq = NULL`,
        [s.id, JSON.stringify(s.name), s.tz, newPinSalt()],
      );
    }
    return { stores: stores.length };
  });
}

const MEMBER_COLS = 'id, card_no, name, phone, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, months, lots, grants';

export function upsertMembers(db: HqDb, members: AdminMember[]) {
  return write(db, ['members'], async (q) => {
    // One statement per chunk: a million members go in at bulk speed. The last record of an id wins.
    const byId = new Map(members.map((m) => [m.id, m]));
    const rows = [...byId.values()].map((m) => ({
      id: m.id, card_no: m.cardNo, name: m.name, phone: m.phone, birthday: m.birthday, tier: m.tier, tier_since: m.tierSince,
      card_serial: m.cardSerial, status: m.status, joined_at: m.joinedAt, last_purchase_at: m.lastPurchaseAt,
      months: m.months, lots: m.lots, grants: m.grants,
    }));
    await q.query(
      `INSERT INTO members(${MEMBER_COLS})
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(id text, card_no text, name text, phone text, birthday text, tier text, tier_since bigint,
         card_serial int, status text, joined_at bigint, last_purchase_at bigint, months jsonb, lots jsonb, grants jsonb)
       ON CONFLICT (id) DO UPDATE SET card_no = excluded.card_no, name = excluded.name, phone = excluded.phone, birthday = excluded.birthday,
         tier = excluded.tier, tier_since = excluded.tier_since, card_serial = excluded.card_serial, status = excluded.status,
         joined_at = excluded.joined_at, last_purchase_at = excluded.last_purchase_at, months = excluded.months, lots = excluded.lots,
         grants = excluded.grants, tombstone = false, seq = NULL`,
      [JSON.stringify(rows)],
    );
    return { members: members.length };
  });
}

export function deleteRow(db: HqDb, table: 'members' | 'benefits' | 'catalog_items' | 'staff', id: string) {
  return write(db, [table], async (q) => {
    const rows = await q.query(`UPDATE ${table} SET tombstone = true, seq = NULL WHERE id = $1 AND NOT tombstone RETURNING id`, [id]);
    if (rows.length === 0) throw new HqError('NOT_FOUND', `no ${table.replace('_items', '')} ${id}`);
    return { deleted: id };
  });
}

export function upsertBenefits(db: HqDb, benefits: BenefitDef[]) {
  return write(db, ['benefits'], async (q) => {
    for (const { id, ...def } of benefits) {
      await q.query('INSERT INTO benefits(id, def) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET def = excluded.def, tombstone = false, seq = NULL', [id, JSON.stringify(def)]);
    }
    return { benefits: benefits.length };
  });
}

export function upsertCatalog(db: HqDb, items: ({ id: string } & Record<string, unknown>)[]) {
  return write(db, ['catalog_items'], async (q) => {
    for (const { id, ...data } of items) {
      await q.query('INSERT INTO catalog_items(id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = excluded.data, tombstone = false, seq = NULL', [id, JSON.stringify(data)]);
    }
    return { items: items.length };
  });
}

/**
 * Publishes rules. Every version is kept (an earn is checked against the version its terminal
 * applied) and a published version never changes: new rules need a new, higher version.
 */
export function setRules(db: HqDb, rules: LoyaltyRules, now = Date.now()) {
  return write(db, ['rules'], async (q) => {
    const text = JSON.stringify(rules);
    const [current] = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM rules_versions');
    const [same] = await q.query<{ same: boolean }>('SELECT rules = $2::jsonb AS same FROM rules_versions WHERE version = $1', [rules.version, text]);
    if (same && !same.same) throw new HqError('BAD_REQUEST', `rules version ${rules.version} is already published with other rules; publish them as a higher version`);
    // Publishing an older version again, even unchanged, would roll the current rules back.
    if (current?.v != null && rules.version < current.v) {
      throw new HqError('BAD_REQUEST', `rules version ${rules.version} is older than the published version ${current.v}; publish a higher version`);
    }
    await q.query('INSERT INTO rules_versions(version, rules, published_at) VALUES ($1, $2, $3) ON CONFLICT (version) DO NOTHING', [rules.version, text, now]);
    await q.query("INSERT INTO rules(id, rules) VALUES ('global', $1) ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, seq = NULL", [text]);
    return { version: rules.version };
  });
}

export function setTerminalLimits(db: HqDb, terminalId: string, limits: OfflineRiskLimits | null) {
  return write(db, ['terminals'], async (q) => {
    const rows = await q.query('UPDATE terminals SET offline_limits = $1, seq = NULL WHERE id = $2 RETURNING id', [limits === null ? null : JSON.stringify(limits), terminalId]);
    if (rows.length === 0) throw new HqError('NOT_FOUND', `no terminal ${terminalId}`);
    return { terminalId, offline: limits };
  });
}

export function upsertStaff(db: HqDb, staff: { id: string; storeId: string; name: string; role: 'clerk' | 'manager'; pin: string; active: boolean }[]) {
  return write(db, ['staff'], async (q) => {
    const salts = new Map<string, string>();
    for (const s of staff) {
      if (!salts.has(s.storeId)) {
        const [row] = await q.query<{ pin_salt: string }>('SELECT pin_salt FROM stores WHERE id = $1', [s.storeId]);
        if (!row) throw new HqError('NOT_FOUND', `no store ${s.storeId}`);
        salts.set(s.storeId, row.pin_salt);
      }
      const data = { name: s.name, role: s.role, pinHash: hashStaffPin(s.pin, salts.get(s.storeId)!), active: s.active };
      const clash = await q.query("SELECT id FROM staff WHERE store_id = $1 AND data->>'pinHash' = $2 AND id <> $3 AND NOT tombstone", [s.storeId, data.pinHash, s.id]);
      if (clash.length > 0) throw new HqError('BAD_REQUEST', `staff ${s.id}: that PIN is already someone's at ${s.storeId}; PINs are unique per store`);
      await q.query(
        'INSERT INTO staff(id, store_id, data) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, data = excluded.data, tombstone = false, seq = NULL',
        [s.id, s.storeId, JSON.stringify(data)],
      );
    }
    return { staff: staff.length };
  });
}

export function upsertStock(db: HqDb, storeId: string, items: { sku: string; name: unknown; qty: number }[]) {
  return write(db, ['stock'], async (q) => {
    for (const s of items) {
      await q.query('INSERT INTO stock(store_id, sku, name, qty) VALUES ($1, $2, $3, $4) ON CONFLICT (store_id, sku) DO UPDATE SET name = excluded.name, qty = excluded.qty, seq = NULL', [
        storeId,
        s.sku,
        JSON.stringify(s.name),
        s.qty,
      ]);
    }
    return { stock: items.length };
  });
}

export function importKey(db: HqDb, jwk: { kid: string; x: string; d: string }, validFrom: number, now: number) {
  return write(db, ['signing_keys'], async (q) => {
    await q.query(
      'INSERT INTO signing_keys(kid, x, d, valid_from, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO UPDATE SET x = excluded.x, d = excluded.d, valid_from = excluded.valid_from, valid_to = NULL, tombstone = false, seq = NULL',
      [jwk.kid, jwk.x, jwk.d, validFrom, now],
    );
    return { kid: jwk.kid, x: jwk.x };
  });
}

/** A new signing key from now on; `retire` ends an old key's validity (its codes stop verifying). */
export function rotateKey(db: HqDb, retire: string | undefined, now: number) {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })).export({ format: 'jwk' });
  const kid = `hq-${new Date(now).toISOString().slice(0, 10)}-${jwk.x!.slice(0, 6)}`;
  return write(db, ['signing_keys'], async (q) => {
    await q.query('INSERT INTO signing_keys(kid, x, d, valid_from, created_at) VALUES ($1, $2, $3, $4, $4)', [kid, jwk.x, jwk.d, now]);
    if (retire) {
      const rows = await q.query('UPDATE signing_keys SET valid_to = $1, seq = NULL WHERE kid = $2 RETURNING kid', [now, retire]);
      if (rows.length === 0) throw new HqError('NOT_FOUND', `no key ${retire}`);
    }
    return { jwk: { kty: 'OKP' as const, crv: 'Ed25519' as const, kid, x: jwk.x!, d: jwk.d! } };
  });
}

export function revokeCard(db: HqDb, r: { memberId: string; cardSerial: number; reason?: string | undefined }, now: number) {
  return write(db, ['revocations', 'members'], async (q) => {
    const [m] = await q.query('SELECT 1 FROM members WHERE id = $1 AND NOT tombstone', [r.memberId]);
    if (!m) throw new HqError('NOT_FOUND', `no member ${r.memberId}`);
    await q.query(
      `INSERT INTO revocations(member_id, card_serial, revoked_at, reason) VALUES ($1, $2, $3, $4)
       ON CONFLICT (member_id, card_serial) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason, tombstone = false, seq = NULL`,
      [r.memberId, r.cardSerial, now, r.reason ?? null],
    );
    if (r.cardSerial === 0) await q.query("UPDATE members SET status = 'revoked', seq = NULL WHERE id = $1", [r.memberId]);
    return { revoked: { memberId: r.memberId, cardSerial: r.cardSerial, revokedAt: now } };
  });
}

export async function listConflicts(db: HqDb, storeId: string | undefined) {
  const rows = await db.query(
    `SELECT id, store_id AS "storeId", terminal_id AS "terminalId", op_id AS "opId", member_id AS "memberId", kind, decision, detail, at, decided_at AS "decidedAt"
       FROM conflicts WHERE ($1::text IS NULL OR store_id = $1) ORDER BY id`,
    [storeId ?? null],
  );
  return { conflicts: rows };
}

export async function listTerminals(db: HqDb, storeId: string | undefined) {
  const rows = await db.query(
    `SELECT id, store_id AS "storeId", label, last_seq AS "lastSeq", enrolled_at AS "enrolledAt", last_seen_at AS "lastSeenAt", offline_limits AS "offline"
       FROM terminals WHERE ($1::text IS NULL OR store_id = $1) ORDER BY id`,
    [storeId ?? null],
  );
  return { terminals: rows };
}

/**
 * Every restore a terminal told HQ about (schema 100, docs/sync.md "After a restore"), newest first:
 * a restore rewinds a terminal's audit chain, so HQ's admin sees which terminal, of which store,
 * when, and at which audit head HQ re-anchored it (and whether HQ knew that head).
 */
export async function listTerminalRestores(db: HqDb, storeId: string | undefined) {
  const rows = await db.query<{ id: string | number; terminalId: string; storeId: string; backupAt: string | number; auditSeq: string | number; auditHash: string; outboxSeq: string | number; hqLastSeq: string | number; anchorSeqBefore: string | number | null; headKnown: boolean; headDiverges: boolean; at: string | number }>(
    `SELECT r.id, r.terminal_id AS "terminalId", t.store_id AS "storeId", r.backup_at AS "backupAt", r.audit_seq AS "auditSeq", r.audit_hash AS "auditHash",
            r.outbox_seq AS "outboxSeq", r.hq_last_seq AS "hqLastSeq", r.anchor_seq_before AS "anchorSeqBefore", r.head_known AS "headKnown", r.head_diverges AS "headDiverges", r.at
       FROM terminal_restores r JOIN terminals t ON t.id = r.terminal_id
      WHERE ($1::text IS NULL OR t.store_id = $1) ORDER BY r.at DESC, r.id DESC LIMIT 1000`,
    [storeId ?? null],
  );
  // bigint columns come back as strings from PostgreSQL and numbers from PGlite: one shape for both.
  const n = (v: string | number) => Number(v);
  return {
    restores: rows.map((r) => ({
      id: n(r.id),
      terminalId: r.terminalId,
      storeId: r.storeId,
      at: n(r.at),
      backupAt: n(r.backupAt),
      audit: { seq: n(r.auditSeq), hash: r.auditHash },
      outboxSeq: n(r.outboxSeq),
      hqLastSeq: n(r.hqLastSeq),
      anchorSeqBefore: r.anchorSeqBefore === null ? null : n(r.anchorSeqBefore),
      headKnown: r.headKnown,
      headDiverges: r.headDiverges,
    })),
  };
}

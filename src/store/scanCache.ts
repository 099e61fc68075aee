// trusted_keys, revocations, seen_codes: what offline code verification reads, and the replay cache.
import type { Db } from './open';
import { stmt } from './statements';

/** A public key of HQ this terminal trusts to sign member codes (synced from HQ). */
export interface TrustedKeyRecord {
  kid: string;
  x: string;
  /** Epoch ms; the key signs codes the terminal accepts from validFrom until validTo. */
  validFrom: number;
  validTo: number | null;
}

interface TrustedKeyRow {
  kid: string;
  x: string;
  valid_from: number;
  valid_to: number | null;
}

const toTrustedKey = (r: TrustedKeyRow): TrustedKeyRecord => ({ kid: r.kid, x: r.x, validFrom: r.valid_from, validTo: r.valid_to });

export function trustedKey(db: Db, kid: string): TrustedKeyRecord | undefined {
  const row = stmt<[string], TrustedKeyRow>(db, 'SELECT kid, x, valid_from, valid_to FROM trusted_keys WHERE kid = ? AND tombstone = 0').get(kid);
  return row && toTrustedKey(row);
}

/** A key as HQ sends it; `tombstone` withdraws it (its codes become UNKNOWN_KEY). */
export function upsertTrustedKey(db: Db, key: TrustedKeyRecord & { tombstone?: boolean }, at: number): void {
  stmt(
    db,
    `INSERT INTO trusted_keys(kid, x, valid_from, valid_to, updated_at, tombstone) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(kid) DO UPDATE SET x = excluded.x, valid_from = excluded.valid_from, valid_to = excluded.valid_to,
       updated_at = excluded.updated_at, tombstone = excluded.tombstone`,
  ).run(key.kid, key.x, key.validFrom, key.validTo, at, key.tombstone ? 1 : 0);
}

/** Card serial 0 revokes every card of the member. */
export function isRevoked(db: Db, memberId: string, cardSerial: number): boolean {
  return (
    stmt<[string, number], { n: number }>(
      db,
      'SELECT 1 AS n FROM revocations WHERE member_id = ? AND card_serial IN (0, ?) AND tombstone = 0 LIMIT 1',
    ).get(memberId, cardSerial) !== undefined
  );
}

export function upsertRevocation(
  db: Db,
  r: { memberId: string; cardSerial: number; revokedAt: number; reason: string | null; tombstone?: boolean },
  at: number,
): void {
  stmt(
    db,
    `INSERT INTO revocations(member_id, card_serial, revoked_at, reason, updated_at, tombstone) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(member_id, card_serial) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason,
       updated_at = excluded.updated_at, tombstone = excluded.tombstone`,
  ).run(r.memberId, r.cardSerial, r.revokedAt, r.reason, at, r.tombstone ? 1 : 0);
}

/** Records a rotating code's (member, step); false when this terminal has seen it before. */
export function markSeen(db: Db, memberId: string, step: number, at: number): boolean {
  return stmt(db, 'INSERT OR IGNORE INTO seen_codes(member_id, step, seen_at) VALUES (?, ?, ?)').run(memberId, step, at).changes === 1;
}

/** Forgets steps too old to be accepted again anyway. */
export function pruneSeen(db: Db, beforeStep: number): number {
  return stmt(db, 'DELETE FROM seen_codes WHERE step < ?').run(beforeStep).changes;
}

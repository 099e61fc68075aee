// Staff PIN hashes are peppered on a terminal (docs/encryption.md): what the staff table holds is
// HMAC-SHA256(pepper, scrypt(PIN, store salt)), the pepper derived from the database key, which is
// kept outside the database (the key file, or the OS keystore). A copy of the table alone, even
// decrypted, cannot be searched for PINs without it. A plain database (benchmarks only) has no
// pepper and keeps the scrypt hash.
import { createHmac } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';

const PEPPERED = 'p1:';
const peppers = new WeakMap<Database, Buffer>();

/** The pepper for a database key: a key of its own, derived so it never equals the cipher key. */
function pepperFor(key: Buffer): Buffer {
  return createHmac('sha256', key).update('loyalty-desk staff pin pepper v1').digest();
}

/** What the staff table stores (and is searched by) for a PIN's scrypt hash. */
export function pepperPinHash(db: Database, pinHash: string): string {
  const pepper = peppers.get(db);
  return pepper ? `${PEPPERED}${createHmac('sha256', pepper).update(pinHash).digest('base64url')}` : pinHash;
}

/**
 * Called once a connection is open and migrated: remembers its pepper and peppers any hash stored
 * before (a database from before peppering, or one that was plain until now).
 */
export function attachPinPepper(db: Database, key: Buffer | null): void {
  if (key === null) return;
  peppers.set(db, pepperFor(key));
  const raw = db.prepare(`SELECT id, pin_hash FROM staff WHERE pin_hash NOT LIKE '${PEPPERED}%'`).all() as { id: string; pin_hash: string }[];
  if (raw.length === 0) return;
  const update = db.prepare('UPDATE staff SET pin_hash = ? WHERE id = ?');
  db.transaction(() => {
    for (const r of raw) update.run(pepperPinHash(db, r.pin_hash), r.id);
  }).immediate();
}

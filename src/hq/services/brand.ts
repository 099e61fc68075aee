// The brand's privacy settings HQ holds (docs/privacy.md): the phone key terminals hash a spoken
// number with, and how terminals show a member's name. Both travel as the `brand` change (protocol
// v2 only); a change of either reaches every terminal with every member row it affects.
import { randomBytes } from 'node:crypto';
import type { NameDisplay } from '../../sync/protocolEntities';
import type { HqDb, Queryable } from '../db';
import { stampChanges } from './stamp';

function pad(key: Buffer, byte: number): Buffer {
  const out = Buffer.alloc(64);
  for (let i = 0; i < 64; i++) out[i] = (key[i] ?? 0) ^ byte;
  return out;
}

/**
 * Makes the brand's phone key once (32 random bytes) and hashes every member's phone under it; the
 * members are stamped again so every terminal replaces the numbers it held with the hash. Runs inside
 * the migration's transaction, under its lock.
 */
export async function ensureBrandKey(q: Queryable): Promise<void> {
  const [have] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM brand');
  if ((have?.n ?? 0) > 0) return;
  const key = randomBytes(32);
  await q.query("INSERT INTO brand(id, phone_key, ipad, opad, seq) VALUES ('brand', $1, $2, $3, nextval('change_seq'))", [key, pad(key, 0x36), pad(key, 0x5c)]);
  // Fires the trigger (UPDATE OF phone): the E.164 form and its hash.
  await q.query("UPDATE members SET phone = phone, seq = nextval('change_seq') WHERE phone_hash IS NULL");
}

/**
 * Sets how terminals show names; when it changes, every member row is published again so terminals
 * replace the names they hold (a switch to 'masked' leaves no full name on any terminal that syncs).
 */
export async function setNameDisplay(db: HqDb, display: NameDisplay): Promise<{ changed: boolean; members: number }> {
  return db.tx(async (q) => {
    const [row] = await q.query<{ d: NameDisplay }>("SELECT name_display AS d FROM brand WHERE id = 'brand' FOR UPDATE");
    if (row?.d === display) return { changed: false, members: 0 };
    await q.query("UPDATE brand SET name_display = $1, seq = NULL WHERE id = 'brand'", [display]);
    const [n] = await q.query<{ n: number }>('WITH u AS (UPDATE members SET seq = NULL WHERE NOT tombstone RETURNING 1) SELECT count(*)::int AS n FROM u');
    await stampChanges(q, ['brand', 'members']);
    return { changed: true, members: n?.n ?? 0 };
  });
}

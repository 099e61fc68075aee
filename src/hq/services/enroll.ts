// Enrollment codes (one-time, 24 h) and terminal credentials. HQ keeps only SHA-256 hashes of both.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { HqDb, Queryable } from '../db';
import { HqError } from '../errors';
import { reserveCardBlock } from './cardBlocks';
import { stampChanges } from './stamp';

export const CODE_TTL_MS = 24 * 3_600_000;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: read aloud over the phone

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export function newEnrollmentCode(): string {
  const chars = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}

export async function createEnrollmentCode(db: HqDb, storeId: string | undefined, now: number): Promise<{ code: string; storeId: string; expiresAt: number }> {
  const [store] = storeId
    ? await db.query<{ id: string }>('SELECT id FROM stores WHERE id = $1 AND NOT tombstone', [storeId])
    : await db.query<{ id: string }>('SELECT id FROM stores WHERE NOT tombstone ORDER BY seq, id LIMIT 1');
  if (!store) throw new HqError('NOT_FOUND', storeId ? `no store ${storeId}` : 'HQ has no store yet; create one first');
  const code = newEnrollmentCode();
  const expiresAt = now + CODE_TTL_MS;
  await db.query('INSERT INTO enrollment_codes(code_hash, store_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [sha256(code), store.id, now, expiresAt]);
  return { code, storeId: store.id, expiresAt };
}

export interface Enrolled {
  storeId: string;
  terminalId: string;
  tz: string;
  credential: string;
}

export async function enrollTerminal(db: HqDb, code: string, label: string | undefined, now: number): Promise<Enrolled> {
  return db.tx(async (q) => {
    // FOR UPDATE: two terminals racing with one code — the second waits, then sees it used.
    const [row] = await q.query<{ store_id: string; expires_at: number; used_at: number | null }>(
      'SELECT store_id, expires_at, used_at FROM enrollment_codes WHERE code_hash = $1 FOR UPDATE',
      [sha256(code)],
    );
    if (!row || row.expires_at <= now) throw new HqError('ENROLLMENT_CODE_INVALID', 'this enrollment code is unknown or expired');
    if (row.used_at !== null) throw new HqError('ENROLLMENT_CODE_USED', 'this enrollment code was already used');
    const [store] = await q.query<{ tz: string }>('SELECT tz FROM stores WHERE id = $1', [row.store_id]);
    if (!store) throw new HqError('NOT_FOUND', `store ${row.store_id} is gone`);
    const [n] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM terminals WHERE store_id = $1', [row.store_id]);
    const terminalId = `${row.store_id}-T${(n?.n ?? 0) + 1}-${randomBytes(3).toString('hex')}`;
    const credential = `ldt_${randomBytes(32).toString('base64url')}`;
    await q.query('INSERT INTO terminals(id, store_id, label, credential_hash, enrolled_at) VALUES ($1, $2, $3, $4, $5)', [
      terminalId,
      row.store_id,
      label ?? null,
      sha256(credential),
      now,
    ]);
    await q.query('UPDATE enrollment_codes SET used_at = $1, terminal_id = $2 WHERE code_hash = $3', [now, terminalId, sha256(code)]);
    // Card numbers for its sign-ups from the first sync on (docs/join.md).
    await reserveCardBlock(q, terminalId, now);
    await stampChanges(q, ['terminals', 'card_blocks']);
    return { storeId: row.store_id, terminalId, tz: store.tz, credential };
  });
}

export interface TerminalPrincipal {
  terminalId: string;
  storeId: string;
}

/** Reads `Authorization: Bearer ldt_…`; no credential, or an unknown one, is UNAUTHORIZED. */
export async function authenticateTerminal(q: Queryable, header: string | undefined): Promise<TerminalPrincipal> {
  const m = /^Bearer (ldt_[A-Za-z0-9_-]{43})$/.exec(header ?? '');
  if (!m) throw new HqError('UNAUTHORIZED', 'a terminal credential is required (Authorization: Bearer …)');
  const [t] = await q.query<{ id: string; store_id: string }>('SELECT id, store_id FROM terminals WHERE credential_hash = $1', [sha256(m[1]!)]);
  if (!t) throw new HqError('UNAUTHORIZED', 'this terminal credential is not known to HQ');
  return { terminalId: t.id, storeId: t.store_id };
}

// The recovery key (docs/backup.md): a backup made here can be restored on a PC whose keystore never
// held the database key. The recovery key is shown to a person once; what the database keeps is
// only the database key wrapped by it (scrypt, then AES-256-GCM), and every backup carries that wrap
// in its header. Nothing here can unwrap the key without the words on the person's paper.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { appendAudit } from './audit';
import { getMeta, setMeta } from './meta';
import type { Db } from './open';

/** Crockford's base32: no I, L, O or U, so a key read aloud or typed from paper has no look-alikes. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_BYTES = 20;
const CHECK_CHARS = 4;
/** scrypt N=2^15 r=8 p=1 (32 MB, ≈0.1 s): a guessed key costs that much, and the key has 160 bits. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1 } as const;
const WRAP_AAD = Buffer.from('loyalty-desk recovery wrap v1', 'utf8');

const b64 = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);
export const recoveryWrapSchema = z
  .object({
    v: z.literal(1),
    kdf: z.literal('scrypt'),
    N: z.int().min(1024).max(1 << 20),
    r: z.int().min(1).max(32),
    p: z.int().min(1).max(16),
    salt: b64,
    iv: b64,
    ct: b64,
    tag: b64,
  })
  .strict();
export type RecoveryWrap = z.infer<typeof recoveryWrapSchema>;

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function checkChars(secret: Buffer): string {
  return base32(createHash('sha256').update('loyalty-desk recovery check').update(secret).digest()).slice(0, CHECK_CHARS);
}

/** 160 random bits and a 4-character check, in nine groups of four: `7K2M-…-QX4T`. */
function formatRecoveryKey(secret: Buffer): string {
  const text = base32(secret) + checkChars(secret);
  return text.match(/.{4}/g)!.join('-');
}

/**
 * The secret a typed recovery key names, or RECOVERY_KEY_INVALID: spaces, dashes and case are
 * forgiven, O/I/L read as 0/1/1, and a mistyped character fails the check instead of opening nothing.
 */
export function parseRecoveryKey(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const body = base32Length(SECRET_BYTES);
  if (clean.length !== body + CHECK_CHARS || [...clean].some((c) => !ALPHABET.includes(c))) throw new DeskError('RECOVERY_KEY_INVALID', {});
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const c of clean.slice(0, body)) {
    value = ((value << 5) | ALPHABET.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const secret = Buffer.from(bytes);
  if (checkChars(secret) !== clean.slice(body)) throw new DeskError('RECOVERY_KEY_INVALID', {});
  return secret;
}

function base32Length(bytes: number): number {
  return Math.ceil((bytes * 8) / 5);
}

function wrapKey(dbKey: Buffer, secret: Buffer): RecoveryWrap {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = scryptSync(secret, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  const cipher = createCipheriv('aes-256-gcm', kek, iv);
  cipher.setAAD(WRAP_AAD);
  const ct = Buffer.concat([cipher.update(dbKey), cipher.final()]);
  const enc = (b: Buffer) => b.toString('base64url');
  return { v: 1, kdf: 'scrypt', ...SCRYPT, salt: enc(salt), iv: enc(iv), ct: enc(ct), tag: enc(cipher.getAuthTag()) };
}

/** The database key a wrap holds, or null when this recovery key is not the one that wrapped it. */
export function unwrapKey(wrap: RecoveryWrap, secret: Buffer): Buffer | null {
  const dec = (s: string) => Buffer.from(s, 'base64url');
  try {
    const kek = scryptSync(secret, dec(wrap.salt), 32, { N: wrap.N, r: wrap.r, p: wrap.p, maxmem: 256 * 1024 * 1024 });
    const decipher = createDecipheriv('aes-256-gcm', kek, dec(wrap.iv));
    decipher.setAAD(WRAP_AAD);
    decipher.setAuthTag(dec(wrap.tag));
    const key = Buffer.concat([decipher.update(dec(wrap.ct)), decipher.final()]);
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

/** The wrap a backup copies into its header (null: no recovery key was ever made for this database). */
export function storedRecoveryWrap(db: Db): RecoveryWrap | null {
  const text = getMeta(db, 'recovery_wrap');
  if (text === null) return null;
  const parsed = recoveryWrapSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export interface RecoveryStatus {
  /** When the recovery key in force was shown (epoch ms); null: none made yet. */
  shownAt: number | null;
}

export function recoveryStatus(db: Db): RecoveryStatus {
  const shown = getMeta(db, 'recovery_shown_at');
  return { shownAt: shown === null ? null : Number(shown) };
}

/**
 * Makes the recovery key, keeps only its wrap of the database key, records that it was shown and
 * returns it: the one time it exists outside a person's hands. A second call is
 * RECOVERY_KEY_ALREADY_SHOWN unless `renew` (the paper is lost): then a new key replaces the old for
 * backups made from now on; older backups still open with the old one.
 */
export function issueRecoveryKey(db: Db, dbKey: Buffer | null, by: { actor: string; now: number; renew?: boolean }): { recoveryKey: string; shownAt: number } {
  const { now } = by;
  if (dbKey === null) throw new DeskError('RECOVERY_KEY_UNAVAILABLE', {});
  const secret = randomBytes(SECRET_BYTES);
  const wrap = wrapKey(dbKey, secret);
  db.transaction(() => {
    const shown = recoveryStatus(db).shownAt;
    if (shown !== null && by.renew !== true) throw new DeskError('RECOVERY_KEY_ALREADY_SHOWN', { shownAt: new Date(shown).toISOString() });
    setMeta(db, 'recovery_wrap', JSON.stringify(wrap));
    setMeta(db, 'recovery_shown_at', String(now));
    // Who made it and when, never the key: the log shows a renewal that should not have happened.
    appendAudit(db, { at: now, actor: by.actor, action: shown === null ? 'recovery.issued' : 'recovery.renewed', ref: null, data: {} });
  }).immediate();
  return { recoveryKey: formatRecoveryKey(secret), shownAt: now };
}

/**
 * Whether `text` is the recovery key in force for this database (it unwraps the stored wrap to the
 * database's own key): only that key is printed, so the printer is no way to put other words on a
 * sheet that says "recovery key".
 */
export function isCurrentRecoveryKey(db: Db, dbKey: Buffer | null, text: string): boolean {
  const wrap = storedRecoveryWrap(db);
  if (wrap === null || dbKey === null) return false;
  const unwrapped = unwrapKey(wrap, parseRecoveryKey(text));
  return unwrapped !== null && unwrapped.equals(dbKey);
}

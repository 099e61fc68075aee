// The database key (docs/encryption.md). desk.db is SQLCipher-encrypted; its 256-bit key lives
// outside the data folder, so a copied folder or backup reveals nothing. One rule finds it for
// `--data DIR` and `--db FILE` alike: the per-user key folder (LOYALTY_DESK_KEYS, else
// $XDG_CONFIG_HOME/loyalty-desk/keys, else ~/.config/loyalty-desk/keys), file named after the
// database's absolute path. `--key FILE` overrides; Electron passes the key itself (OS keystore).
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { DeskError } from '../contract/errors';

const KEY_TEXT = /^[0-9a-f]{64}\s*$/;

/** Names a key file that overrides the rule for every database the process opens (the CLI's --key). */
export const KEY_FILE_ENV = 'LOYALTY_DESK_KEY_FILE';

/** The key file a database is opened with: `given`, else the override, else the rule. */
export function keyFileOf(dbPath: string, given?: string, env: NodeJS.ProcessEnv = process.env): string {
  return given ?? env[KEY_FILE_ENV] ?? keyFileFor(dbPath, env);
}

export function keyFolder(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOYALTY_DESK_KEYS) return resolve(env.LOYALTY_DESK_KEYS);
  return join(env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config'), 'loyalty-desk', 'keys');
}

/** `<folder>-<file>-<12 hex of the absolute path>.key`: readable by a person, unique per database. */
export function keyFileFor(dbPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const abs = resolve(dbPath);
  const tag = createHash('sha256').update(abs).digest('hex').slice(0, 12);
  const name = `${basename(dirname(abs))}-${basename(abs)}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(-80);
  return join(keyFolder(env), `${name}-${tag}.key`);
}

/** The key in a key file; null when there is none. A file that is not a key is refused, never replaced. */
export function readKeyFile(file: string): Buffer | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  if (!KEY_TEXT.test(text)) throw new DeskError('DB_KEY_INVALID', { keyFile: file });
  // Kept private to its owner whatever umask wrote it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return Buffer.from(text.trim(), 'hex');
}

/**
 * A new random key written atomically (temp file, fsync, link), mode 0600 in a 0700 folder. Two
 * first opens at once agree on one key: the link fails for the second, which takes the first's.
 */
export function createKeyFile(file: string): Buffer {
  return linkKeyFile(file, randomBytes(32));
}

/**
 * A known key (a restored backup's) written as `file` the same way; a key already there is kept and
 * returned, so the caller compares it with what it meant to write.
 */
export function linkKeyFile(file: string, key: Buffer): Buffer {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = readKeyFile(file);
    if (!theirs) throw err;
    return theirs;
  } finally {
    rmSync(tmp, { force: true });
  }
  return key;
}

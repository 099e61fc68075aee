// Opens (or creates) a terminal database. A file that is not ours, or is from a newer version,
// is refused before anything is written to it.
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { DeskError } from '../contract/errors';
import { createKeyFile, keyFileOf, readKeyFile } from './dbKey';
import { latestVersion, loadMigrations, migrate, type Migration } from './migrations';
import { attachPinPepper } from './pinPepper';
import { sqliteWords } from './sqliteWords';

export type Db = Database.Database;

/** PRAGMA application_id of a Loyalty Desk terminal database: 'LDSK'. */
export const TERMINAL_APPLICATION_ID = 0x4c44534b;

export interface OpenOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  /**
   * PRAGMA quick_check at open: true (default) always; 'after-crash' only when a write-ahead log was
   * left behind (the last writer did not close cleanly) — short CLI calls use that, since the check
   * reads the whole file (about 1.7 s at a million members); false never (doctor runs the full check).
   */
  quickCheck?: boolean | 'after-crash';
  migrations?: Migration[];
  /**
   * The database key (docs/encryption.md): a key file (default: keyFileFor(path), created with a
   * new database), or the key itself (Electron, from the OS keystore).
   */
  key?: { file: string } | { raw: Buffer };
  /** Benchmarks only: an unencrypted file, to measure what encryption costs in the same run. */
  plaintext?: boolean;
}

export interface OpenedStore {
  db: Db;
  /** The key the file was opened with (null: plain), for another connection to the same file. */
  key: Buffer | null;
  schemaVersion: number;
  created: boolean;
  migrated: number[];
}

interface FileIdentity {
  applicationId: number;
  userVersion: number;
  tableCount: number;
}

function isBusy(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED');
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * An unencrypted SQLite file starts with the SQLite header; an encrypted one is whole pages of
 * random bytes. Anything else (a text file, a truncated copy) is no database of ours.
 */
function fileKind(path: string): 'plain' | 'encrypted' | 'foreign' {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    if (readSync(fd, head, 0, 16, 0) === 16 && head.equals(SQLITE_HEADER)) return 'plain';
  } finally {
    closeSync(fd);
  }
  const size = statSync(path).size;
  return size >= 512 && size % 512 === 0 ? 'encrypted' : 'foreign';
}

/** A file that starts with the SQLite header: readable by anyone (a backup must never be one). */
export const isPlainFile = (path: string): boolean => fileKind(path) === 'plain';

/** SQLCipher 4 settings with a raw 256-bit key (no passphrase derivation), before anything is read. */
export function unlock(db: Db, key: Buffer): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

function isNotADb(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'SQLITE_NOTADB';
}

/** Syncs a file or a folder (a rename is durable once its folder is synced). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypts a plain database without risk: its log is checkpointed into it, a copy is encrypted
 * (rekey) and synced, then renamed over it. A crash before the rename leaves the old file as it
 * was (and a stale copy that the next open replaces).
 */
function encryptPlainFile(path: string, key: Buffer): void {
  const plain = new Database(path);
  try {
    // Every committed row must be in the main file before it is copied: a reader holding the log
    // back (busy) or a checkpoint that did not reach its end means not now, never a partial copy.
    plain.pragma('busy_timeout = 2000');
    const [r] = plain.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (!r || r.busy !== 0 || r.log !== r.checkpointed) throw new DeskError('DB_BUSY', { path });
    // Held through the copy and the rename: no other connection commits into the old file meanwhile.
    plain.exec('BEGIN EXCLUSIVE');
    const tmp = `${path}.encrypting`;
    for (const f of [tmp, `${tmp}-journal`]) rmSync(f, { force: true });
    copyFileSync(path, tmp);
    chmodSync(tmp, 0o600);
    const copy = new Database(tmp);
    try {
      copy.pragma('journal_mode = DELETE');
      copy.pragma("cipher = 'sqlcipher'");
      copy.pragma('legacy = 4');
      copy.pragma(`rekey = "x'${key.toString('hex')}'"`);
    } finally {
      copy.close();
    }
    // The rekey's rollback journal held plain pages: it goes with the copy's success.
    rmSync(`${tmp}-journal`, { force: true });
    fsyncPath(tmp);
    renameSync(tmp, path);
    for (const side of ['-wal', '-shm']) rmSync(`${path}${side}`, { force: true });
    fsyncPath(dirname(path));
  } finally {
    if (plain.inTransaction) plain.exec('ROLLBACK');
    plain.close();
  }
}

function keyFor(path: string, options: OpenOptions, create: boolean): Buffer {
  if (options.key && 'raw' in options.key) return options.key.raw;
  const file = keyFileOf(path, options.key?.file);
  const key = readKeyFile(file);
  if (key) return key;
  if (!create) throw new DeskError('DB_KEY_MISSING', { path, keyFile: file });
  return createKeyFile(file);
}

/**
 * A bare connection to an existing terminal database, unlocked with its key (the default key file,
 * or `keyFile`) when it is encrypted: no checks, no migrations. For read-only tools (benchmarks).
 */
export function openRaw(path: string, options: { readonly?: boolean; keyFile?: string } = {}): Db {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    if (!isPlainFile(path)) {
      const file = keyFileOf(path, options.keyFile);
      const key = readKeyFile(file);
      if (!key) throw new DeskError('DB_KEY_MISSING', { path, keyFile: file });
      unlock(db, key);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Reads who the file says it is through a read-only connection, so probing changes nothing. */
function probe(path: string, key: Buffer | null): FileIdentity {
  let ro: Db | undefined;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true });
    if (key) unlock(ro, key);
    return {
      applicationId: ro.pragma('application_id', { simple: true }) as number,
      userVersion: ro.pragma('user_version', { simple: true }) as number,
      tableCount: (ro.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
    };
  } catch (err) {
    if (isBusy(err)) throw new DeskError('DB_BUSY', { path }, err);
    // An encrypted file the key does not open looks like no database at all.
    if (key && isNotADb(err)) throw new DeskError('DB_KEY_WRONG', { path }, err);
    throw new DeskError('NOT_LOYALTY_DB', { path }, err);
  } finally {
    ro?.close();
  }
}

const openedKeys = new WeakMap<Db, Buffer>();

/** The key a connection openStore made was opened with (null: plain): backups and the recovery key need it. */
export function keyOfConnection(db: Db): Buffer | null {
  return openedKeys.get(db) ?? null;
}

function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function openStore(path: string, options: OpenOptions = {}): OpenedStore {
  const migrations = options.migrations ?? loadMigrations();
  const supported = latestVersion(migrations);
  const exists = existsSync(path) && statSync(path).size > 0;
  const walLeft = existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0;
  if (!exists && options.create === false) throw new DeskError('DB_NOT_FOUND', { path });

  const kind = exists ? fileKind(path) : null;
  if (kind === 'foreign') throw new DeskError('NOT_LOYALTY_DB', { path });
  const plain = kind === 'plain';
  const check = (id: FileIdentity) => {
    const ours = id.applicationId === TERMINAL_APPLICATION_ID;
    const blank = id.applicationId === 0 && id.userVersion === 0 && id.tableCount === 0;
    if (!ours && !blank) throw new DeskError('NOT_LOYALTY_DB', { path });
    if (id.userVersion > supported) {
      throw new DeskError('DB_FROM_FUTURE', { path, found: id.userVersion, supported });
    }
  };
  // A plain database of ours (written before encryption) is checked as it is, then encrypted.
  if (plain) check(probe(path, null));
  // An encrypted file needs its key; a new or plain one gets one (created when there is none).
  const key = options.plaintext ? null : keyFor(path, options, !exists || plain);
  if (exists) {
    if (!plain) check(probe(path, key));
    if (plain && key) {
      try {
        encryptPlainFile(path, key);
      } catch (err) {
        if (isBusy(err)) throw new DeskError('DB_BUSY', { path }, err);
        throw err;
      }
    }
  } else {
    // Created private: SQLite gives its -wal and -shm the main file's mode.
    closeSync(openSync(path, 'a', 0o600));
  }
  chmodSync(path, 0o600);

  const db = new Database(path);
  try {
    if (key) unlock(db, key);
    applyPragmas(db);
    const quickCheck = options.quickCheck ?? true;
    if (exists && (quickCheck === true || (quickCheck === 'after-crash' && walLeft))) {
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      if (rows[0]?.quick_check !== 'ok') {
        throw new DeskError('DB_CORRUPT', { path, sqlite: sqliteWords(rows.map((r) => r.quick_check)) });
      }
    }
    const migrated = migrate(db, migrations, TERMINAL_APPLICATION_ID);
    attachPinPepper(db, key);
    if (key) openedKeys.set(db, key);
    return { db, key, schemaVersion: supported, created: !exists, migrated };
  } catch (err) {
    db.close();
    if (err instanceof DeskError) throw err;
    if (isBusy(err)) throw new DeskError('DB_BUSY', { path }, err);
    // An encrypted page that fails its check is reported by SQLite as an error, not as a check row.
    if (err instanceof Error && 'code' in err && (err.code === 'SQLITE_CORRUPT' || isNotADb(err))) {
      throw new DeskError('DB_CORRUPT', { path, sqlite: sqliteWords([err.message]) }, err);
    }
    throw err;
  }
}

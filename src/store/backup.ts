// Backups of desk.db (docs/backup.md): `VACUUM INTO` on the desk's own (cipher) connection writes a
// consistent copy encrypted with the same key while the desk keeps committing (a WAL read
// transaction); the copy is opened with that key and checked before it becomes a backup file.
// Where backups go by default: a folder beside the data folder, `<data folder>-backups/` (0700).
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { DeskError } from '../contract/errors';
import { auditHead } from './audit';
import { writeBackupFile, type BackupHeader } from './backupFile';
import { readIdentity } from './meta';
import { fsyncPath, isPlainFile, TERMINAL_APPLICATION_ID, unlock, type Db } from './open';
import { OUTBOX_SEQ_HIGH_WATER } from './outbox';
import { storedRecoveryWrap } from './recoveryKey';

export const BACKUP_EXTENSION = '.ldbackup';

/** `DIR-backups` beside the folder that holds the database (DIR/desk.db → DIR-backups/). */
export function backupFolderFor(dbPath: string): string {
  const dir = dirname(resolve(dbPath));
  return join(dirname(dir), `${basename(dir)}-backups`);
}

/** `<kind>-<UTC yyyymmddThhmmssZ>-<terminal>.ldbackup`: sorts by time, and rotation reads the kind and day back. */
export function backupFileName(kind: BackupHeader['kind'], at: number, terminalId: string): string {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${kind}-${stamp}-${terminalId.replace(/[^A-Za-z0-9_.-]/g, '_')}${BACKUP_EXTENSION}`;
}

/** What the copy says of itself, read through the key: a copy the key does not open is no backup. */
function describeCopy(path: string, key: Buffer): Omit<BackupHeader, 'v' | 'kind' | 'createdAt' | 'bodyBytes'> {
  // An encrypted database must give an encrypted copy: a plain reader would see everything.
  if (isPlainFile(path)) throw new DeskError('BACKUP_FAILED', { path, detail: 'the copy is not encrypted' });
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    unlock(copy, key);
    if (copy.pragma('application_id', { simple: true }) !== TERMINAL_APPLICATION_ID) throw new DeskError('BACKUP_FAILED', { path, detail: 'the copy is not a terminal database' });
    const identity = readIdentity(copy);
    if (!identity) throw new DeskError('NOT_ENROLLED', { path });
    const outbox = copy
      .prepare('SELECT max(coalesce((SELECT max(seq) FROM outbox), 0), coalesce((SELECT value FROM counters WHERE name = ?), 0)) AS n')
      .get(OUTBOX_SEQ_HIGH_WATER) as { n: number };
    return {
      storeId: identity.storeId,
      terminalId: identity.terminalId,
      schemaVersion: copy.pragma('user_version', { simple: true }) as number,
      audit: auditHead(copy),
      outboxSeq: outbox.n,
      recovery: storedRecoveryWrap(copy),
    };
  } finally {
    copy.close();
  }
}

export interface BackupMade {
  path: string;
  bytes: number;
  header: BackupHeader;
}

/**
 * Writes a backup of the open database. `db` must be the desk's cipher connection and `key` its key
 * (a plain database, benchmarks only, has no backup). Nothing half-made is left: the copy and the
 * file being written carry temporary names until the finished file is synced and renamed.
 */
export function makeBackup(db: Db, key: Buffer | null, options: { out?: string; kind: BackupHeader['kind']; now: number }): BackupMade {
  if (key === null) throw new DeskError('BACKUP_FAILED', { path: db.name, detail: 'the database is not encrypted' });
  const identity = readIdentity(db);
  if (!identity) throw new DeskError('NOT_ENROLLED', { path: db.name });
  const out = resolve(options.out ?? join(backupFolderFor(db.name), backupFileName(options.kind, options.now, identity.terminalId)));
  const dir = dirname(out);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (existsSync(out)) throw new DeskError('BACKUP_EXISTS', { path: out });
  const copy = `${out}.copy-${process.pid}`;
  const partial = `${out}.partial-${process.pid}`;
  try {
    for (const f of [copy, partial]) rmSync(f, { force: true });
    // A read transaction on the desk's connection: the desk's commits go on in the log meanwhile.
    db.prepare('VACUUM INTO ?').run(copy);
    const described = describeCopy(copy, key);
    const header: BackupHeader = { v: 1, kind: options.kind, createdAt: options.now, ...described, bodyBytes: statSync(copy).size };
    writeBackupFile(partial, header, copy);
    renameSync(partial, out);
    fsyncPath(dir);
    return { path: out, bytes: statSync(out).size, header };
  } catch (err) {
    if (err instanceof DeskError) throw err;
    throw new DeskError('BACKUP_FAILED', { path: out, detail: err instanceof Error ? err.message : String(err) }, err);
  } finally {
    for (const f of [copy, `${copy}-journal`, partial]) rmSync(f, { force: true });
  }
}

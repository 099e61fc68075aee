// Backups of desk.db (docs/backup.md): `VACUUM INTO` on the desk's own (cipher) connection writes a
// consistent copy encrypted with the same key while the desk keeps committing (a WAL read
// transaction); the copy is opened with that key and checked before it becomes a backup file.
// Where backups go by default: a folder beside the data folder, `<data folder>-backups/` (0700).
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
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

/** Where a backup goes and its temporary names; refuses an existing name. */
function plan(db: Db, key: Buffer | null, options: BackupOptions): { out: string; copy: string; partial: string; key: Buffer } {
  if (key === null) throw new DeskError('BACKUP_FAILED', { path: db.name, detail: 'the database is not encrypted' });
  const identity = readIdentity(db);
  if (!identity) throw new DeskError('NOT_ENROLLED', { path: db.name });
  const out = resolve(options.out ?? join(backupFolderFor(db.name), backupFileName(options.kind, options.now, identity.terminalId)));
  mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
  if (existsSync(out)) throw new DeskError('BACKUP_EXISTS', { path: out });
  const copy = `${out}.copy-${process.pid}`;
  const partial = `${out}.partial-${process.pid}`;
  for (const f of [copy, partial]) rmSync(f, { force: true });
  return { out, copy, partial, key };
}

/** The checked copy made into the backup file, renamed into place; temporary files go whatever happens. */
function finish(p: ReturnType<typeof plan>, options: BackupOptions): BackupMade {
  try {
    const described = describeCopy(p.copy, p.key);
    const header: BackupHeader = { v: 1, kind: options.kind, createdAt: options.now, ...described, bodyBytes: statSync(p.copy).size };
    writeBackupFile(p.partial, header, p.copy);
    renameSync(p.partial, p.out);
    fsyncPath(dirname(p.out));
    return { path: p.out, bytes: statSync(p.out).size, header };
  } catch (err) {
    throw failed(err, p.out);
  } finally {
    cleanUp(p);
  }
}

function failed(err: unknown, out: string): DeskError {
  return err instanceof DeskError ? err : new DeskError('BACKUP_FAILED', { path: out, detail: err instanceof Error ? err.message : String(err) }, err);
}

function cleanUp(p: { copy: string; partial: string }): void {
  for (const f of [p.copy, `${p.copy}-journal`, p.partial]) rmSync(f, { force: true });
}

export interface BackupOptions {
  out?: string;
  kind: BackupHeader['kind'];
  now: number;
}

/**
 * Writes a backup of the open database. `db` must be the desk's cipher connection and `key` its key
 * (a plain database, benchmarks only, has no backup). Nothing half-made is left: the copy and the
 * file being written carry temporary names until the finished file is synced and renamed.
 */
export function makeBackup(db: Db, key: Buffer | null, options: BackupOptions): BackupMade {
  const p = plan(db, key, options);
  try {
    // A read transaction on the desk's connection: the desk's commits go on in the log meanwhile.
    db.prepare('VACUUM INTO ?').run(p.copy);
  } catch (err) {
    cleanUp(p);
    throw failed(err, p.out);
  }
  return finish(p, options);
}

const VACUUM_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true, readonly: true });
try {
  db.pragma("cipher = 'sqlcipher'"); db.pragma('legacy = 4'); db.pragma(\`key = "x'\${workerData.keyHex}'"\`);
  db.pragma('busy_timeout = 5000');
  db.prepare('VACUUM INTO ?').run(workerData.copy);
  parentPort.postMessage({ ok: true });
} catch (err) {
  parentPort.postMessage({ ok: false, message: String(err && err.message) });
} finally {
  db.close();
}
`;

/**
 * The desk's daily backup: the copy (the long part, the whole file read and written) is made by a
 * worker thread on its own connection with the same key, so clerks' calls are answered meanwhile.
 */
export async function makeBackupInBackground(db: Db, key: Buffer | null, options: BackupOptions): Promise<BackupMade> {
  const p = plan(db, key, options);
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
    const worker = new Worker(VACUUM_WORKER, { eval: true, workerData: { path: db.name, driver, keyHex: p.key.toString('hex'), copy: p.copy } });
    const answer = await new Promise<{ ok: boolean; message?: string }>((done) => {
      worker.once('message', (m: { ok: boolean; message?: string }) => done(m));
      worker.once('error', (err) => done({ ok: false, message: err.message }));
      worker.once('exit', (code) => done({ ok: false, message: `the backup worker stopped (${code})` }));
    });
    if (!answer.ok) throw new DeskError('BACKUP_FAILED', { path: p.out, detail: answer.message ?? '' });
  } catch (err) {
    cleanUp(p);
    throw failed(err, p.out);
  }
  return finish(p, options);
}

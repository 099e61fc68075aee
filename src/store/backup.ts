// Backups of desk.db (docs/backup.md): `VACUUM INTO` on the desk's own (cipher) connection writes a
// consistent copy encrypted with the same key while the desk keeps committing (a WAL read
// transaction); the copy is opened with that key and checked before it becomes a backup file.
// Where backups go by default: a folder beside the data folder, `<data folder>-backups/` (0700).
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { DeskError } from '../contract/errors';
import { auditHead } from './audit';
import { backupFailureCause } from './backupFailureCause';
import { writeBackupFile, type BackupHeader } from './backupFile';
import { acquireBackupLock, removeStaleTemporaries, type BackupLock } from './backupLock';
import { rotateDailyBackups, rotateManualBackups } from './backupRotation';
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
  if (isPlainFile(path)) throw new DeskError('BACKUP_FAILED', { cause: 'other' });
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    unlock(copy, key);
    if (copy.pragma('application_id', { simple: true }) !== TERMINAL_APPLICATION_ID) throw new DeskError('BACKUP_FAILED', { cause: 'other' });
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

interface Plan {
  out: string;
  copy: string;
  partial: string;
  key: Buffer;
  folder: string;
  identity: NonNullable<ReturnType<typeof readIdentity>>;
  lock: BackupLock;
}

/**
 * The backup folder, made 0700 when missing. One that exists must be a folder of its own, not a link
 * (backups and their lock would go wherever it points) nor a file; one others can read or enter is
 * narrowed to 0700 on POSIX (Windows' modes say nothing of who may read).
 */
function ensureBackupFolder(folder: string): void {
  let st;
  try {
    st = lstatSync(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    return;
  }
  if (st.isSymbolicLink() || !st.isDirectory()) throw new DeskError('BACKUP_FAILED', { cause: 'not_found' });
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) chmodSync(folder, st.mode & 0o700);
}

/**
 * Where a backup goes and its temporary names (random: never another backup's), with the data
 * folder's backup lock held; refuses an existing name and another backup running.
 */
function plan(db: Db, key: Buffer | null, options: BackupOptions): Plan {
  if (key === null) throw new DeskError('BACKUP_FAILED', { cause: 'other' });
  const identity = readIdentity(db);
  if (!identity) throw new DeskError('NOT_ENROLLED', { path: db.name });
  const folder = backupFolderFor(db.name);
  let lock: BackupLock;
  try {
    // The lock sits in the backup folder even for --out: it guards this data folder's backups.
    ensureBackupFolder(folder);
    lock = acquireBackupLock(folder);
  } catch (err) {
    throw failed(err);
  }
  try {
    removeStaleTemporaries(folder, Date.now());
    const out = resolve(options.out ?? join(folder, backupFileName(options.kind, options.now, identity.terminalId)));
    mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
    if (existsSync(out)) throw new DeskError('BACKUP_EXISTS', { path: out });
    const tag = randomBytes(8).toString('hex');
    return { out, copy: `${out}.copy-${tag}`, partial: `${out}.partial-${tag}`, key, folder, identity, lock };
  } catch (err) {
    lock.release();
    throw failed(err);
  }
}

// Filesystems without hard links (FAT on a USB stick, some network shares) answer these to link().
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/** Moves the finished file to its name, never over a file that appeared meanwhile (BACKUP_EXISTS). */
function placeWithoutReplacing(partial: string, out: string): void {
  try {
    linkSync(partial, out);
    rmSync(partial, { force: true });
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw new DeskError('BACKUP_EXISTS', { path: out });
    if (!NO_HARD_LINKS.has(code)) throw err;
  }
  // No hard links here: the name is claimed exclusively first, then the finished file renamed onto our own claim.
  try {
    closeSync(openSync(out, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DeskError('BACKUP_EXISTS', { path: out });
    throw err;
  }
  try {
    renameSync(partial, out);
  } catch (err) {
    rmSync(out, { force: true });
    throw err;
  }
}

/** Rotation runs under the same lock, so it never removes what another backup is writing. */
function rotate(p: Plan, options: BackupOptions): void {
  // Only backups named into the backup folder: a file written with --out is the person's own.
  if (options.out !== undefined) return;
  // The lock taken over meanwhile (a backup slower than the stale bound): the backup is made and
  // stays; rotating now could remove what the new holder is writing, so the next backup rotates.
  if (!p.lock.held()) return;
  try {
    if (options.kind === 'daily') rotateDailyBackups(p.folder, p.identity.terminalId, p.identity.tz);
    else rotateManualBackups(p.folder, p.identity.terminalId);
  } catch {
    // The backup is made; a file rotation could not remove is tried again at the next backup.
  }
}

/** The checked copy made into the backup file, moved into place; temporary files go whatever happens. */
function finish(p: Plan, options: BackupOptions): BackupMade {
  try {
    const described = describeCopy(p.copy, p.key);
    const header: BackupHeader = { v: 1, kind: options.kind, createdAt: options.now, ...described, bodyBytes: statSync(p.copy).size };
    writeBackupFile(p.partial, header, p.copy);
    // Taken over while we copied: the new holder's backup goes on, ours gives way before it names a file.
    if (!p.lock.held()) throw new DeskError('BACKUP_BUSY', {});
    placeWithoutReplacing(p.partial, p.out);
    fsyncPath(dirname(p.out));
    const made = { path: p.out, bytes: statSync(p.out).size, header };
    rotate(p, options);
    return made;
  } catch (err) {
    throw failed(err);
  } finally {
    cleanUp(p);
    p.lock.release();
  }
}

/** Any error as a refusal: ours pass through, the rest become BACKUP_FAILED with a cause from the closed list. */
function failed(err: unknown): DeskError {
  return err instanceof DeskError ? err : new DeskError('BACKUP_FAILED', { cause: backupFailureCause(err) }, err);
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
 * file being written carry temporary names until the finished file is synced and moved into place.
 */
export function makeBackup(db: Db, key: Buffer | null, options: BackupOptions): BackupMade {
  const p = plan(db, key, options);
  try {
    // A read transaction on the desk's connection: the desk's commits go on in the log meanwhile.
    db.prepare('VACUUM INTO ?').run(p.copy);
  } catch (err) {
    cleanUp(p);
    p.lock.release();
    throw failed(err);
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
  parentPort.postMessage({ ok: false, message: String(err && err.message), code: typeof (err && err.code) === 'string' ? err.code : null });
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
  // A large database copies for minutes: the lock's time is kept fresh so no one takes it as stale.
  const heartbeat = setInterval(() => {
    try {
      p.lock.refresh();
    } catch {
      // A missed refresh only brings the stale point nearer.
    }
  }, 60_000);
  heartbeat.unref();
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
    const worker = new Worker(VACUUM_WORKER, { eval: true, workerData: { path: db.name, driver, keyHex: p.key.toString('hex'), copy: p.copy } });
    const answer = await new Promise<{ ok: boolean; message?: string; code?: string | null }>((done) => {
      worker.once('message', (m: { ok: boolean; message?: string; code?: string | null }) => done(m));
      worker.once('error', (err) => done({ ok: false, message: err.message }));
      worker.once('exit', (code) => done({ ok: false, message: `the backup worker stopped (${code})` }));
    });
    if (!answer.ok) throw Object.assign(new Error(answer.message ?? ''), { code: answer.code ?? undefined });
  } catch (err) {
    clearInterval(heartbeat);
    cleanUp(p);
    p.lock.release();
    throw failed(err);
  }
  try {
    return finish(p, options);
  } finally {
    clearInterval(heartbeat);
  }
}

// Restoring a backup (docs/backup.md). The backup is checked whole before anything at the target
// changes — its checksum, the key (a key file, the rule's key file, or the recovery key), PRAGMA
// integrity_check, the audit chain, whose terminal it is — in a temporary copy beside the target.
// A refusal removes that copy (and a folder it made) and leaves everything else as it was. An
// existing desk.db is replaced only when asked, and then moved aside with a timestamp, never deleted.
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, writeSync, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { appendAudit, auditHead, verifyAuditChain } from './audit';
import { readBackupFile, type BackupHeader } from './backupFile';
import { KEY_FILE_ENV, keyFileFor, keyFileOf, linkKeyFile, readKeyFile } from './dbKey';
import { readIdentity, type TerminalIdentity } from './meta';
import { latestVersion, loadMigrations } from './migrations';
import { fsyncPath, openStore, TERMINAL_APPLICATION_ID, unlock, type Db } from './open';
import { parseRecoveryKey, unwrapKey } from './recoveryKey';
import { sqliteWords } from './sqliteWords';
import { getSyncState, setSyncState } from './syncState';

/** What a restored database remembers of its restore until (and after) it has told HQ (docs/sync.md "After a restore"). */
export const restoredFromSchema = z.object({
  backupAt: z.int(),
  restoredAt: z.int(),
  /** The backup's audit head: HQ re-anchors the terminal's chain here. */
  audit: z.object({ seq: z.int().nonnegative(), hash: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** The highest outbox seq the backup held or had held: HQ sends back what it holds beyond it. */
  outboxSeq: z.int().nonnegative(),
  /** When HQ took the restore (null: not yet; the next sync tells it first). */
  reportedAt: z.int().nullable(),
});
export type RestoredFrom = z.infer<typeof restoredFromSchema>;

export function readRestoredFrom(db: Db): RestoredFrom | null {
  const text = getSyncState(db, 'restored_from');
  if (text === null) return null;
  const parsed = restoredFromSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : null;
}

export interface RestoreOptions {
  from: string;
  /** The desk.db to write. */
  target: string;
  /** The backup's database key in a key file (the old PC's). */
  keyFile?: string;
  /** The recovery key shown at setup (a PC that never held the key). */
  recoveryKey?: string;
  /** Move an existing desk.db aside (with a timestamp) instead of refusing. */
  replace: boolean;
  now: number;
}

export interface Restored {
  path: string;
  storeId: string;
  terminalId: string;
  backupAt: number;
  audit: BackupHeader['audit'];
  /** Where the replaced desk.db went (null: there was none). */
  replacedTo: string | null;
  keyFile: string;
  keyFrom: 'key-file' | 'recovery-key' | 'rule';
}

const stamp = (at: number) => new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
const SIDES = ['', '-wal', '-shm', '-journal'];

function isCode(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && 'code' in err && codes.includes(String(err.code));
}

/** The backup's copy checked through the key: the right key, ours, not from the future, whole, its chain intact, the terminal its header names. */
function verifyCopy(path: string, key: Buffer, header: BackupHeader, from: string): void {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    unlock(db, key);
    let appId: number;
    try {
      appId = db.pragma('application_id', { simple: true }) as number;
    } catch (err) {
      if (isCode(err, 'SQLITE_NOTADB')) throw new DeskError('BACKUP_WRONG_KEY', { path: from }, err);
      throw err;
    }
    if (appId !== TERMINAL_APPLICATION_ID) throw new DeskError('BACKUP_NOT_A_BACKUP', { path: from });
    const found = db.pragma('user_version', { simple: true }) as number;
    const supported = latestVersion(loadMigrations());
    if (found > supported) throw new DeskError('DB_FROM_FUTURE', { path: from, found, supported });
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (integrity.length !== 1 || integrity[0] !== 'ok') throw new DeskError('BACKUP_DAMAGED', { path: from, sqlite: sqliteWords(integrity) });
    // doctor's chain walk: a backup whose log was edited is not restored over anything.
    const chain = verifyAuditChain(db);
    if (!chain.ok) throw new DeskError('BACKUP_AUDIT_BROKEN', { path: from, seq: chain.firstBrokenSeq });
    const identity = readIdentity(db);
    const head = auditHead(db);
    if (!identity || identity.terminalId !== header.terminalId || identity.storeId !== header.storeId || head.seq !== header.audit.seq || head.hash !== header.audit.hash) {
      throw new DeskError('BACKUP_DAMAGED', { path: from, sqlite: 'header does not match the database' });
    }
  } catch (err) {
    if (err instanceof DeskError) throw err;
    if (isCode(err, 'SQLITE_CORRUPT', 'SQLITE_NOTADB')) throw new DeskError('BACKUP_DAMAGED', { path: from, sqlite: sqliteWords([err instanceof Error ? err.message : '']) }, err);
    throw err;
  } finally {
    db.close();
  }
}

/** Who the existing target says it is, when its key opens it (null: unreadable, so no claim is made). */
function targetIdentity(path: string, key: Buffer | null): TerminalIdentity | null {
  // Reading a WAL database makes its -wal and -shm when they are gone: a refusal leaves none behind.
  const made = ['-wal', '-shm'].filter((side) => !existsSync(`${path}${side}`));
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    if (key) unlock(db, key);
    return readIdentity(db);
  } catch {
    return null;
  } finally {
    db?.close();
    for (const side of made) if (existsSync(`${path}${side}`) && (side === '-shm' || statSync(`${path}${side}`).size === 0)) rmSync(`${path}${side}`, { force: true });
  }
}

/** Folds the existing target's log into it so it moves as one file; a desk still using it is DB_BUSY. */
function quiesce(path: string, key: Buffer | null): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true });
    if (key) unlock(db, key);
    db.pragma('busy_timeout = 2000');
    const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    if (r && r.busy !== 0) throw new DeskError('DB_BUSY', { path });
  } catch (err) {
    if (err instanceof DeskError) throw err;
    if (isCode(err, 'SQLITE_BUSY', 'SQLITE_LOCKED')) throw new DeskError('DB_BUSY', { path }, err);
    // An unreadable old file is still moved aside whole, log and all.
  } finally {
    db?.close();
  }
}

/** Marks the copy as restored (HQ is told at the next sync) and records the restore in its own audit log. */
function markRestored(path: string, key: Buffer, header: BackupHeader, now: number): void {
  const { db } = openStore(path, { create: false, key: { raw: key }, quickCheck: false });
  try {
    const restored: RestoredFrom = { backupAt: header.createdAt, restoredAt: now, audit: header.audit, outboxSeq: header.outboxSeq, reportedAt: null };
    db.transaction(() => {
      setSyncState(db, 'restored_from', JSON.stringify(restored));
      appendAudit(db, { at: now, actor: 'system', action: 'backup.restored', ref: null, data: { backupAt: header.createdAt, auditSeq: header.audit.seq } });
    }).immediate();
  } finally {
    db.close();
  }
}

function backupKey(o: RestoreOptions, header: BackupHeader, ruleKey: Buffer | null): { key: Buffer; from: Restored['keyFrom'] } {
  if (o.recoveryKey !== undefined) {
    const secret = parseRecoveryKey(o.recoveryKey);
    if (!header.recovery) throw new DeskError('BACKUP_NO_RECOVERY', { path: o.from });
    const key = unwrapKey(header.recovery, secret);
    if (!key) throw new DeskError('BACKUP_WRONG_KEY', { path: o.from });
    return { key, from: 'recovery-key' };
  }
  if (o.keyFile !== undefined) {
    const key = readKeyFile(o.keyFile);
    if (!key) throw new DeskError('DB_KEY_MISSING', { path: o.from, keyFile: o.keyFile });
    return { key, from: 'key-file' };
  }
  if (!ruleKey) throw new DeskError('BACKUP_KEY_NEEDED', { path: o.from });
  return { key: ruleKey, from: 'rule' };
}

export function restoreBackup(o: RestoreOptions): Restored {
  const target = resolve(o.target);
  const dir = dirname(target);
  // Checked before anything is written: a malformed recovery key or key file refuses at once.
  if (o.recoveryKey !== undefined) parseRecoveryKey(o.recoveryKey);
  const targetKeyFile = keyFileOf(target);
  const ruleKey = readKeyFile(targetKeyFile);
  const exists = existsSync(target) && statSync(target).size > 0;
  const madeDir = !existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = resolve(dir, `.${basename(target)}.restoring-${process.pid}`);
  let done = false;
  try {
    for (const side of SIDES) rmSync(`${temp}${side}`, { force: true });
    const fd = openSync(temp, 'wx', 0o600);
    let header: BackupHeader;
    try {
      header = readBackupFile(o.from, (chunk) => {
        let n = 0;
        while (n < chunk.length) n += writeSync(fd, chunk, n, chunk.length - n);
      });
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const { key, from } = backupKey(o, header, ruleKey);
    verifyCopy(temp, key, header, o.from);
    if (exists && !o.replace) {
      const theirs = targetIdentity(target, ruleKey);
      if (theirs && theirs.terminalId !== header.terminalId) throw new DeskError('BACKUP_OTHER_TERMINAL', { path: target, backupTerminal: header.terminalId, terminal: theirs.terminalId });
      throw new DeskError('RESTORE_TARGET_EXISTS', { path: target });
    }
    // A key file named with --key (for every database this command opens) is the person's, never moved.
    const keyFileGiven = process.env[KEY_FILE_ENV] !== undefined;
    if (ruleKey && !ruleKey.equals(key) && keyFileGiven) throw new DeskError('BACKUP_WRONG_KEY', { path: o.from });
    markRestored(temp, key, header, o.now);
    let replacedTo: string | null = null;
    const undo: [string, string][] = [];
    const move = (a: string, b: string) => {
      renameSync(a, b);
      undo.unshift([b, a]);
    };
    try {
      if (exists) {
        quiesce(target, ruleKey);
        replacedTo = `${target}.replaced-${stamp(o.now)}`;
        for (const side of SIDES) if (existsSync(`${target}${side}`)) move(`${target}${side}`, `${replacedTo}${side}`);
        // The rule names keys after the database's path: the old file keeps a key under its new name.
        if (ruleKey && !keyFileGiven) {
          linkKeyFile(keyFileFor(replacedTo), ruleKey);
          undo.unshift([keyFileFor(replacedTo), '']);
        }
      }
      // Another database's key is kept beside, never deleted.
      if (ruleKey && !ruleKey.equals(key)) move(targetKeyFile, `${targetKeyFile}.replaced-${stamp(o.now)}`);
      if (!ruleKey || !ruleKey.equals(key)) {
        if (!linkKeyFile(targetKeyFile, key).equals(key)) throw new DeskError('DB_KEY_WRONG', { path: target });
        undo.unshift([targetKeyFile, '']);
      }
      renameSync(temp, target);
    } catch (err) {
      // Put back what was moved: a failed restore leaves the old desk as it was.
      for (const [now, was] of undo) was === '' ? rmSync(now, { force: true }) : renameSync(now, was);
      throw err;
    }
    fsyncPath(dir);
    done = true;
    return { path: target, storeId: header.storeId, terminalId: header.terminalId, backupAt: header.createdAt, audit: header.audit, replacedTo, keyFile: targetKeyFile, keyFrom: from };
  } finally {
    if (!done) {
      for (const side of SIDES) rmSync(`${temp}${side}`, { force: true });
      if (madeDir && readdirSync(dir).length === 0) rmdirSync(dir);
    }
  }
}

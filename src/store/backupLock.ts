// One backup of a data folder at a time (docs/backup.md): the desk's daily backup, 立即备份 in the
// manager area and `loyalty-desk backup` (another process) would otherwise share temporary names,
// rename over each other and rotate while another writes. The lock is a file in the backup folder,
// created exclusively, holding the pid, the time and a random token; a lock whose process is gone,
// or that nobody refreshed for STALE_AFTER_MS (a pid can be reused), is taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../contract/errors';

export const BACKUP_LOCK_NAME = '.backup.lock';
/** A backup refreshes its lock every minute while it runs; half an hour without is a crashed one. */
export const STALE_AFTER_MS = 30 * 60_000;
/** A lock file still empty after this long was left by a crash between its creation and its first write. */
const UNREADABLE_GRACE_MS = 10_000;

const lockSchema = z.object({ pid: z.int().positive(), at: z.int(), token: z.string().regex(/^[0-9a-f]{32}$/) }).strict();

export interface BackupLock {
  /** Tells others this backup is still alive (the lock's time is what ages it). */
  refresh(): void;
  release(): void;
}

const errno = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | null)?.code;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is only someone else's.
    return errno(err) === 'EPERM';
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw err;
  }
}

function isStale(path: string, text: string, nowMs: number): boolean {
  let age: number;
  try {
    age = nowMs - statSync(path).mtimeMs;
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw err;
  }
  if (age > STALE_AFTER_MS) return true;
  let parsed: z.infer<typeof lockSchema> | null = null;
  try {
    const r = lockSchema.safeParse(JSON.parse(text));
    parsed = r.success ? r.data : null;
  } catch {
    parsed = null;
  }
  if (!parsed) return age > UNREADABLE_GRACE_MS;
  return !alive(parsed.pid);
}

function tryCreate(path: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if (errno(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    const body = Buffer.from(JSON.stringify({ pid: process.pid, at: Date.now(), token }));
    writeSync(fd, body, 0, body.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the lock of `folder` or refuses with BACKUP_BUSY. A stale lock is moved aside under a random
 * name and checked to be the one judged stale before it is dropped: two takers cannot both win, and
 * a fresh lock moved aside by a slow taker is put back.
 */
export function acquireBackupLock(folder: string): BackupLock {
  const path = join(folder, BACKUP_LOCK_NAME);
  const token = randomBytes(16).toString('hex');
  // Bounded: each round either takes the lock, refuses, or removed one stale lock.
  for (let round = 0; round < 3; round++) {
    if (tryCreate(path, token)) return heldLock(path, token);
    const text = readText(path);
    if (text === null) continue;
    if (!isStale(path, text, Date.now())) throw new DeskError('BACKUP_BUSY', {});
    const aside = `${path}.stale-${randomBytes(8).toString('hex')}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if (errno(err) === 'ENOENT') continue;
      throw err;
    }
    if (readText(aside) !== text) {
      try {
        linkSync(aside, path);
      } catch {
        // Someone holds a newer lock already: theirs stands.
      }
      rmSync(aside, { force: true });
      throw new DeskError('BACKUP_BUSY', {});
    }
    rmSync(aside, { force: true });
  }
  throw new DeskError('BACKUP_BUSY', {});
}

function heldLock(path: string, token: string): BackupLock {
  const ours = (): boolean => {
    try {
      return (JSON.parse(readFileSync(path, 'utf8')) as { token?: unknown }).token === token;
    } catch {
      return false;
    }
  };
  let released = false;
  return {
    refresh() {
      if (released || !ours()) return;
      const now = new Date();
      utimesSync(path, now, now);
    },
    release() {
      if (released) return;
      released = true;
      // Never someone else's: a lock taken over from us (we were too slow) is theirs now.
      if (ours()) rmSync(path, { force: true });
    },
  };
}

const TEMPORARY = /(\.ldbackup\.(copy|partial)-[A-Za-z0-9]+(-journal)?|^\.backup\.lock\.stale-[0-9a-f]+)$/;

/** Temporary files a crashed backup left in `folder`; called with the lock held, so none is being written. */
export function removeStaleTemporaries(folder: string, nowMs: number): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!TEMPORARY.test(name)) continue;
    const p = join(folder, name);
    try {
      if (nowMs - statSync(p).mtimeMs <= STALE_AFTER_MS) continue;
      rmSync(p, { force: true });
      removed.push(name);
    } catch {
      // Gone meanwhile, or not ours to remove: the next backup looks again.
    }
  }
  return removed;
}

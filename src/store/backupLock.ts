// One backup of a data folder at a time (docs/backup.md): the desk's daily backup, 立即备份 in the
// manager area and `loyalty-desk backup` (another process) would otherwise share temporary names,
// rename over each other and rotate while another writes. The lock is a file in the backup folder,
// created exclusively, holding the pid, the time and a random token; a lock whose process is gone,
// or that nobody refreshed for STALE_AFTER_MS (a pid can be reused), is taken over. The folder can
// be written by others: the lock is read without following a link, without waiting on a FIFO, and
// at most LOCK_MAX_BYTES of it; anything but a small regular file is a damaged lock, taken over.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, fsyncSync, linkSync, lstatSync, openSync, readdirSync, readSync, renameSync, rmdirSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../contract/errors';

export const BACKUP_LOCK_NAME = '.backup.lock';
/** A backup refreshes its lock every minute while it runs; half an hour without is a crashed one. */
export const STALE_AFTER_MS = 30 * 60_000;
/** A lock file still empty after this long was left by a crash between its creation and its first write. */
const UNREADABLE_GRACE_MS = 10_000;
/** A lock we write is under 100 bytes: more is not a lock, and /dev/zero would be read until memory runs out. */
const LOCK_MAX_BYTES = 256;

const lockSchema = z.object({ pid: z.int().positive(), at: z.int(), token: z.string().regex(/^[0-9a-f]{32}$/) }).strict();

export interface BackupLock {
  /** Tells others this backup is still alive (the lock's time is what ages it). */
  refresh(): void;
  /** The lock at its path is still this one (not taken over by another backup meanwhile). */
  held(): boolean;
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

/** What is at the lock's path, seen through one open file: its bytes and times are of the same file. */
type LockSeen =
  | { kind: 'lock'; text: string; mtimeMs: number; dev: number; ino: number }
  // A link, a FIFO, a device, a folder or an oversized file: never a lock a backup wrote.
  | { kind: 'damaged'; mtimeMs: number; dev: number; ino: number };

// O_NOFOLLOW: a link is refused, not followed (to /dev/zero…); O_NONBLOCK: a FIFO opens without a writer.
// Windows has neither flag (and no FIFOs or such links in a folder): 0 there.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** The lock at `path`, or null when there is none. */
function readLock(path: string): LockSeen | null {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    // ELOOP: a symbolic link at the lock's name; EISDIR and the like: not a file at all.
    if (['ELOOP', 'EISDIR', 'EMLINK', 'ENXIO', 'ENODEV', 'EOPNOTSUPP', 'ENOTSUP'].includes(errno(err) ?? '')) return damagedAt(path);
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const who = { mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
    if (!st.isFile() || st.size > LOCK_MAX_BYTES) return { kind: 'damaged', ...who };
    const buf = Buffer.alloc(LOCK_MAX_BYTES + 1);
    let got = 0;
    // Bounded: at most LOCK_MAX_BYTES + 1 bytes, whatever the file claims its size is.
    for (let i = 0; i <= LOCK_MAX_BYTES && got <= LOCK_MAX_BYTES; i++) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got > LOCK_MAX_BYTES) return { kind: 'damaged', ...who };
    return { kind: 'lock', text: buf.subarray(0, got).toString('utf8'), ...who };
  } finally {
    closeSync(fd);
  }
}

function damagedAt(path: string): LockSeen | null {
  try {
    const st = lstatSync(path);
    return { kind: 'damaged', mtimeMs: st.mtimeMs, dev: st.dev, ino: st.ino };
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    throw err;
  }
}

const sameLock = (a: LockSeen, b: LockSeen | null): boolean =>
  b !== null && a.kind === b.kind && a.dev === b.dev && a.ino === b.ino && (a.kind === 'damaged' || a.text === (b as { text: string }).text);

/** Drops what was moved aside; a folder only when empty (what a stranger put in it is not ours to delete). */
function dropAside(aside: string): void {
  try {
    rmSync(aside, { force: true });
  } catch {
    try {
      rmdirSync(aside);
    } catch {
      // Left under its aside name: it no longer stands in any backup's way.
    }
  }
}

function isStale(seen: LockSeen, nowMs: number): boolean {
  if (seen.kind === 'damaged') return true;
  // Either way: a time in the future (a clock set back, or a hostile file) must not make a lock live forever.
  const age = Math.abs(nowMs - seen.mtimeMs);
  if (age > STALE_AFTER_MS) return true;
  let parsed: z.infer<typeof lockSchema> | null = null;
  try {
    const r = lockSchema.safeParse(JSON.parse(seen.text));
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
 * name and checked to be the very file judged stale (same file, same words) before it is dropped; a
 * fresher one moved aside by a slow taker is put back without replacing anything. That does not make
 * the lock exclusive against every interleaving of three or more takers: what holds is that no backup
 * file is ever replaced (the final move refuses an existing name), temporary names are random, and a
 * backup checks the lock is still its own before its final move and its rotation (`held()`).
 */
export function acquireBackupLock(folder: string): BackupLock {
  const path = join(folder, BACKUP_LOCK_NAME);
  const token = randomBytes(16).toString('hex');
  // Bounded: each round either takes the lock, refuses, or removed one stale lock.
  for (let round = 0; round < 3; round++) {
    if (tryCreate(path, token)) return heldLock(path, token);
    const seen = readLock(path);
    if (seen === null) continue;
    if (!isStale(seen, Date.now())) throw new DeskError('BACKUP_BUSY', {});
    const aside = `${path}.stale-${randomBytes(8).toString('hex')}`;
    try {
      renameSync(path, aside);
    } catch (err) {
      if (errno(err) === 'ENOENT') continue;
      throw err;
    }
    if (!sameLock(seen, readLock(aside))) {
      try {
        linkSync(aside, path);
      } catch {
        // Someone holds a newer lock already: theirs stands.
      }
      dropAside(aside);
      throw new DeskError('BACKUP_BUSY', {});
    }
    dropAside(aside);
  }
  throw new DeskError('BACKUP_BUSY', {});
}

function heldLock(path: string, token: string): BackupLock {
  const ours = (): boolean => {
    try {
      const seen = readLock(path);
      return seen?.kind === 'lock' && (JSON.parse(seen.text) as { token?: unknown }).token === token;
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
    held: () => !released && ours(),
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

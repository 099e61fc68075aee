// One backup of a data folder at a time (docs/backup.md), on real SQLite files: two backups started
// together (the core function twice, and real `loyalty-desk backup` processes) give one backup that
// restores and BACKUP_BUSY for the other; a stale lock (its process gone, or not refreshed for half an
// hour) is taken over and a crash's temporary files removed; --out onto an existing file is refused
// and the file left as it was; the newest 5 manual backups are kept. A hostile lock (a FIFO, a link to
// /dev/zero, a huge file, a folder, a time in the future) neither hangs nor exhausts the backup and is
// taken over; a lock taken over mid-backup makes that backup give way; a stuck lock is a failing streak
// after three checks; the backup folder must be a real folder, narrowed to 0700.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { BUSY_CHECKS_TO_FAIL, startDailyBackups } from '../../src/runtime/dailyBackup';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { backupFolderFor, makeBackup, makeBackupInBackground } from '../../src/store/backup';
import { readBackupFile } from '../../src/store/backupFile';
import { acquireBackupLock, BACKUP_LOCK_NAME, STALE_AFTER_MS } from '../../src/store/backupLock';
import { KEEP_MANUAL } from '../../src/store/backupRotation';
import { keyFileFor } from '../../src/store/dbKey';
import { keyOfConnection, openRaw, openStore } from '../../src/store/open';
import { readBackupFailure } from '../../src/store/opsFailures';
import { restoreBackup } from '../../src/store/restore';
import { doctorReport } from '../../src/terminal/manager/doctor';
import { cli } from '../helpers/cliChild';
import { NOW, tempDir } from '../helpers/demoDb';

const tmp = tempDir('ld-backup-lock-');
afterAll(() => tmp.cleanup());
const MINUTE = 60_000;

function seeded(name: string, members = 100): string {
  const dbPath = join(tmp.dir, name, 'desk.db');
  seedNewDatabase({ dbPath, members, seed: 'backup-lock', now: NOW });
  return dbPath;
}

function withDb<T>(dbPath: string, fn: (db: ReturnType<typeof openStore>['db']) => T): T {
  const { db } = openStore(dbPath, { create: false });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeskError) return err.code;
    throw err;
  }
  return 'OK';
}

/** Restores `backup` into a new folder and counts its members: a backup that restores is a real one. */
function restoredMembers(dbPath: string, backup: string, name: string): number {
  const target = join(tmp.dir, name, 'desk.db');
  restoreBackup({ from: backup, target, keyFile: keyFileFor(dbPath), replace: false, now: NOW + 1 });
  const db = openRaw(target, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A pid that no process has now: a child that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

const leftovers = (folder: string) => readdirSync(folder).filter((n) => !n.endsWith('.ldbackup'));

describe('one backup at a time', () => {
  it('two backups started together: one is made and restores, the other is BACKUP_BUSY; nothing else is left', async () => {
    const dbPath = seeded('twice', 400);
    const folder = backupFolderFor(dbPath);
    const { db } = openStore(dbPath, { create: false });
    try {
      const key = keyOfConnection(db);
      const results = await Promise.allSettled([
        makeBackupInBackground(db, key, { kind: 'manual', now: NOW }),
        makeBackupInBackground(db, key, { kind: 'daily', now: NOW + MINUTE }),
      ]);
      const made = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(made).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({ code: 'BACKUP_BUSY' });
      const path = (made[0] as PromiseFulfilledResult<{ path: string }>).value.path;
      expect(readdirSync(folder).filter((n) => n.endsWith('.ldbackup'))).toEqual([path.split('/').at(-1)]);
      expect(leftovers(folder)).toEqual([]);
      // While a background backup is being written, the command (the same data folder) is refused too.
      const running = makeBackupInBackground(db, key, { kind: 'manual', now: NOW + 2 * MINUTE });
      expect(codeOf(() => makeBackup(db, key, { kind: 'manual', now: NOW + 3 * MINUTE }))).toBe('BACKUP_BUSY');
      await running;
      // The desk's daily backup meeting one in progress: refused, not counted as a failing backup, made at the next check.
      const held = acquireBackupLock(folder);
      const daily = startDailyBackups(db, { clock: () => NOW + 24 * 60 * MINUTE, firstCheckMs: 3_600_000, checkEveryMs: 3_600_000 });
      try {
        await expect(daily.check()).rejects.toMatchObject({ code: 'BACKUP_BUSY' });
        expect(readBackupFailure(db)).toBeNull();
        held.release();
        expect((await daily.check())?.header.kind).toBe('daily');
      } finally {
        held.release();
        await daily.stop();
      }
      expect(restoredMembers(dbPath, path, 'twice-restored')).toBe(400);
      expect(leftovers(folder)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('real `loyalty-desk backup` processes: refused while another process holds the lock; started together, each is made or BACKUP_BUSY, and every one made restores', async () => {
    const dbPath = seeded('procs', 2000);
    const dir = join(tmp.dir, 'procs');
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const held = acquireBackupLock(folder);
    const busy = await cli('backup', '--data', dir, '--lang', 'zh-CN');
    held.release();
    expect(busy).toMatchObject({ code: 2, json: { error: { code: 'BACKUP_BUSY' } } });
    expect(busy.json.error.message).toBe('另一个备份正在进行。请等它完成后再试；未做任何改动。');
    expect(readdirSync(folder)).toEqual([]);

    // Distinct --out names: two made in the same second must not meet as BACKUP_EXISTS here.
    const runs = await Promise.all([0, 1, 2, 3].map((i) => cli('backup', '--data', dir, '--out', join(folder, `proc-${i}.ldbackup`))));
    const ok = runs.filter((r) => r.code === 0);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of runs) if (r.code !== 0) expect(r.json.error.code).toBe('BACKUP_BUSY');
    for (const [i, r] of ok.entries()) {
      expect(readBackupFile(r.json.path).terminalId).toBe('SH001-T1');
      if (i === 0) expect(restoredMembers(dbPath, r.json.path, 'procs-restored')).toBe(2000);
    }
    expect(readdirSync(folder).sort()).toEqual(ok.map((r) => r.json.path.split('/').at(-1)).sort());
  });

  it('a stale lock is taken over (its process gone, or not refreshed for half an hour); a live one is not; a crash’s old temporary files go, fresh ones stay', async () => {
    const dbPath = seeded('stale');
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const lock = join(folder, BACKUP_LOCK_NAME);
    const lockOf = (pid: number, at = Date.now()) => JSON.stringify({ pid, at, token: 'ab'.repeat(16) });
    const old = (Date.now() - STALE_AFTER_MS - MINUTE) / 1000;

    // A live process's fresh lock: refused, and the lock is still there.
    writeFileSync(lock, lockOf(process.pid));
    expect(withDb(dbPath, (db) => codeOf(() => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW })))).toBe('BACKUP_BUSY');
    expect(readFileSync(lock, 'utf8')).toBe(lockOf(process.pid, JSON.parse(readFileSync(lock, 'utf8')).at));

    // Its process is gone: taken over at once.
    writeFileSync(lock, lockOf(await deadPid()));
    const crashed = ['manual-20261101T000000Z-SH001-T1.ldbackup.copy-1234', 'manual-20261101T000000Z-SH001-T1.ldbackup.partial-1234', 'daily-20261101T000000Z-SH001-T1.ldbackup.copy-9f8e7d6c5b4a3921-journal'];
    for (const n of crashed) {
      writeFileSync(join(folder, n), 'half');
      utimesSync(join(folder, n), old, old);
    }
    // Young enough to be another backup's (of a data folder sharing this folder): kept.
    const fresh = 'manual-20261123T000000Z-SH001-T9.ldbackup.partial-aaaa';
    writeFileSync(join(folder, fresh), 'being written');
    const first = withDb(dbPath, (db) => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW }));
    expect(existsSync(first.path)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(leftovers(folder)).toEqual([fresh]);

    // A live pid (pids are reused) whose lock nobody refreshed for more than half an hour: taken over.
    writeFileSync(lock, lockOf(process.pid, Date.now() - STALE_AFTER_MS - MINUTE));
    utimesSync(lock, old, old);
    const second = withDb(dbPath, (db) => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW + MINUTE }));
    expect(existsSync(second.path)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(restoredMembers(dbPath, second.path, 'stale-restored')).toBe(100);
  });
});

describe('never over an existing file', () => {
  it('--out naming an existing file is refused (BACKUP_EXISTS) and the file is unchanged; so is a backup name that is taken', async () => {
    const dbPath = seeded('exists');
    const dir = join(tmp.dir, 'exists');
    const precious = join(tmp.dir, 'precious.ldbackup');
    writeFileSync(precious, 'a file the person keeps');
    const refused = await cli('backup', '--data', dir, '--out', precious);
    expect(refused).toMatchObject({ code: 2, json: { error: { code: 'BACKUP_EXISTS' } } });
    expect(readFileSync(precious, 'utf8')).toBe('a file the person keeps');
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith('precious'))).toEqual(['precious.ldbackup']);
    // The default name taken (two backups in one second): refused the same way, nothing replaced.
    const made = withDb(dbPath, (db) => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW }));
    const before = readFileSync(made.path);
    expect(withDb(dbPath, (db) => codeOf(() => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW })))).toBe('BACKUP_EXISTS');
    expect(readFileSync(made.path).equals(before)).toBe(true);
    expect(leftovers(backupFolderFor(dbPath))).toEqual([]);
  });
});

describe('manual backups are rotated', () => {
  it(`keeps this terminal's newest ${KEEP_MANUAL} manual backups; daily ones, other terminals' and --out files stay`, () => {
    const dbPath = seeded('manual');
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const others = ['manual-20261001T000000Z-SH001-T2.ldbackup', 'daily-20261001T000000Z-SH001-T1.ldbackup', 'notes.txt'];
    for (const n of others) writeFileSync(join(folder, n), 'x');
    const names: string[] = [];
    withDb(dbPath, (db) => {
      writeFileSync(join(folder, 'usb-copy.ldbackup'), 'x');
      makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW - 10 * MINUTE, out: join(folder, 'kept-by-hand.ldbackup') });
      for (let i = 0; i < KEEP_MANUAL + 3; i++) names.push(makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW + i * 24 * 60 * MINUTE }).path.split('/').at(-1)!);
    });
    const left = readdirSync(folder).sort();
    expect(left).toEqual([...others, 'usb-copy.ldbackup', 'kept-by-hand.ldbackup', ...names.slice(-KEEP_MANUAL)].sort());
  });
});

const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');

/**
 * `loyalty-desk backup` in a child bounded in time (a FIFO read would block it for ever) and in
 * memory (ulimit -d: /dev/zero read whole would take the box's memory): null when it did not answer.
 */
function boundedBackup(dir: string): Promise<{ code: number; json: Record<string, unknown> } | null> {
  return new Promise((done) => {
    execFile('sh', ['-c', 'ulimit -d 600000; exec "$0" "$@"', process.execPath, BIN, 'backup', '--data', dir], { timeout: 20_000 }, (err, stdout) => {
      try {
        done({ code: err ? Number((err as { code?: unknown }).code) : 0, json: JSON.parse(stdout) as Record<string, unknown> });
      } catch {
        done(null);
      }
    });
  });
}

describe('a hostile or damaged lock file', () => {
  const cases: [string, (lock: string) => void][] = [
    ['a FIFO', (lock) => execFileSync('mkfifo', [lock])],
    ['a link to /dev/zero', (lock) => symlinkSync('/dev/zero', lock)],
    ['a file far larger than a lock', (lock) => writeFileSync(lock, `{"pid":${process.pid},"pad":"${'x'.repeat(100_000)}"}`)],
    ['a folder', (lock) => mkdirSync(lock)],
  ];
  it.each(cases)('%s at the lock’s name: the backup answers at once, takes it over as a damaged lock and is made', async (_, plant) => {
    const name = `hostile-${plant.toString().length}-${Math.random().toString(16).slice(2, 8)}`;
    const dbPath = seeded(name);
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const lock = join(folder, BACKUP_LOCK_NAME);
    plant(lock);
    const started = Date.now();
    const r = await boundedBackup(join(tmp.dir, name));
    expect(r, 'the backup hung or ran out of memory').not.toBeNull();
    expect(r!.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(existsSync(r!.json.path as string)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(leftovers(folder)).toEqual([]);
  }, 40_000);

  it('a live pid’s lock with a time far in the future is stale all the same (no lock lives for ever)', () => {
    const dbPath = seeded('future');
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const lock = join(folder, BACKUP_LOCK_NAME);
    const ahead = (Date.now() + STALE_AFTER_MS + 10 * MINUTE) / 1000;
    writeFileSync(lock, JSON.stringify({ pid: process.pid, at: ahead * 1000, token: 'cd'.repeat(16) }));
    utimesSync(lock, ahead, ahead);
    const made = withDb(dbPath, (db) => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW }));
    expect(existsSync(made.path)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    // A little ahead (a clock a minute off) is still a live lock.
    const soon = (Date.now() + MINUTE) / 1000;
    writeFileSync(lock, JSON.stringify({ pid: process.pid, at: soon * 1000, token: 'cd'.repeat(16) }));
    utimesSync(lock, soon, soon);
    expect(withDb(dbPath, (db) => codeOf(() => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW + MINUTE })))).toBe('BACKUP_BUSY');
    rmSync(lock);
  });

  it('a lock taken over while the copy is made: that backup gives way (BACKUP_BUSY), names no file and leaves the new holder’s lock', async () => {
    const dbPath = seeded('taken-over', 400);
    const folder = backupFolderFor(dbPath);
    const { db } = openStore(dbPath, { create: false });
    try {
      const running = makeBackupInBackground(db, keyOfConnection(db), { kind: 'manual', now: NOW });
      // What a taker that judged our lock stale leaves: its own lock at the name.
      const lock = join(folder, BACKUP_LOCK_NAME);
      const theirs = JSON.stringify({ pid: process.pid, at: Date.now(), token: 'ef'.repeat(16) });
      rmSync(lock);
      writeFileSync(lock, theirs);
      await expect(running).rejects.toMatchObject({ code: 'BACKUP_BUSY' });
      expect(readFileSync(lock, 'utf8')).toBe(theirs);
      expect(readdirSync(folder)).toEqual([BACKUP_LOCK_NAME]);
    } finally {
      db.close();
    }
  });

  it(`the daily backup refused ${BUSY_CHECKS_TO_FAIL} checks in a row is a failing streak with cause busy, said by doctor; a success ends it`, async () => {
    const dbPath = seeded('stuck');
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const { db } = openStore(dbPath, { create: false });
    const HOUR = 60 * MINUTE;
    let now = NOW + 24 * HOUR;
    const held = acquireBackupLock(folder);
    const daily = startDailyBackups(db, { clock: () => now, firstCheckMs: 3_600_000, checkEveryMs: 3_600_000 });
    try {
      const first = now;
      for (let i = 1; i <= BUSY_CHECKS_TO_FAIL; i++) {
        await expect(daily.check()).rejects.toMatchObject({ code: 'BACKUP_BUSY' });
        if (i < BUSY_CHECKS_TO_FAIL) expect(readBackupFailure(db)).toBeNull();
        if (i < BUSY_CHECKS_TO_FAIL) now += HOUR;
      }
      expect(readBackupFailure(db)).toEqual({ code: 'BACKUP_FAILED', cause: 'busy', since: first, lastAt: now, failures: BUSY_CHECKS_TO_FAIL });
      const finding = doctorReport(db, { tr: createTranslator('zh-CN'), now, full: false }).findings.find((f) => f.code === 'BACKUP_FAILED');
      expect(finding?.params).toMatchObject({ cause: 'busy', failures: BUSY_CHECKS_TO_FAIL });
      expect(finding?.title).toContain('另一个迟迟没有结束的备份');
      now += HOUR;
      await expect(daily.check()).rejects.toMatchObject({ code: 'BACKUP_BUSY' });
      expect(readBackupFailure(db)?.failures).toBe(BUSY_CHECKS_TO_FAIL + 1);
      held.release();
      expect((await daily.check())?.header.kind).toBe('daily');
      expect(readBackupFailure(db)).toBeNull();
    } finally {
      held.release();
      await daily.stop();
      db.close();
    }
  });
});

describe('the backup folder', () => {
  it('an existing folder open to others is narrowed to 0700; a link or a file in its place is refused and nothing is written through it', () => {
    const dbPath = seeded('folder');
    const folder = backupFolderFor(dbPath);
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    withDb(dbPath, (db) => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW }));
    expect(statSync(folder).mode & 0o777).toBe(0o700);

    // A link in the folder's place (to where someone else reads): refused, the place it points to untouched.
    rmSync(folder, { recursive: true });
    const elsewhere = join(tmp.dir, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o755 });
    symlinkSync(elsewhere, folder);
    const refusal = (() => {
      try {
        withDb(dbPath, (db) => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW + MINUTE }));
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(refusal).toMatchObject({ code: 'BACKUP_FAILED', params: { cause: 'not_found' } });
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(folder).isSymbolicLink()).toBe(true);

    rmSync(folder);
    writeFileSync(folder, 'not a folder');
    expect(withDb(dbPath, (db) => codeOf(() => makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW + 2 * MINUTE })))).toBe('BACKUP_FAILED');
    expect(readFileSync(folder, 'utf8')).toBe('not a folder');
  });
});

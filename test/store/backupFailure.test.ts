// A failed backup's cause (docs/backup.md): generated causes — every errno this OS names, SQLite's
// codes, worker messages and made-up codes — give one of the closed list and a catalog sentence in
// zh-CN, zh-TW and en, with no Latin letter in the Chinese ones; the stored streak holds only the code
// and the cause, and a damaged or hostile row is ignored by doctor and the manager's backup panel.
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKUP_FAILURE_CAUSES } from '../../src/contract/backupFailure';
import { DeskError } from '../../src/contract/errors';
import { mulberry32 } from '../../src/bench/prng';
import { createTranslator } from '../../src/i18n';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { backupFailureCause } from '../../src/store/backupFailureCause';
import { getMeta, setMeta } from '../../src/store/meta';
import { openStore } from '../../src/store/open';
import { readBackupFailure, recordBackupFailure } from '../../src/store/opsFailures';
import { backupStatus } from '../../src/terminal/manager/backups';
import { doctorReport } from '../../src/terminal/manager/doctor';
import { NOW, tempDir } from '../helpers/demoDb';

const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;
const tmp = tempDir('ld-backup-failure-');
afterAll(() => tmp.cleanup());

function errnoError(code: string, message = `${code}: something failed, open '/home/zhang.wei/店/desk.db'`): Error {
  return Object.assign(new Error(message), { code });
}

/** Generated causes: every errno name, SQLite's primary and some extended codes, and made-up ones. */
function generatedErrors(): unknown[] {
  const rand = mulberry32(19);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ_';
  const madeUp = Array.from({ length: 60 }, () => `E${Array.from({ length: 3 + Math.floor(rand() * 8) }, () => letters[Math.floor(rand() * letters.length)]).join('')}`);
  const sqlite = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_FSYNC', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_CANTOPEN', 'SQLITE_CANTOPEN_ISDIR', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_PERM', 'SQLITE_CORRUPT', 'SQLITE_NOTADB'];
  return [
    ...Object.keys(constants.errno).map((c) => errnoError(c)),
    ...sqlite.map((c) => errnoError(c, 'database or disk is full')),
    ...madeUp.map((c) => errnoError(c)),
    new Error('the backup worker stopped (1)'),
    new Error('database or disk is full'),
    'a string thrown',
    null,
    { code: 42 },
    new DeskError('BACKUP_FAILED', { cause: 'ENOSPC' }),
    new DeskError('BACKUP_FAILED', { cause: 'disk_full' }),
    new DeskError('BACKUP_BUSY'),
    new Error('wrapped', { cause: errnoError('EROFS') }),
  ];
}

describe('a backup failure is said from a closed list', () => {
  it('generated causes give one of the list and a catalog sentence in each language; no Latin letter, path or code in the Chinese ones', () => {
    const seen = new Set<string>();
    const trs = LANGS.map((lang) => createTranslator(lang));
    for (const err of generatedErrors()) {
      const cause = backupFailureCause(err);
      expect(BACKUP_FAILURE_CAUSES).toContain(cause);
      seen.add(cause);
      for (const tr of trs) {
        const sentence = tr.error('BACKUP_FAILED', { cause });
        expect(sentence).not.toMatch(/\{\{|undefined|desk\.db|zhang|E[A-Z]{3}|SQLITE/);
        expect(sentence).toContain(tr.t(`backupCause.${cause}`));
        if (tr.lang !== 'en') expect(sentence).not.toMatch(/[A-Za-z]/);
      }
    }
    // Every cause is reachable, and the common ones are what a person would expect.
    expect([...seen].sort()).toEqual([...BACKUP_FAILURE_CAUSES].sort());
    expect(backupFailureCause(errnoError('ENOSPC'))).toBe('disk_full');
    expect(backupFailureCause(errnoError('EACCES'))).toBe('no_permission');
    expect(backupFailureCause(errnoError('EROFS'))).toBe('read_only');
    expect(backupFailureCause(errnoError('SQLITE_READONLY_DBMOVED'))).toBe('read_only');
    expect(backupFailureCause(errnoError('EIDONTKNOW'))).toBe('other');
    // The folder is there: a name taken or a folder where a file goes is not "the folder is missing".
    expect(backupFailureCause(errnoError('ENOENT'))).toBe('not_found');
    expect(backupFailureCause(errnoError('EEXIST'))).toBe('other');
    expect(backupFailureCause(errnoError('EISDIR'))).toBe('other');
    // A cause that is not on the list is said as `other`, never echoed.
    for (const tr of trs) expect(tr.error('BACKUP_FAILED', { cause: 'ENOSPC /home/zhang.wei' })).toBe(tr.error('BACKUP_FAILED', { cause: 'other' }));
    expect(createTranslator('zh-CN').error('BACKUP_FAILED', { cause: 'disk_full' })).toBe('备份没有做成：磁盘空间已满。请腾出空间（或换一个磁盘）后重试。没有留下不完整的文件；已有的备份未受影响。');
  });
});

describe('the stored streak', () => {
  const dbPath = join(tmp.dir, 'data', 'desk.db');
  seedNewDatabase({ dbPath, members: 10, seed: 'backup-failure', now: NOW });

  it('holds only the code and the cause: no path, no message', () => {
    const { db } = openStore(dbPath, { create: false });
    try {
      recordBackupFailure(db, errnoError('ENOSPC'), NOW);
      recordBackupFailure(db, new DeskError('BACKUP_FAILED', { cause: 'no_permission', path: '/home/zhang.wei/x' }), NOW + 1000);
      expect(JSON.parse(getMeta(db, 'backup_failure')!)).toEqual({ code: 'BACKUP_FAILED', cause: 'no_permission', since: NOW, lastAt: NOW + 1000, failures: 2 });
      const report = doctorReport(db, { tr: createTranslator('zh-CN'), now: NOW + 2000, full: false });
      const finding = report.findings.find((f) => f.code === 'BACKUP_FAILED')!;
      expect(finding.params).toEqual({ errorCode: 'BACKUP_FAILED', cause: 'no_permission', since: '2026-11-23 10:00', failures: 2 });
      expect(finding.title).toContain('本程序没有写入备份文件夹的权限');
      expect(finding.title).not.toMatch(/zhang|EACCES|ENOSPC/);
    } finally {
      db.close();
    }
  });

  it('a damaged or hostile row is ignored: doctor and the backup panel answer, with no BACKUP_FAILED', () => {
    const rows = [
      'not json {',
      'null',
      '[]',
      '"BACKUP_FAILED"',
      JSON.stringify({ code: 'BACKUP_FAILED', params: { path: '/home/zhang.wei/backups', detail: 'ENOSPC: no space left' }, since: NOW, lastAt: NOW, failures: 1 }),
      JSON.stringify({ code: 'BACKUP_FAILED', cause: 'ENOSPC', since: NOW, lastAt: NOW, failures: 1 }),
      JSON.stringify({ code: 'INTERNAL', cause: 'other', since: NOW, lastAt: NOW, failures: 1 }),
      JSON.stringify({ code: 'BACKUP_FAILED', cause: 'other', since: NOW, lastAt: NOW, failures: 1, detail: '/home/zhang.wei' }),
      JSON.stringify({ code: 'BACKUP_FAILED', cause: 'other', since: 'yesterday', lastAt: NOW, failures: 1 }),
      JSON.stringify({ code: 'BACKUP_FAILED', cause: 'other', since: NOW, lastAt: NOW, failures: -1 }),
      JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } }, code: 'BACKUP_FAILED' }),
      'x'.repeat(100_000),
    ];
    const { db } = openStore(dbPath, { create: false });
    try {
      for (const row of rows) {
        setMeta(db, 'backup_failure', row);
        expect(readBackupFailure(db)).toBeNull();
        for (const lang of LANGS) {
          const report = doctorReport(db, { tr: createTranslator(lang), now: NOW + 1000, full: false });
          expect(report.findings.map((f) => f.code)).not.toContain('BACKUP_FAILED');
          expect(backupStatus(db, createTranslator(lang)).failure).toBeNull();
        }
      }
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      // A row damaged like this is replaced by the next failure's own, a fresh streak.
      expect(recordBackupFailure(db, errnoError('EROFS'), NOW + 5000)).toEqual({ code: 'BACKUP_FAILED', cause: 'read_only', since: NOW + 5000, lastAt: NOW + 5000, failures: 1 });
    } finally {
      db.close();
    }
  });
});

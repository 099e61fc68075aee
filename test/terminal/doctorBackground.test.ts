// doctor's findings for background work that keeps failing (issue 19): the daily backup and the
// background sync, on a real encrypted SQLite file with the real backup worker and a real (refused)
// TCP connection to HQ. Each streak says since when, how many tries and why, in zh-CN, zh-TW and en,
// and is gone after the next success.
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorFinding } from '../../src/contract/managerTypes';
import { createTranslator } from '../../src/i18n';
import { startDailyBackups } from '../../src/runtime/dailyBackup';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { backupFolderFor } from '../../src/store/backup';
import { keyOfConnection, openStore, type Db } from '../../src/store/open';
import { issueRecoveryKey } from '../../src/store/recoveryKey';
import { readBackupFailure, readSyncFailure } from '../../src/store/opsFailures';
import { setSyncState } from '../../src/store/syncState';
import { startSyncLoop } from '../../src/syncClient/syncLoop';
import { doctorReport } from '../../src/terminal/manager/doctor';
import { NOW, tempDir } from '../helpers/demoDb';

const HOUR = 3_600_000;
const tmp = tempDir('ld-doctor-bg-');
const dbPath = `${tmp.dir}/data/desk.db`;
let db: Db;
const LANGS = ['zh-CN', 'zh-TW', 'en'] as const;

const findings = (now: number, lang: (typeof LANGS)[number] = 'en'): DoctorFinding[] => doctorReport(db, { tr: createTranslator(lang), now, full: false }).findings;
const find = (now: number, code: string, lang: (typeof LANGS)[number] = 'en') => findings(now, lang).find((f) => f.code === code);

beforeAll(() => {
  seedNewDatabase({ dbPath, members: 20, seed: 'doctor-bg', now: NOW });
  db = openStore(dbPath).db;
  // The first thing recorded (here the recovery key at setup): from then on there is something to lose.
  issueRecoveryKey(db, keyOfConnection(db), { actor: 'setup', now: NOW });
});
afterAll(() => {
  db?.close();
  tmp.cleanup();
});

describe('the daily backup in doctor', () => {
  it('no backup after two days, a failing streak, then a success and an overdue one', async () => {
    expect(findings(NOW + HOUR).map((f) => f.code)).not.toContain('BACKUP_NONE');
    const none = find(NOW + 49 * HOUR, 'BACKUP_NONE');
    expect(none).toMatchObject({ severity: 'warn', params: { folder: backupFolderFor(dbPath) } });

    // The backup folder's place is taken by a file: the backup cannot be made.
    const folder = backupFolderFor(dbPath);
    writeFileSync(folder, 'not a folder');
    const clock = { now: NOW + 2 * HOUR };
    const backups = startDailyBackups(db, { clock: () => clock.now, firstCheckMs: 10 * HOUR, checkEveryMs: 10 * HOUR });
    try {
      await expect(backups.check()).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
      clock.now += HOUR;
      await expect(backups.check()).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
      // Only the code and the cause from the closed list are kept: no path, no English message.
      expect(readBackupFailure(db)).toEqual({ code: 'BACKUP_FAILED', cause: 'not_found', since: NOW + 2 * HOUR, lastAt: NOW + 3 * HOUR, failures: 2 });
      const report = doctorReport(db, { tr: createTranslator('en'), now: clock.now, full: false });
      expect(report.healthy).toBe(false);
      // A problem comes before every warning, whatever order the checks ran in.
      expect(report.findings[0]!.code).toBe('BACKUP_FAILED');
      for (const lang of LANGS) {
        const f = find(clock.now, 'BACKUP_FAILED', lang)!;
        expect(f.severity).toBe('problem');
        // Since 2026-11-23 12:00 in the store's zone, two tries, and the error's own sentence.
        expect(f.title).toContain('2026-11-23 12:00');
        expect(f.title).toContain('2');
        expect(f.title).toContain(createTranslator(lang).error('BACKUP_FAILED', { cause: readBackupFailure(db)!.cause }));
        expect(f.title).toContain(createTranslator(lang).t('backupCause.not_found'));
        expect(f.title + f.action).not.toMatch(/\{\{|undefined|E[A-Z]{3,}|SQLITE|ld-doctor-bg/);
        expect(Object.keys(f.params).sort()).toEqual(['cause', 'errorCode', 'failures', 'since']);
      }

      rmSync(folder);
      clock.now += HOUR;
      const made = await backups.check();
      expect(made?.header.kind).toBe('daily');
      expect(readBackupFailure(db)).toBeNull();
      expect(findings(clock.now).filter((f) => f.code.startsWith('BACKUP_'))).toEqual([]);
      // Three days on without the desk running: overdue, with the hours and where backups go.
      const overdue = find(clock.now + 72 * HOUR, 'BACKUP_OVERDUE', 'zh-CN')!;
      expect(overdue).toMatchObject({ severity: 'warn', params: { hours: 72 } });
      expect(overdue.title).toBe('最近一次每日备份是 72 小时前。');
    } finally {
      await backups.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the background sync in doctor', () => {
  it('a sync that keeps failing is a finding with since when and why; nothing before it is enrolled', async () => {
    expect(findings(NOW).map((f) => f.code)).not.toContain('SYNC_FAILING');
    // Enrolled with an HQ whose port nobody listens on (loopback: refused at once).
    setSyncState(db, 'hq_url', 'http://127.0.0.1:9');
    setSyncState(db, 'credential', 'test-credential-not-real');
    const clock = { now: NOW + 5 * HOUR };
    const loop = startSyncLoop(db, { now: () => clock.now, baseBackoffMs: 10 * HOUR, maxBackoffMs: 10 * HOUR });
    try {
      await expect(loop.syncNow()).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
      clock.now += HOUR;
      await expect(loop.syncNow()).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
      expect(readSyncFailure(db)).toMatchObject({ code: 'HQ_UNREACHABLE', lastAt: NOW + 6 * HOUR });
      const streak = readSyncFailure(db)!;
      // Only closed things are kept: why from the list, never the address or Node's words.
      expect(Object.keys(streak.params)).toEqual(['why']);
      for (const lang of LANGS) {
        const f = find(clock.now, 'SYNC_FAILING', lang)!;
        expect(f.severity).toBe('warn');
        expect(f.params).toMatchObject({ errorCode: 'HQ_UNREACHABLE', failures: streak.failures });
        // Said in a few words from a closed list: the reason, never the address (kept in the log for IT).
        expect(f.title).toContain(createTranslator(lang).syncFailure('HQ_UNREACHABLE', streak.params));
        expect(f.title).toContain(createTranslator(lang).t(`ioWhy.${String(streak.params.why)}`));
        expect(f.title).not.toContain('127.0.0.1');
        expect(f.title + f.action).not.toMatch(/\{\{|undefined/);
      }
      // The credential is never part of what is kept or said.
      expect(JSON.stringify(streak)).not.toContain('test-credential-not-real');
    } finally {
      await loop.stop();
    }
  });
});

describe('the recovery key in doctor', () => {
  it('a database whose recovery key was never shown (setup went on after its call failed) is a warning with what to do, until one is shown', () => {
    const path = `${tmp.dir}/never-shown/desk.db`;
    seedNewDatabase({ dbPath: path, members: 5, seed: 'doctor-recovery', now: NOW });
    const fresh = openStore(path).db;
    try {
      for (const lang of LANGS) {
        const tr = createTranslator(lang);
        const f = doctorReport(fresh, { tr, now: NOW + HOUR, full: false }).findings.find((x) => x.code === 'RECOVERY_KEY_NEVER_SHOWN');
        expect(f).toEqual({ code: 'RECOVERY_KEY_NEVER_SHOWN', severity: 'warn', params: {}, title: tr.t('support.doctor.RECOVERY_KEY_NEVER_SHOWN.title'), action: tr.t('support.doctor.RECOVERY_KEY_NEVER_SHOWN.action') });
        // Says where the key is made: the check-up tab's own button, in that language.
        expect(f!.action).toContain(tr.t('manager.backups.recovery.show'));
        expect(f!.action).toContain(tr.t('manager.tabs.doctor'));
        if (lang !== 'en') expect(f!.title).not.toMatch(/[A-Za-z]/);
      }
      issueRecoveryKey(fresh, keyOfConnection(fresh), { actor: 'manager', now: NOW + 2 * HOUR });
      expect(doctorReport(fresh, { tr: createTranslator('en'), now: NOW + 3 * HOUR, full: false }).findings.map((x) => x.code)).not.toContain('RECOVERY_KEY_NEVER_SHOWN');
    } finally {
      fresh.close();
    }
  });
});

// The desk's automatic daily backup and its rotation (docs/backup.md): once per store day, then
// 7 daily and 4 weekly kept, manual backups and other terminals' files never touched. Real files:
// the daily backups are made by the runtime's scheduler on a seeded database, day after day.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { businessDate } from '../../src/loyalty/time';
import { startDailyBackups } from '../../src/runtime/dailyBackup';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { backupFileName, backupFolderFor, makeBackup } from '../../src/store/backup';
import { KEEP_DAILY, KEEP_WEEKLY, listDailyBackups, planRotation } from '../../src/store/backupRotation';
import { keyFileFor } from '../../src/store/dbKey';
import { keyOfConnection, openRaw, openStore } from '../../src/store/open';
import { restoreBackup } from '../../src/store/restore';
import { NOW, tempDir } from '../helpers/demoDb';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const tmp = tempDir('ld-rotation-');
/** Monday of the ISO week of a YYYY-MM-DD day. */
const weekOf = (day: string): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};
afterAll(() => tmp.cleanup());

describe('rotation', () => {
  it('keeps the newest of each of the last 7 days and of the last 4 weeks, over generated histories', () => {
    const rand = mulberry32(2026);
    for (let round = 0; round < 200; round++) {
      const files: { name: string; at: number }[] = [];
      let at = NOW - Math.floor(rand() * 90) * DAY;
      const count = Math.floor(rand() * 60);
      for (let i = 0; i < count; i++) {
        at += Math.floor(rand() * 3 * DAY);
        files.push({ name: backupFileName('daily', at, 'SH001-T1'), at });
      }
      const { keep, remove } = planRotation(files, TZ);
      expect(new Set([...keep, ...remove]).size).toBe(new Set(files.map((f) => f.name)).size);
      expect(keep.length).toBeLessThanOrEqual(KEEP_DAILY + KEEP_WEEKLY);
      const dayOf = (f: { at: number }) => businessDate(f.at, TZ);
      const days = [...new Set(files.map(dayOf))].sort().reverse();
      // Each of the 7 most recent backup days has its newest backup kept; no older day has one kept as a daily.
      for (const day of days.slice(0, KEEP_DAILY)) {
        const newest = files.filter((f) => dayOf(f) === day).sort((a, b) => b.at - a.at)[0]!;
        expect(keep).toContain(newest.name);
      }
      // Each of the 4 most recent backup weeks has its newest backup kept; nothing else is kept.
      const weeks = [...new Set(files.map((f) => weekOf(dayOf(f))))].sort().reverse();
      const expected = new Set<string>();
      for (const day of days.slice(0, KEEP_DAILY)) expected.add(files.filter((f) => dayOf(f) === day).sort((a, b) => b.at - a.at)[0]!.name);
      for (const week of weeks.slice(0, KEEP_WEEKLY)) expected.add(files.filter((f) => weekOf(dayOf(f)) === week).sort((a, b) => b.at - a.at)[0]!.name);
      expect(new Set(keep)).toEqual(expected);
    }
  });

  it('the desk makes one backup a store day in the background and rotates, day after day; manual and foreign files stay', async () => {
    const dbPath = join(tmp.dir, 'desk', 'desk.db');
    seedNewDatabase({ dbPath, members: 100, seed: 'rotation', now: NOW });
    const { db } = openStore(dbPath, { create: false });
    const folder = backupFolderFor(dbPath);
    const manual = makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW - 100 * DAY }).path;
    const foreign = join(folder, backupFileName('daily', NOW - 50 * DAY, 'SH001-T2'));
    writeFileSync(foreign, 'another terminal');
    const clock = { now: NOW };
    const backups = startDailyBackups(db, { clock: () => clock.now, firstCheckMs: 3_600_000, checkEveryMs: 3_600_000 });
    try {
      const days = 40;
      for (let d = 0; d < days; d++) {
        clock.now = NOW + d * DAY;
        const made = await backups.check();
        expect(made?.header.kind, `day ${d}`).toBe('daily');
        // Later the same day: nothing more.
        clock.now += 3 * 3_600_000;
        expect(await backups.check()).toBeNull();
      }
      const kept = listDailyBackups(folder, 'SH001-T1');
      expect(kept.length).toBeLessThanOrEqual(KEEP_DAILY + KEEP_WEEKLY);
      const keptDays = kept.map((f) => businessDate(f.at, TZ));
      for (let d = days - KEEP_DAILY; d < days; d++) expect(keptDays).toContain(businessDate(NOW + d * DAY, TZ));
      const recentWeeks = new Set(keptDays.slice(-KEEP_DAILY).map(weekOf));
      expect(kept.length).toBe(KEEP_DAILY + KEEP_WEEKLY - recentWeeks.size);
      expect(new Set(keptDays.map(weekOf)).size).toBe(KEEP_WEEKLY);
      expect(existsSync(manual)).toBe(true);
      expect(existsSync(foreign)).toBe(true);
      expect(readdirSync(folder).filter((f) => !f.endsWith('.ldbackup'))).toEqual([]);
      // A daily backup restores like any other.
      const target = join(tmp.dir, 'from-daily', 'desk.db');
      restoreBackup({ from: join(folder, kept.at(-1)!.name), target, keyFile: keyFileFor(dbPath), replace: false, now: clock.now });
      const copy = openRaw(target, { readonly: true });
      expect(copy.prepare('SELECT count(*) AS n FROM members').get()).toEqual({ n: 100 });
      copy.close();
    } finally {
      await backups.stop();
      db.close();
    }
  });
});

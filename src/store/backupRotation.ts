// Rotation of the desk's daily backups (docs/backup.md): the newest backup of each of the last 7
// days that have one, and the newest of each of the last 4 weeks that have one (a week's newest
// is often a day already kept), in the store's time zone. Manual backups and files that are not
// this terminal's daily backups are never touched.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { businessDate } from '../loyalty/time';
import { BACKUP_EXTENSION } from './backup';

export const KEEP_DAILY = 7;
export const KEEP_WEEKLY = 4;

export interface DailyBackupFile {
  name: string;
  at: number;
}

const NAME = /^daily-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)\.ldbackup$/;

/** This terminal's daily backups in `folder`, oldest first, read from their names. */
export function listDailyBackups(folder: string, terminalId: string): DailyBackupFile[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const safe = terminalId.replace(/[^A-Za-z0-9_.-]/g, '_');
  return names
    .flatMap((name) => {
      const m = NAME.exec(name);
      if (!m || m[7] !== safe || !name.endsWith(BACKUP_EXTENSION)) return [];
      const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
      return Number.isFinite(at) ? [{ name, at }] : [];
    })
    .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
}

/** Monday of the ISO week a store day falls in: weeks are keyed by it. */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Which files to keep and which to remove. Pure: the store's zone decides what "a day" is. */
export function planRotation(files: DailyBackupFile[], tz: string): { keep: string[]; remove: string[] } {
  const newestFirst = [...files].sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
  const keep = new Set<string>();
  const days = new Set<string>();
  const weeks = new Set<string>();
  for (const f of newestFirst) {
    const day = businessDate(f.at, tz);
    const week = weekOf(day);
    if (!days.has(day) && days.size < KEEP_DAILY) keep.add(f.name);
    if (!weeks.has(week) && weeks.size < KEEP_WEEKLY) keep.add(f.name);
    days.add(day);
    weeks.add(week);
  }
  return { keep: newestFirst.filter((f) => keep.has(f.name)).map((f) => f.name), remove: newestFirst.filter((f) => !keep.has(f.name)).map((f) => f.name) };
}

export function rotateDailyBackups(folder: string, terminalId: string, tz: string): { kept: number; removed: string[] } {
  const { keep, remove } = planRotation(listDailyBackups(folder, terminalId), tz);
  for (const name of remove) rmSync(join(folder, name), { force: true });
  return { kept: keep.length, removed: remove };
}

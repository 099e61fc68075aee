// Rotation of the desk's daily backups (docs/backup.md): the newest backup of each of the last 7
// days that have one, and the newest of each of the last 4 weeks that have one (a week's newest
// is often a day already kept), in the store's time zone; and the newest 5 manual backups (立即备份,
// `loyalty-desk backup` without --out). Files that are not this terminal's backups, and files
// written elsewhere with --out, are never touched. Called with the backup lock held (backupLock.ts).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { businessDate } from '../loyalty/time';

export const KEEP_DAILY = 7;
export const KEEP_WEEKLY = 4;
/** Manual backups pile up otherwise: a person pressing 立即备份 each evening keeps the last few. */
export const KEEP_MANUAL = 5;

export interface DailyBackupFile {
  name: string;
  at: number;
}

const NAME = /^(daily|manual)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)\.ldbackup$/;

function listOfKind(folder: string, kind: 'daily' | 'manual', terminalId: string): DailyBackupFile[] {
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
      if (!m || m[1] !== kind || m[8] !== safe) return [];
      const at = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
      return Number.isFinite(at) ? [{ name, at }] : [];
    })
    .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
}

/** This terminal's daily backups in `folder`, oldest first, read from their names. */
export function listDailyBackups(folder: string, terminalId: string): DailyBackupFile[] {
  return listOfKind(folder, 'daily', terminalId);
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

/** Keeps this terminal's newest KEEP_MANUAL manual backups in the backup folder, removes the older ones. */
export function rotateManualBackups(folder: string, terminalId: string): { kept: number; removed: string[] } {
  const files = listOfKind(folder, 'manual', terminalId);
  const remove = files.slice(0, Math.max(0, files.length - KEEP_MANUAL)).map((f) => f.name);
  for (const name of remove) rmSync(join(folder, name), { force: true });
  return { kept: files.length - remove.length, removed: remove };
}

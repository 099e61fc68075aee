// What keeps failing in the background, kept in the database so doctor (the manager's check-up and
// `loyalty-desk doctor`, which runs in another process) can say "since when": the sync loop's last
// error (sync_state.last_error: its code and closed parameters, never HQ's address or words) and the
// daily backup's (meta.backup_failure). A streak starts at its
// first failure and ends at the next success. The backup's streak keeps only its code, the cause
// from the closed list (src/contract/backupFailure.ts) and times: never a path (it can hold a user's
// name) nor the error's English message. Each row is checked by zod as it is read back: a damaged or
// hostile one is as if there were none, so doctor still answers.
import { z } from 'zod';
import { backupFailureCauseSchema, type BackupFailureCause } from '../contract/backupFailure';
import { backupFailureCause } from './backupFailureCause';
import { DeskError, type ErrorCode } from '../contract/errors';
import { isIoReason } from '../contract/ioReason';
import { getMeta, setMeta } from './meta';
import type { Db } from './open';
import { getSyncState, setSyncState } from './syncState';
import { stmt } from './statements';

const failureSchema = z.object({
  code: z.string().max(64),
  // Scalars only, bounded: the words of the error are made again in the reader's language.
  params: z.record(z.string().max(40), z.union([z.string().max(300), z.number()])),
  since: z.int(),
  lastAt: z.int(),
  failures: z.int().positive(),
});
export interface FailureStreak {
  code: ErrorCode;
  params: Record<string, string | number>;
  /** The first failure of this streak (epoch ms). */
  since: number;
  lastAt: number;
  failures: number;
}

function parse(text: string | null): FailureStreak | null {
  if (text === null) return null;
  try {
    const parsed = failureSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as FailureStreak) : null;
  } catch {
    return null;
  }
}

/**
 * What a sync failure's streak keeps besides its code: the reason from the closed list, HQ's
 * refusal code and status, the seconds waited. Never the HQ address nor HQ's or Node's English (the
 * log line of the failed sync keeps those for IT, src/syncClient/syncLog.ts).
 */
function closedParams(err: unknown): Record<string, string | number> {
  const params: Record<string, string | number> = {};
  if (!(err instanceof DeskError)) return params;
  const p = err.params;
  if (isIoReason(p.why)) params.why = p.why;
  if (typeof p.hqCode === 'string' && /^[A-Z][A-Z_]{1,39}$/.test(p.hqCode)) params.hqCode = p.hqCode;
  for (const k of ['status', 'seconds'] as const) {
    const v = p[k];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 100_000) params[k] = v;
  }
  return params;
}

function streakAfter(before: FailureStreak | null, err: unknown, at: number, fallback: ErrorCode): FailureStreak {
  const code: ErrorCode = err instanceof DeskError ? err.code : fallback;
  return { code, params: closedParams(err), since: before?.since ?? at, lastAt: at, failures: (before?.failures ?? 0) + 1 };
}

export function readSyncFailure(db: Db): FailureStreak | null {
  return parse(getSyncState(db, 'last_error'));
}

export function recordSyncFailure(db: Db, err: unknown, at: number): FailureStreak {
  const next = streakAfter(readSyncFailure(db), err, at, 'INTERNAL');
  setSyncState(db, 'last_error', JSON.stringify(next));
  return next;
}

export function clearSyncFailure(db: Db): void {
  stmt(db, "DELETE FROM sync_state WHERE key = 'last_error'").run();
}

const backupFailureSchema = z
  .object({
    code: z.literal('BACKUP_FAILED'),
    cause: backupFailureCauseSchema,
    since: z.int().nonnegative(),
    lastAt: z.int().nonnegative(),
    failures: z.int().positive(),
  })
  .strict();
export type BackupFailureStreak = z.infer<typeof backupFailureSchema>;

export function readBackupFailure(db: Db): BackupFailureStreak | null {
  const text = getMeta(db, 'backup_failure');
  if (text === null) return null;
  try {
    const parsed = backupFailureSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** `start`: where a streak that begins now really began (the daily backup's first of several BUSY answers). */
export function recordBackupFailure(db: Db, err: unknown, at: number, start?: { since: number; failures: number }): BackupFailureStreak {
  const before = readBackupFailure(db);
  const cause: BackupFailureCause = backupFailureCause(err);
  const next: BackupFailureStreak = before
    ? { code: 'BACKUP_FAILED', cause, since: before.since, lastAt: at, failures: before.failures + 1 }
    : { code: 'BACKUP_FAILED', cause, since: start?.since ?? at, lastAt: at, failures: start?.failures ?? 1 };
  setMeta(db, 'backup_failure', JSON.stringify(next));
  return next;
}

export function clearBackupFailure(db: Db): void {
  stmt(db, "DELETE FROM meta WHERE key = 'backup_failure'").run();
}

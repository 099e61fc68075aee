// What a log line may say, as a table: each field a log call may carry and the shape its value
// must have. Redaction is structural: a field not in the table is dropped, and a value that does
// not fit its field's shape is replaced by "[redacted]", so a phone, a name, a PIN, a member code,
// a credential or a token cannot reach a log file by being passed where an id was expected. Free
// text (error messages, inputs, addresses) has no field at all.
import { z } from 'zod';
import { IO_REASONS } from '../contract/ioReason';

const count = z.number().int().min(0).max(1e12);

/**
 * SQLite's own words on a damaged file (integrity_check rows, its error text) for IT: they name
 * pages, tables and indexes, never a row's values. Still held to a shape: printable ASCII, bounded,
 * with words in it, and no long run of digits or letters (a phone, a card number, a token).
 */
const sqliteText = z
  .string()
  .max(240)
  .regex(/^[\x20-\x7e]*$/)
  .regex(/[A-Za-z]{4}/)
  .refine((s) => !/\d{10}|[A-Za-z0-9+/=-]{24}|@/.test(s));

const code = z.string().regex(/^[A-Z][A-Z0-9_]{1,47}$/);

export const LOG_FIELDS = {
  /** A contract method ("benefit.redeem"): names from the code, never from input. */
  method: z.string().regex(/^[a-z][A-Za-z]{1,30}(\.[a-z][A-Za-z]{1,30}){1,2}$/),
  session: z.enum(['desk', 'kiosk', 'operator']),
  ok: z.boolean(),
  /** An error or refusal code (src/contract/errors.ts). */
  code,
  ms: count,
  /** Operation ids are UUIDv7s the terminal made; a print job id is a row number. */
  opId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  printJobId: count,
  attempts: count,
  printer: z.enum(['tcp', 'serial', 'device', 'none']),
  state: z.string().regex(/^[a-z][a-z-]{1,30}$/),
  pushed: count,
  pulled: count,
  pages: count,
  refused: count,
  conflicts: count,
  pending: count,
  setAside: count,
  /** The short reference an unexpected error showed the user ("ref 1A2B3C"). */
  ref: z.string().regex(/^[0-9A-F]{6}$/),
  errorName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,47}$/),
  /** Stack frames as "function@file.ts:line": no message, no folder (a home folder names its user). */
  frames: z.array(z.string().regex(/^[\w$.<>[\] ]{0,80}@[\w.-]{1,80}:\d{1,6}$/)).max(12),
  host: z.enum(['web', 'electron', 'kiosk', 'cli']),
  command: z.string().regex(/^[a-z][a-z-]{1,30}$/),
  exitCode: z.number().int().min(0).max(255),
  version: z.string().regex(/^\d{1,4}\.\d{1,4}\.\d{1,4}([-+][0-9A-Za-z.-]{1,30})?$/),
  schemaVersion: count,
  lang: z.enum(['zh-CN', 'zh-TW', 'en']),
  /** What SQLite said of a damaged database or backup (DB_CORRUPT, BACKUP_DAMAGED): for IT, never shown. */
  sqlite: sqliteText,
  /** Why a connection failed, from the closed list (src/contract/ioReason.ts). */
  why: z.enum(IO_REASONS),
  /** HQ's HTTP status and refusal code on a failed sync, for IT (the person reads words: hqRefusal.*). */
  status: z.number().int().min(100).max(599),
  hqCode: code,
  /** HQ's origin on a failed sync (scheme, host, port: no user, no path, no query), for IT. */
  hqUrl: z.string().max(200).regex(/^https?:\/\/[A-Za-z0-9.:[\]-]{1,190}$/),
  /** HQ's or the network's own words on a failed sync, for IT only: held to the `sqlite` field's shape. */
  hqDetail: sqliteText,
} as const;

export type LogField = keyof typeof LOG_FIELDS;
export type LogFields = { [K in LogField]?: z.input<(typeof LOG_FIELDS)[K]> };

export const REDACTED = '[redacted]';

/** The fields as the table allows them: unknown keys dropped, misfit values replaced. */
export function cleanFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || !Object.hasOwn(LOG_FIELDS, key)) continue;
    const parsed = LOG_FIELDS[key as LogField].safeParse(value);
    out[key] = parsed.success ? parsed.data : REDACTED;
  }
  return out;
}

/** An unexpected error as the log may keep it: its class name and where it was thrown, not its text. */
export function errorFields(err: unknown): Pick<LogFields, 'errorName' | 'frames' | 'code'> {
  if (!(err instanceof Error)) return { errorName: typeof err };
  const frames = (err.stack ?? '')
    .split('\n')
    .slice(1, 13)
    .map((line) => /^\s*at (?:(.*?) \()?(?:.*[/\\])?([^/\\:()]+):(\d+):\d+\)?$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${(m[1] ?? '').slice(0, 80)}@${m[2]}:${m[3]}`);
  const withCode = (err as { code?: unknown }).code;
  return { errorName: err.name, frames, ...(typeof withCode === 'string' ? { code: withCode } : {}) };
}

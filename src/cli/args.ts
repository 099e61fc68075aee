// CLI arguments: parsed by node:util, then checked by zod like every other input.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { MAX_AMOUNT_FEN } from '../contract/inputs';
import { describeZodError } from '../i18n/zodLocale';
import { DB_FILE } from '../terminal/operations/config';

export type Flags = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses argv against the command's known flags; an unknown or malformed flag is INVALID_INPUT.
 * `repeated` flags may be given more than once (`--line a:1 --line b:2`) and come as a list.
 */
export function parseFlags(
  argv: string[],
  strings: readonly string[],
  booleans: readonly string[] = [],
  repeated: readonly string[] = [],
): { flags: Flags; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const name of strings) options[name] = { type: 'string' };
  for (const name of booleans) options[name] = { type: 'boolean' };
  for (const name of repeated) options[name] = { type: 'string', multiple: true };
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { flags: values as Flags, positionals };
  } catch (err) {
    throw new DeskError('INVALID_INPUT', { detail: err instanceof Error ? err.message : String(err) });
  }
}

export function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new DeskError('INVALID_INPUT', { detail: describeZodError(parsed.error) });
  return parsed.data;
}

/** A whole number typed on a command line: digits only, so "-5", "1e3" and "12.5" are refused. */
export const intArg = (name: string, max: number) =>
  z
    .string({ error: `--${name} is required` })
    .regex(/^\d{1,16}$/, `--${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().max(max, `--${name} is at most ${max}`));

export const fenArg = (name: string) => intArg(name, MAX_AMOUNT_FEN);

/** --db FILE, or --data DIR meaning DIR/desk.db. */
export function dbPathFrom(flags: Flags): string {
  const db = typeof flags.db === 'string' ? flags.db : undefined;
  const data = typeof flags.data === 'string' ? flags.data : undefined;
  if (db && data) throw new DeskError('INVALID_INPUT', { detail: 'give --db or --data, not both' });
  if (db) return db;
  if (data) return join(data, DB_FILE);
  throw new DeskError('INVALID_INPUT', { detail: '--db FILE or --data DIR is required' });
}

/** --now in epoch seconds, for reproducible runs; the system clock otherwise. */
export function clockFrom(flags: Flags): (() => number) | undefined {
  if (flags.now === undefined) return undefined;
  const seconds = check(intArg('now', 10_000_000_000), flags.now);
  return () => seconds * 1000;
}

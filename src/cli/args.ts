// CLI arguments: parsed by node:util, then checked by zod like every other input.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { ioReason } from '../contract/ioReason';
import { MAX_AMOUNT_FEN } from '../contract/inputs';
import { inputIssue } from '../i18n/inputIssues';
import { DB_FILE } from '../terminal/operations/config';

export type Flags = Record<string, string | boolean | string[] | undefined>;

/** What the command line calls each flag's value, for the sentence that refuses it (src/i18n/inputIssues.ts). */
const FLAG_FIELDS: Record<string, string> = {
  member: 'memberId', id: 'memberId', card: 'cardNo', phone: 'phone', benefit: 'benefitId', item: 'itemId', amount: 'amountFen',
  points: 'points', lines: 'lines', category: 'category', op: 'opId', staff: 'staffId', manager: 'staffId', limit: 'limit', port: 'port',
};

const NUMBER_FLAGS = new Set(['amount', 'points', 'limit', 'port', 'members', 'now', 'timeout', 'serial']);

/** The option a parser message names ('--amount'), or the text as given. */
const optionIn = (message: string): string => /'(-{1,2}[^' <]+)/.exec(message)?.[1] ?? '';

/**
 * Parses argv against the command's known flags; an unknown or malformed flag is INVALID_INPUT,
 * worded at the edge. `repeated` flags may be given more than once (`--line a:1 --line b:2`) and
 * come as a list.
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
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    const flag = optionIn(message);
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new DeskError('INVALID_INPUT', { detailKey: 'flag.unknown', flag });
    if (message.includes('does not take an argument')) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.noValue', flag });
    // "--amount -5": node reads -5 as an option; the person meant a negative number.
    const next = argv[argv.indexOf(flag) + 1];
    if (NUMBER_FLAGS.has(flag.slice(2)) && next !== undefined && /^-\d/.test(next)) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.negative', flag });
    throw new DeskError('INVALID_INPUT', { detailKey: 'flag.needsValue', flag });
  }
}

/**
 * A flag's value (or a value built from flags) checked by its schema. A refusal names the flag as
 * typed and says what it needs, in the command's language: the words are made at the edge from
 * `detailKey` and its params.
 */
export function check<T>(schema: z.ZodType<T>, value: unknown, flag?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const named = flag === undefined ? undefined : FLAG_FIELDS[flag];
  const params = first ? inputIssue(first, value, named) : { detailKey: 'invalid', field: named ?? '_' };
  if (flag === undefined) throw new DeskError('INVALID_INPUT', params);
  // One --amount makes one purchase line: "line 1" would only puzzle.
  if (flag !== 'lines') delete params.line;
  const asFlag = { required: 'flag.required', whole: 'flag.whole', notNegative: 'flag.negative', max: 'flag.max' }[params.detailKey];
  throw new DeskError('INVALID_INPUT', { ...params, detailKey: asFlag ?? params.detailKey, flag: `--${flag}` });
}

/** Several flags checked by one object schema (keyed by flag name): a refusal names the flag at fault. */
export function checkFlags<T>(schema: z.ZodType<T>, values: Record<string, unknown>): T {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const at = parsed.error.issues[0]?.path[0];
  const flag = typeof at === 'string' ? at : undefined;
  return check(schema, values, flag);
}

/** A whole number typed on a command line: digits only, so "1e3" and "12.5" are refused, and "-5" is "cannot be negative". */
export const intArg = (max: number) =>
  z
    .string()
    .refine((s) => /^-?\d{1,16}$/.test(s), { params: { detailKey: 'whole' }, abort: true })
    .transform(Number)
    .pipe(z.number().nonnegative().max(max));

export const fenArg = () => intArg(MAX_AMOUNT_FEN);

/** --db FILE, or --data DIR meaning DIR/desk.db. */
export function dbPathFrom(flags: Flags): string {
  const db = typeof flags.db === 'string' ? flags.db : undefined;
  const data = typeof flags.data === 'string' ? flags.data : undefined;
  if (db && data) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.oneOf', flag: '--db', other: '--data' });
  if (db) return db;
  if (data) return join(data, DB_FILE);
  throw new DeskError('INVALID_INPUT', { detailKey: 'flag.either', flag: '--db FILE', other: '--data DIR' });
}

/** --now in epoch seconds, for reproducible runs; the system clock otherwise. */
export function clockFrom(flags: Flags): (() => number) | undefined {
  if (flags.now === undefined) return undefined;
  const seconds = check(intArg(10_000_000_000), flags.now, 'now');
  return () => seconds * 1000;
}

/** The text of the file a flag names; one that cannot be read is refused in words (why, from ioReason), the system's English kept in `detail`. */
export function readFlagFile(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DeskError('INVALID_INPUT', { detailKey: 'flag.fileUnreadable', flag, file, why: ioReason(err), detail: err instanceof Error ? err.message : String(err) });
  }
}

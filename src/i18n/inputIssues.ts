// A refused input told as a person would say it: zod's issue (path, kind, limit) becomes a message key
// under `input.*` and its parameters — the field named in words, limits written as money or counts —
// so a clerk never reads a schema path ("lines.0.amountFen") or zod's own wording, and a Chinese
// sentence carries no English. The parameters travel in the error (`detailKey` + params), so the
// command line, which parses its flags before it knows a session, words them at the edge too.
import type { ZodError } from 'zod';
import type { RefusalParams } from '../loyalty/refusal';
import { formatYuan } from './format';

type Issue = ZodError['issues'][number];

/** Fields the catalog names in words (`input.field.*`); any other key is "this entry". */
export const INPUT_FIELDS = [
  'memberId', 'cardNo', 'phone', 'code', 'benefitId', 'amountFen', 'lines', 'category', 'managerPin', 'pin', 'itemId',
  'points', 'opId', 'lang', 'limit', 'date', 'chart', 'onlyOpen', 'id', 'note', 'name', 'staffId', 'printer', 'scanner',
  'wedge', 'enabled', 'maxInterKeyMs', 'minLength', 'serial', 'port', 'baud', 'camera', 'deviceId',
] as const;
type Field = (typeof INPUT_FIELDS)[number];
const isField = (key: string): key is Field => (INPUT_FIELDS as readonly string[]).includes(key);

/** Fields whose wrong shape has its own hint (`input.format.*`), e.g. "a PIN is 4 to 8 digits". */
const FORMAT_HINTS: readonly Field[] = ['memberId', 'cardNo', 'pin', 'managerPin', 'opId', 'category', 'benefitId', 'itemId', 'staffId'];

/** A number grouped by thousands, as a limit is shown (settings files use it too: configIssues.ts). */
export const grouped = (n: number | bigint): string => Number(n).toLocaleString('en-US');

/** A limit as the person reads it: fen as yuan, anything else grouped by thousands. */
function limitText(field: string, n: number | bigint): string {
  return field.endsWith('Fen') ? formatYuan(Number(n)) : grouped(n);
}

/** The value at `path` in the parsed input, or undefined where the path leaves it. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = input;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<PropertyKey, unknown>)[key];
  }
  return here;
}

/**
 * The message key (under `input.`) and parameters for one issue: `field` is the last named key of
 * the path (or `fieldHint` when the path names none: a command-line flag's value), `line` the
 * 1-based row when the field sits in a list (purchase lines).
 */
export function inputIssue(issue: Issue, input: unknown, fieldHint?: string): RefusalParams & { detailKey: string } {
  const named = [...issue.path].reverse().find((k): k is string => typeof k === 'string') ?? fieldHint ?? '';
  // A row is named by its number only where there are several: one purchase line is "the amount".
  const rowAt = issue.path.findIndex((k) => typeof k === 'number');
  const list = rowAt < 0 ? undefined : valueAt(input, issue.path.slice(0, rowAt));
  const row = rowAt >= 0 && Array.isArray(list) && list.length > 1 ? (issue.path[rowAt] as number) : undefined;
  const field = isField(named) ? named : '_';
  const base: RefusalParams = { field, ...(row !== undefined ? { line: row + 1 } : {}) };
  const at = (detailKey: string, extra: RefusalParams = {}) => ({ detailKey, ...base, ...extra });
  switch (issue.code) {
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return at('required');
      return at(issue.expected === 'int' ? 'whole' : 'type');
    case 'too_big': {
      if (issue.origin === 'string') return at('tooLong', { limit: grouped(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return at('tooMany', { limit: grouped(issue.maximum) });
      return at('max', { limit: limitText(named, issue.maximum) });
    }
    case 'too_small': {
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? at('empty') : at('tooShort', { limit: grouped(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return Number(issue.minimum) <= 1 ? at('emptyList') : at('tooFew', { limit: grouped(issue.minimum) });
      if (Number(issue.minimum) === 0) return at(issue.inclusive === false ? 'positive' : 'notNegative');
      return at('min', { limit: limitText(named, issue.minimum) });
    }
    case 'invalid_format':
      return FORMAT_HINTS.includes(field as Field) ? at(`format.${field}`) : at('format._');
    case 'not_multiple_of':
      return at('whole');
    case 'unrecognized_keys':
      return { detailKey: 'unknownKeys' };
    case 'invalid_union':
      // The one union at a boundary is how a member is named (memberRefSchema).
      return { detailKey: 'memberRef' };
    case 'invalid_value':
      return at('choice');
    case 'custom': {
      // A refinement that names its own sentence (the command line's whole numbers).
      const key = issue.params?.detailKey;
      return typeof key === 'string' ? at(key) : at('invalid');
    }
    default:
      return at('invalid');
  }
}

/** The first issue of a refused input (one sentence a person can act on), as INVALID_INPUT's params. */
export function inputErrorParams(err: ZodError, input: unknown): RefusalParams & { detailKey: string } {
  const first = err.issues[0];
  return first ? inputIssue(first, input) : { detailKey: 'invalid', field: '_' };
}

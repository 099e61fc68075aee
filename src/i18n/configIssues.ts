// A settings file (config.json, kiosk.json) that does not parse, told as data the edge words in the
// reader's language: where the JSON breaks (line and column, counted here, never the parser's English),
// or which setting is wrong and how (from zod's issue code, like inputIssues.ts does for people's input).
// The IT person edits the file by hand, so a setting is named in words and by its key as written.
import type { ZodError } from 'zod';
import type { RefusalParams } from '../loyalty/refusal';
import { grouped, valueAt } from './inputIssues';

type Issue = ZodError['issues'][number];

/** What the file's kind adds in front of a key path so the two files' keys do not collide. */
export type ConfigFileKind = 'desk' | 'kiosk';

// A key as the IT person wrote it is quoted back only while it is short and printable: a file of
// garbage does not turn into a message of garbage.
const KEY_SHOWN = /^[A-Za-z0-9_.$-]{1,60}$/;

const JSON_KINDS = new Set(['number', 'string', 'boolean', 'object', 'array']);

function keyPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** The setting as the catalog knows it ('' for the whole file) and the key path as written. */
function settingOf(path: readonly PropertyKey[], kind: ConfigFileKind): { setting: string; key: string } {
  const named = path.filter((k): k is string => typeof k === 'string').join('.');
  const key = keyPath(path);
  return { setting: kind === 'kiosk' && named !== '' ? `kiosk.${named}` : named, key: KEY_SHOWN.test(key) ? key : '' };
}

/** CONFIG_INVALID's parameters for the first issue of a settings file that is JSON but not settings. */
export function configIssueParams(err: ZodError, input: unknown, kind: ConfigFileKind): RefusalParams & { problem: string } {
  const issue: Issue | undefined = err.issues[0];
  if (!issue) return { problem: 'invalid', setting: '', key: '' };
  const where = settingOf(issue.path, kind);
  const at = (problem: string, extra: RefusalParams = {}) => ({ problem, ...where, ...extra });
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(input, issue.path) === undefined) return at('required');
      if (issue.expected === 'int') return at('whole');
      return JSON_KINDS.has(issue.expected) ? at(`type.${issue.expected}`) : at('invalid');
    }
    case 'too_big':
      if (issue.origin === 'string') return at('tooLong', { limit: grouped(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return at('tooMany', { limit: grouped(issue.maximum) });
      return at('max', { limit: grouped(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string') return at('empty');
      if (issue.origin === 'array' || issue.origin === 'set') return at('emptyList');
      if (Number(issue.minimum) === 0) return at(issue.inclusive === false ? 'positive' : 'notNegative');
      return at('min', { limit: grouped(issue.minimum) });
    case 'not_multiple_of':
      return at('whole');
    case 'invalid_value':
      return at('choice');
    case 'unrecognized_keys': {
      // The unknown key is named by its whole path, so the IT person finds it in the file.
      const first = issue.keys[0] ?? '';
      const key = keyPath([...issue.path, first]);
      return { problem: 'unknownKey', setting: '', key: KEY_SHOWN.test(key) ? key : '' };
    }
    default:
      return at('invalid');
  }
}

/**
 * Where a text stops being JSON: the 1-based line and column of the first character a JSON reader
 * cannot take (the end of the text when it stops short). Counted by a small scanner of JSON's grammar
 * because the engine's message is English and, in some versions, has no position at all (jsonc-parser
 * was weighed and places errors at a token's start instead: docs/cli.md).
 */
export function jsonErrorAt(text: string): { line: number; column: number } {
  const offset = firstBadOffset(text);
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else if (text[i] !== '\r') column++;
  }
  return { line, column };
}

class Stop {
  constructor(readonly at: number) {}
}

function firstBadOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const ch = text.charCodeAt(i);
      if (ch < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          }
          i++;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const digits = (): boolean => {
    const start = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > start;
  };
  // Step by step rather than one regex, so "30." or "-x" stops at the character after the dot or
  // the sign (where the number breaks), as the engine counts it, not at the dot or the sign.
  const number = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) fail();
    if (text[i] === '.') {
      i++;
      if (!digits()) fail();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) fail();
    }
  };
  // A settings file nests a few levels; deeper than this is no settings file (and no deep recursion).
  let depth = 0;
  // An object or an array: its entries, comma-separated, up to `close`.
  const container = (close: string, entry: () => void): void => {
    i++;
    depth++;
    space();
    if (text[i] === close) return void (i++, depth--);
    for (;;) {
      entry();
      space();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) return void (i++, depth--);
      fail();
    }
  };
  const member = (): void => {
    space();
    string();
    space();
    if (text[i] !== ':') fail();
    i++;
    value();
  };
  const value = (): void => {
    space();
    if (depth > 64) fail();
    const ch = text[i];
    if (ch === '{') return container('}', member);
    if (ch === '[') return container(']', value);
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    // The scanner and the engine disagree (cannot happen for JSON): point at the start.
    return 0;
  } catch (e) {
    if (e instanceof Stop) return e.at;
    throw e;
  }
}

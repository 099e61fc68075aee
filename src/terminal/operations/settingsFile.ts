// Reading a settings file the IT person edits by hand (config.json, kiosk.json): what is wrong in it
// travels as data (src/i18n/configIssues.ts) and is worded at the edge, never the JSON parser's or
// zod's English inside a Chinese sentence.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { configIssueParams, jsonErrorAt, type ConfigFileKind } from '../../i18n/configIssues';

export function readSettingsFile<S extends z.ZodType>(path: string, schema: S, kind: ConfigFileKind): z.infer<S> {
  // Notepad saves UTF-8 with a byte-order mark, which is no part of the JSON.
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new DeskError('CONFIG_INVALID', { path, problem: 'json', ...jsonErrorAt(text) }, err);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new DeskError('CONFIG_INVALID', { path, ...configIssueParams(parsed.error, raw, kind) }, parsed.error);
  return parsed.data as z.infer<S>;
}

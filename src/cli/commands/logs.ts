// `logs --data DIR | --db FILE [--since MINUTES] [--level warn] [--pretty]`: the data folder's log
// lines, oldest first. JSON lines on stdout as written (for tools and the brand's support), or with
// --pretty one sentence a line in the --lang language, for the person at the desk reading along.
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Translator } from '../../i18n';
import { formatInstant } from '../../i18n/format';
import { LOGS_DIR } from '../../log/files';
import { LOG_LEVELS, type LogLine } from '../../log/port';
import { readLogs } from '../../log/read';
import { check, dbPathFrom, intArg, type Flags } from '../args';
import type { CliIo } from '../command';

const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** One line as a person reads it: local time, level, what happened, and the request id to quote. */
export function prettyLine(tr: Translator, line: LogLine, tz = localZone()): string {
  const f = line as Record<string, unknown>;
  const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
  const params: Record<string, string> = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : text(v)]));
  if (typeof f.host === 'string') params.hostText = tr.t(`support.log.host.${f.host}`, { defaultValue: f.host });
  if (typeof f.session === 'string') params.sessionText = tr.t(`support.log.session.${f.session}`, { defaultValue: f.session });
  if (f.method === undefined) params.method = tr.t('support.log.unknownMethod');
  if (Array.isArray(f.frames)) params.where = text(f.frames[0]);
  const key = line.event === 'call' && f.ok === false ? 'support.log.event.callRefused' : `support.log.event.${line.event}`;
  const time = `${formatInstant(Date.parse(line.time), tz)}:${line.time.slice(17, 19)}`;
  const level = tr.t(`support.log.level.${line.level}`);
  return `${time}  ${level}  ${tr.t(key, params).replace(/\s+$/, '')}  [${line.requestId}]`;
}

export function logsCommand(flags: Flags, tr: Translator, io: CliIo): undefined {
  const dir = join(dirname(dbPathFrom(flags)), LOGS_DIR);
  const since = flags.since === undefined ? undefined : check(intArg(10_000_000), flags.since, 'since');
  const level = flags.level === undefined ? undefined : check(z.enum(LOG_LEVELS), flags.level, 'level');
  const read = readLogs(dir, { ...(since === undefined ? {} : { sinceMs: io.now() - since * 60_000 }), ...(level ? { minLevel: level } : {}) });
  if (flags.pretty === true) {
    for (const line of read.lines) io.out(prettyLine(tr, line));
    if (read.lines.length === 0) io.err(tr.t('support.log.none'));
    if (read.unreadable > 0) io.err(tr.t('support.log.unreadable', { count: read.unreadable }));
  } else {
    for (const line of read.lines) io.out(JSON.stringify(line));
  }
  return undefined;
}

// The core's logger port: what the dispatcher, the sync loop, the print loop and the hosts say about
// what happened, as named events with allow-listed fields (fields.ts). The core writes to this
// interface only; a host gives it the file sink (files.ts), tests and one-off tools the silent one.
import { randomBytes } from 'node:crypto';
import { cleanFields, type LogFields } from './fields';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const levelRank = (level: LogLevel): number => LOG_LEVELS.indexOf(level);

/** Every event a line may name; the `logs --pretty` reading has a sentence for each in every language. */
export const LOG_EVENTS = [
  'host.start',
  'host.stop',
  'call',
  'internal',
  'sync.done',
  'sync.failed',
  'print.printed',
  'print.failed',
  'cli.command',
] as const;
export type LogEvent = (typeof LOG_EVENTS)[number];

/** One line as written: the event, its level, when, which request, and the cleaned fields. */
export interface LogLine {
  time: string;
  level: LogLevel;
  event: LogEvent;
  requestId: string;
  pid: number;
  [field: string]: unknown;
}

export interface Logger {
  log(level: LogLevel, event: LogEvent, fields?: LogFields): void;
  /** A logger whose lines all carry this request id (one dispatched call, one sync, one print run). */
  withRequest(requestId?: string): Logger;
  readonly requestId: string;
}

/** A request id: short, random, and nothing but hex. */
export const newRequestId = (): string => randomBytes(6).toString('hex');

export interface LineSink {
  write(line: LogLine): void;
}

export function createLogger(sink: LineSink, options: { minLevel?: LogLevel; now?: () => number } = {}): Logger {
  const min = levelRank(options.minLevel ?? 'info');
  const now = options.now ?? Date.now;
  const make = (requestId: string): Logger => ({
    requestId,
    log(level, event, fields = {}) {
      if (levelRank(level) < min) return;
      // time, level, event and requestId are no fields of the table: nothing a caller passes replaces them
      sink.write({ time: new Date(now()).toISOString(), level, event, requestId, pid: process.pid, ...cleanFields(fields as Record<string, unknown>) });
    },
    withRequest: (id) => make(id ?? newRequestId()),
  });
  return make(newRequestId());
}

/** Says nothing (tests, commands without a data folder). */
export const SILENT: Logger = createLogger({ write: () => undefined });

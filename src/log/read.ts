// Reading the logs back (`loyalty-desk logs`, the support bundle): every log file of the folder,
// lines parsed and checked for the shape every line has, filtered by time and level, oldest first.
// A line that is not ours (a torn write after a power cut, a hand edit) is counted, not shown.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isLogFile } from './files';
import { LOG_EVENTS, LOG_LEVELS, levelRank, type LogLevel, type LogLine } from './port';

const lineSchema = z.looseObject({
  time: z.iso.datetime(),
  level: z.enum(LOG_LEVELS),
  event: z.enum(LOG_EVENTS),
  requestId: z.string().regex(/^[0-9a-f]{12}$/),
  pid: z.number().int(),
});

export interface ReadLogs {
  lines: LogLine[];
  /** Lines that did not parse as a log line. */
  unreadable: number;
  files: string[];
}

export function readLogs(logsDir: string, filter: { sinceMs?: number; minLevel?: LogLevel; limit?: number } = {}): ReadLogs {
  let names: string[];
  try {
    names = readdirSync(logsDir).filter(isLogFile);
  } catch {
    return { lines: [], unreadable: 0, files: [] };
  }
  const min = levelRank(filter.minLevel ?? 'debug');
  const lines: LogLine[] = [];
  let unreadable = 0;
  for (const name of names) {
    for (const text of readFileSync(join(logsDir, name), 'utf8').split('\n')) {
      if (text === '') continue;
      let parsed;
      try {
        parsed = lineSchema.safeParse(JSON.parse(text));
      } catch {
        parsed = null;
      }
      if (!parsed?.success) {
        unreadable++;
        continue;
      }
      const line = parsed.data as LogLine;
      if (levelRank(line.level) < min) continue;
      if (filter.sinceMs !== undefined && Date.parse(line.time) < filter.sinceMs) continue;
      lines.push(line);
    }
  }
  lines.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return { lines: filter.limit === undefined ? lines : lines.slice(-filter.limit), unreadable, files: names.sort() };
}

// The file sink: JSON lines in the data folder's logs/ (0700, files 0600), one line per write,
// appended synchronously so the line of a call is on disk before its answer leaves. The active
// file rotates when it would pass maxBytes or is older than maxFileAgeMs; rotated files older than
// keepMs, and any beyond maxFiles, are deleted, so the folder stays bounded in size and in time.
// Several processes may write one folder (the desk and a `loyalty-desk sync`): each appends whole
// lines (O_APPEND), and a writer that finds the file renamed under it by another reopens instead of
// rotating again.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, type LineSink, type LogLevel, type Logger, type LogLine } from './port';

export const LOGS_DIR = 'logs';
export const ACTIVE_LOG = 'desk.jsonl';
/** Rotated files: desk-<UTC stamp>-<pid>.jsonl, so they sort by age and two processes never collide. */
const ROTATED = /^desk-\d{8}T\d{6}\d{3}Z-\d+(-\d+)?\.jsonl$/;

export interface LogFileOptions {
  maxBytes?: number;
  maxFileAgeMs?: number;
  keepMs?: number;
  maxFiles?: number;
  minLevel?: LogLevel;
  now?: () => number;
}

export const LOG_DEFAULTS = { maxBytes: 5 * 1024 * 1024, maxFileAgeMs: 24 * 3_600_000, keepMs: 14 * 24 * 3_600_000, maxFiles: 20 } as const;

export const isLogFile = (name: string): boolean => name === ACTIVE_LOG || ROTATED.test(name);

export interface LogFiles extends Logger {
  readonly dir: string;
  close(): void;
}

/** The time of the first line of an open file (its age), or null for an empty or unreadable one. */
function firstLineTime(fd: number): number | null {
  const buf = Buffer.alloc(256);
  const n = readSync(fd, buf, 0, buf.length, 0);
  const match = /"time":"([^"]+)"/.exec(buf.subarray(0, n).toString('utf8'));
  const at = match ? Date.parse(match[1]!) : NaN;
  return Number.isFinite(at) ? at : null;
}

function stamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace('.', '');
}

/** When a rotated file was closed, from its name (the writer's clock, not the file system's). */
function rotatedAt(name: string): number {
  const m = /^desk-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(name);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) : -Infinity;
}

/** Rotated files past their age, then the oldest beyond the count. */
function pruneLogs(dir: string, o: { keepMs: number; maxFiles: number; now: number }): void {
  const rotated = readdirSync(dir)
    .filter((n) => ROTATED.test(n))
    .sort();
  let kept = rotated.length;
  for (const name of rotated) {
    if (o.now - rotatedAt(name) > o.keepMs || kept > o.maxFiles) {
      rmSync(join(dir, name), { force: true });
      kept--;
    }
  }
}

export function openLogFiles(dataDir: string, options: LogFileOptions = {}): LogFiles {
  const o = { ...LOG_DEFAULTS, ...options };
  const now = options.now ?? Date.now;
  const dir = join(dataDir, LOGS_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const activePath = join(dir, ACTIVE_LOG);
  let fd = -1;
  let startedAt = 0;

  const open = (): void => {
    fd = openSync(activePath, 'a+', 0o600);
    chmodSync(activePath, 0o600);
    startedAt = firstLineTime(fd) ?? now();
  };
  /** A name no rotated file has yet (two rotations in one millisecond get -1, -2…). */
  const rotatedName = (): string => {
    const base = `desk-${stamp(now())}-${process.pid}`;
    for (let n = 0; n < 1000; n++) {
      const path = join(dir, `${base}${n === 0 ? '' : `-${n}`}.jsonl`);
      if (!existsSync(path)) return path;
    }
    return join(dir, `${base}-${randomBytes(4).readUInt32BE()}.jsonl`);
  };
  const rotate = (): void => {
    const onDisk = statSync(activePath, { throwIfNoEntry: false });
    // Another process rotated it already: write to the new active file, rotate nothing.
    if (onDisk && onDisk.ino === fstatSync(fd).ino) renameSync(activePath, rotatedName());
    closeSync(fd);
    open();
    pruneLogs(dir, { keepMs: o.keepMs, maxFiles: o.maxFiles, now: now() });
  };
  open();
  pruneLogs(dir, { keepMs: o.keepMs, maxFiles: o.maxFiles, now: now() });

  const sink: LineSink = {
    write(line: LogLine) {
      if (fd < 0) return;
      const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
      const size = fstatSync(fd).size;
      if (size > 0 && (size + bytes.length > o.maxBytes || now() - startedAt > o.maxFileAgeMs)) rotate();
      else if (size === 0) startedAt = now();
      writeSync(fd, bytes);
    },
  };
  const logger = createLogger(sink, { ...(options.minLevel ? { minLevel: options.minLevel } : {}), now });
  return {
    dir,
    get requestId() {
      return logger.requestId;
    },
    log: logger.log,
    withRequest: logger.withRequest,
    close() {
      if (fd >= 0) closeSync(fd);
      fd = -1;
    },
  };
}

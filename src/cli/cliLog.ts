// The command line's log: a command that works on a data folder (the desk's operations, enroll,
// sync) writes its lines to that folder's logs/ like the desk does, and main adds one line saying
// which command ran and how it ended. Opened on first use, so `member` or `logs` on a folder with
// no logs/ creates none.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogFields } from '../log/fields';
import { openLogFiles, type LogFiles } from '../log/files';
import type { Logger } from '../log/port';

let open: LogFiles | null = null;
let failure: LogFields = {};

/** The log beside the command's database (`--db FILE` → FILE's folder/logs, `--data DIR` → DIR/logs). */
export function cliLog(dbPath: string): Logger {
  open ??= openLogFiles(dirname(dbPath));
  return open;
}

/**
 * A damaged database or backup: the sentence the person reads leaves SQLite's words out, so the
 * command's line keeps them for IT (the refusal's code and `sqlite`). Into an existing folder only:
 * a restore's target that is not there yet is not made by its log.
 */
export function noteCliFailure(dbPath: string, fields: Pick<LogFields, 'code' | 'sqlite'>): void {
  if (!existsSync(dirname(dbPath))) return;
  cliLog(dbPath);
  failure = fields;
}

/** After a command: its line if it logged anything, then the file closed. */
export function endCliLog(command: string, exitCode: number): void {
  const fields = failure;
  failure = {};
  if (!open) return;
  open.log(exitCode === 1 || fields.sqlite !== undefined ? 'error' : 'info', 'cli.command', { host: 'cli', command, exitCode, ...fields });
  open.close();
  open = null;
}

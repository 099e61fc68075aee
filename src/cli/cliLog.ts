// The command line's log: a command that works on a data folder (the desk's operations, enroll,
// sync) writes its lines to that folder's logs/ like the desk does, and main adds one line saying
// which command ran and how it ended. Opened on first use, so `member` or `logs` on a folder with
// no logs/ creates none.
import { dirname } from 'node:path';
import { openLogFiles, type LogFiles } from '../log/files';
import type { Logger } from '../log/port';

let open: LogFiles | null = null;

/** The log beside the command's database (`--db FILE` → FILE's folder/logs, `--data DIR` → DIR/logs). */
export function cliLog(dbPath: string): Logger {
  open ??= openLogFiles(dirname(dbPath));
  return open;
}

/** After a command: its line if it logged anything, then the file closed. */
export function endCliLog(command: string, exitCode: number): void {
  if (!open) return;
  open.log(exitCode === 1 ? 'error' : 'info', 'cli.command', { host: 'cli', command, exitCode });
  open.close();
  open = null;
}

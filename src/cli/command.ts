// What a `loyalty-desk` command is: a run function and the flags it takes.
import type { Translator } from '../i18n';
import type { Flags } from './args';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  now: () => number;
}

export type Run = (flags: Flags, ctx: { tr: Translator; io: CliIo; positionals: string[] }) => unknown | Promise<unknown>;

export interface Command {
  run: Run;
  /** Flags the command takes besides the common ones (--db, --data, --lang, --now); anything else is refused. */
  flags: readonly string[];
  booleans?: readonly string[];
  /** Long-running commands (servers) print their own output and return undefined. */
  longRunning?: boolean;
}

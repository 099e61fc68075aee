// What a `loyalty-desk` command is: a run function and the flags it takes.
import type { ErrorBody } from '../contract/errors';
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
  /** Flags that may be given more than once; their value is a list. */
  repeated?: readonly string[];
  /** Long-running commands (servers) print their own output and return undefined. */
  longRunning?: boolean;
}

/** A call the core refused (src/cli/operator.ts): main prints its code and sentence as they are (exit 2, or 1 for INTERNAL). */
export class RefusedCall extends Error {
  constructor(readonly error: ErrorBody) {
    super(error.code);
    this.name = 'RefusedCall';
  }
}

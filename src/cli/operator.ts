// The CLI's door into the core: the same dispatcher and role checks as a desk window. The person at
// the shell already holds the data folder, so no PIN is asked; --staff names who acts (a write needs
// it and is recorded under it) and --manager who approves, and the core checks both are active
// staff of this store with the role the call needs.
import { z } from 'zod';
import type { TerminalInput, TerminalMethod, TerminalOutputs } from '../contract/terminalApi';
import { isLang } from '../i18n';
import { openTerminal, type OpenedTerminal } from '../terminal/operations/openTerminal';
import { createDispatcher, type DeskPorts } from '../terminal/session/dispatcher';
import { check, clockFrom, dbPathFrom, type Flags } from './args';
import { RefusedCall } from './command';
import { cliLog } from './cliLog';

const STAFF_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
const staffFlag = (flags: Flags, name: 'staff' | 'manager'): string | undefined =>
  flags[name] === undefined ? undefined : check(z.string().regex(STAFF_ID), flags[name], name);

/** Who the flags name, checked for shape before any database is opened. */
function operatorFlags(flags: Flags): { staffId: string | undefined; managerId: string | undefined } {
  return { staffId: staffFlag(flags, 'staff'), managerId: staffFlag(flags, 'manager') };
}

/** An unexpected failure: the answer carries a reference, stderr the whole stack under it. */
function toStderr(err: unknown, ref?: string): void {
  process.stderr.write(`[${ref ?? '?'}] ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
}

/** An operator's session over an open terminal: call(method, input) answers the value or throws RefusedCall. */
export function operatorOf(flags: Flags, terminal: OpenedTerminal, ports: DeskPorts = {}) {
  const lang = typeof flags.lang === 'string' && isLang(flags.lang) ? flags.lang : undefined;
  const who = operatorFlags(flags);
  const dispatcher = createDispatcher(terminal.service, { desk: ports, onInternal: toStderr, log: cliLog(terminal.db.name), ...(lang ? { lang } : {}) });
  const session = dispatcher.openOperator(who);
  return async <M extends TerminalMethod>(method: M, input: TerminalInput<M>): Promise<TerminalOutputs[M]> => {
    const result = await dispatcher.dispatch(session, method, input);
    if (!result.ok) throw new RefusedCall(result.error);
    return result.value as TerminalOutputs[M];
  };
}

/** Opens the terminal of --db / --data for one command and closes it after, whatever happens. */
export async function withTerminal<T>(flags: Flags, fn: (t: OpenedTerminal) => Promise<T>): Promise<T> {
  operatorFlags(flags);
  const clock = clockFrom(flags);
  const terminal = openTerminal(dbPathFrom(flags), { quickCheck: 'after-crash', ...(clock ? { clock } : {}) });
  try {
    return await fn(terminal);
  } finally {
    await terminal.closeAsync();
  }
}

/** One call as the operator the flags name. */
export function callAs<M extends TerminalMethod>(flags: Flags, method: M, input: TerminalInput<M>): Promise<TerminalOutputs[M]> {
  return withTerminal(flags, (t) => operatorOf(flags, t)(method, input));
}

// The setup methods in a desk session (a terminal already enrolled, or the demo): the manager area's
// "Setup" entry reaches the same screen, so every method needs a manager (an approval counts, as for
// the manager's other methods). Enrollment is refused (ALREADY_ENROLLED): a terminal is enrolled
// once, into a new data folder. The printer goes through the manager's audited settings.
import { DeskError } from '../../contract/errors';
import type { PrinterCheck, SetupOutputs, setupApiInputs } from '../../contract/setupContract';
import type { ParsedInput, TerminalOutputs } from '../../contract/terminalApi';
import type { Translator } from '../../i18n';
import type { SetupPort } from './setupPort';

type SetupMethod = keyof typeof setupApiInputs;
type Reused = 'manager.settings.set' | 'manager.settings.testPrint' | 'manager.settings.printerStatus' | 'manager.recoveryKey' | 'manager.printRecoveryKey';
/** The manager's own handlers that setup reuses: the same checks, audit and printer turn. */
type ManagerSide = { [M in Reused]: (i: ParsedInput<M>) => TerminalOutputs[M] | Promise<TerminalOutputs[M]> };

export function setupDeskHandlers(
  manager: ManagerSide,
  ctx: { requireManager: () => void; identity: { storeId: string; terminalId: string }; tr: () => Translator; port: SetupPort | undefined },
): { [M in SetupMethod]: (input: ParsedInput<M>) => SetupOutputs[M] | Promise<SetupOutputs[M]> } {
  /** The host's setup port: a desk without one (the command line) has no setup screen. */
  const port = (): SetupPort => {
    ctx.requireManager();
    if (!ctx.port) throw new DeskError('SETUP_CLOSED', {});
    return ctx.port;
  };
  const printerCheck = async (): Promise<PrinterCheck> => {
    const s = await manager['manager.settings.printerStatus']({});
    return { uri: s.uri, state: s.state, error: s.error ? { code: s.error.code, message: ctx.tr().error(s.error.code as never, s.error.params), params: s.error.params } : null };
  };
  return {
    'setup.state': () => ({ session: 'desk' as const, ...port().state(ctx.tr()) }),
    'setup.enroll': () => {
      port();
      throw new DeskError('ALREADY_ENROLLED', { storeId: ctx.identity.storeId, terminalId: ctx.identity.terminalId, context: 'desk' });
    },
    // The desk's sync loop syncs an enrolled terminal; the first sync is setup's alone.
    'setup.sync': () => {
      port();
      throw new DeskError('SETUP_CLOSED', {});
    },
    'setup.serialPorts': async () => ({ ports: await port().serialPorts() }),
    'setup.printer': async ({ printer }) => {
      port();
      await manager['manager.settings.set']({ printer: printer === '' ? null : printer });
      return printerCheck();
    },
    'setup.testPrint': async () => (port(), manager['manager.settings.testPrint']({})),
    'setup.finish': () => (port(), { ready: true as const }),
    // Shown once, as anywhere: a manager who lost the paper makes a new one in the check-up tab.
    'setup.recoveryKey': () => (port(), manager['manager.recoveryKey']({ renew: false })),
    'setup.printRecoveryKey': async ({ recoveryKey }) => (port(), manager['manager.printRecoveryKey']({ recoveryKey })),
  };
}

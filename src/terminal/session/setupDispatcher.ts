// The dispatcher of a terminal that is not set up yet (no desk.db, started without demo data). A
// window opened while there is no identity gets a setup session: the setup methods need no PIN, and
// nothing else answers but the language. Once the terminal is enrolled and holds HQ's snapshot, the
// same window's other calls go to a desk session of the real dispatcher (PIN sign-in), and windows
// opened from then on are plain desk sessions whose setup methods need a manager (deskSession).
// The setup session keeps its setup methods until setup.finish: whoever typed the enrollment code
// goes on to the printer and scanner steps without a PIN that did not exist when they began.
import { DeskError, type ErrorCode, type Result } from '../../contract/errors';
import { setupApiInputs, type SetupOutputs } from '../../contract/setupContract';
import { terminalApiInputs, type ParsedInput } from '../../contract/terminalApi';
import { createTranslator, DEFAULT_LANG, type Translator } from '../../i18n';
import { inputErrorParams } from '../../i18n/inputIssues';
import type { Lang } from '../../loyalty/types';
import { DEFAULT_WEDGE } from './deskSession';
import type { Dispatcher, Session } from './dispatcher';
import { refusal, toAsyncResult, type InternalErrorSink } from './results';
import type { SetupPort } from './setupPort';

type SetupMethod = keyof typeof setupApiInputs;

interface SetupInner {
  lang: Lang;
  /** Opened with no identity and not finished: the setup methods need no PIN. */
  setup: boolean;
  desk: Session | null;
}

export function createSetupDispatcher(port: SetupPort, options: { lang?: Lang; onInternal?: InternalErrorSink } = {}): Dispatcher {
  const translators = new Map<Lang, Translator>();
  const tr = (lang: Lang): Translator => {
    let t = translators.get(lang);
    if (!t) translators.set(lang, (t = createTranslator(lang)));
    return t;
  };
  const lang = options.lang ?? DEFAULT_LANG;
  const inner = new WeakMap<Session, SetupInner>();
  const open = (s: SetupInner): Session => {
    const handle: Session = Object.freeze({ kind: 'desk' as const });
    inner.set(handle, s);
    return handle;
  };
  let enrolling = false;

  const handlers = (s: SetupInner): { [M in SetupMethod]: (input: ParsedInput<M>) => SetupOutputs[M] | Promise<SetupOutputs[M]> } => ({
    'setup.state': () => ({ session: 'setup' as const, ...port.state(tr(s.lang)) }),
    'setup.enroll': async ({ hqUrl, code }) => {
      // One enrollment at a time: a second window (or a double tap) must not trade a second code.
      if (enrolling) throw new DeskError('DB_BUSY', {});
      enrolling = true;
      try {
        await port.enroll(hqUrl, code);
      } finally {
        enrolling = false;
      }
      return { session: 'setup' as const, ...port.state(tr(s.lang)) };
    },
    'setup.sync': async () => {
      await port.sync();
      return { session: 'setup' as const, ...port.state(tr(s.lang)) };
    },
    'setup.serialPorts': async () => ({ ports: await port.serialPorts() }),
    'setup.printer': ({ printer }) => port.setPrinter(printer === '' ? null : printer, tr(s.lang)),
    'setup.testPrint': () => port.testPrint(s.lang),
    'setup.recoveryKey': () => port.recoveryKey(),
    'setup.printRecoveryKey': ({ recoveryKey }) => port.printRecoveryKey(recoveryKey, s.lang),
    'setup.finish': () => {
      if (!port.state(tr(s.lang)).ready) throw new DeskError('NOT_ENROLLED', {});
      s.setup = false;
      return { ready: true as const };
    },
  });

  const setupCall = async (s: SetupInner, method: SetupMethod, input: unknown): Promise<Result<unknown>> => {
    const parsed = setupApiInputs[method].safeParse(input ?? {});
    if (!parsed.success) return refusal(tr(s.lang), 'INVALID_INPUT', inputErrorParams(parsed.error, input ?? {}));
    const handler = handlers(s)[method] as (i: unknown) => unknown;
    return toAsyncResult(tr(s.lang), () => handler(parsed.data), options.onInternal);
  };

  /** Before the desk exists: the language, the session's facts, and setup (or why not). */
  const beforeDesk = (s: SetupInner, method: string, input: unknown): Result<unknown> => {
    if (method === 'session.setLang') {
      const parsed = terminalApiInputs['session.setLang'].safeParse(input ?? {});
      if (!parsed.success) return refusal(tr(s.lang), 'INVALID_INPUT', inputErrorParams(parsed.error, input ?? {}));
      s.lang = parsed.data.lang;
      port.setLang(s.lang);
      return { ok: true, value: { lang: s.lang } };
    }
    if (method === 'session.current') return { ok: true, value: { staff: null, pendingSync: 0, lang: s.lang, wedge: DEFAULT_WEDGE } };
    return refusal(tr(s.lang), Object.hasOwn(setupApiInputs, method) ? 'SETUP_CLOSED' : 'NOT_ENROLLED');
  };

  return {
    openDesk: () => {
      const desk = port.desk();
      return open({ lang, setup: desk === null, desk: desk?.openDesk() ?? null });
    },
    // The desk host opens no kiosk (the kiosk host has its own runtime).
    openKiosk: () => {
      throw new Error('a desk being set up has no kiosk sessions');
    },
    openOperator: (who) => {
      const desk = port.desk();
      if (!desk) throw new DeskError('NOT_ENROLLED', {});
      return open({ lang: who.lang ?? lang, setup: false, desk: desk.openOperator(who) });
    },
    dispatch: async (handle, method, input) => {
      const s = inner.get(handle);
      if (!s) throw new Error('not a session of this dispatcher');
      if (!Object.hasOwn(terminalApiInputs, method)) return refusal(tr(s.lang), 'INVALID_INPUT', { detailKey: 'command.unknownMethod', method: method.slice(0, 64) });
      if (s.setup && Object.hasOwn(setupApiInputs, method)) return setupCall(s, method as SetupMethod, input);
      const desk = port.desk();
      if (!desk) return beforeDesk(s, method, input);
      if (!s.desk) {
        // The window that set the terminal up goes on in the language it chose.
        s.desk = desk.openDesk();
        await desk.dispatch(s.desk, 'session.setLang', { lang: s.lang });
      }
      const result = await desk.dispatch(s.desk, method, input);
      if (method === 'session.setLang' && result.ok) s.lang = (result.value as { lang: Lang }).lang;
      return result;
    },
    end: (handle) => {
      const s = inner.get(handle);
      if (s?.desk) port.desk()?.end(s.desk);
      inner.delete(handle);
    },
    status: async () => (await port.desk()?.status()) ?? null,
    hasMethod: (_session, method) => Object.hasOwn(terminalApiInputs, method),
    refuse: (code: ErrorCode, l = lang, params = {}) => refusal(tr(l), code, params),
  };
}

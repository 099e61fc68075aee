// The one door into the core. Electron IPC, the web host, the kiosk host and the CLI open sessions
// here and hand it (session, method name, raw input); it answers a Result in the session's language.
// The transports move bytes and nothing else: no translator, no method list, no role check of theirs.
import type { ErrorCode, Result } from '../../contract/errors';
import { kioskApiInputs } from '../../contract/kioskApi';
import { terminalApiInputs, type DeskStatus, type TerminalMethod } from '../../contract/terminalApi';
import { createTranslator, DEFAULT_LANG, type Translator } from '../../i18n';
import { kioskRefusal } from '../../i18n/kiosk-words';
import type { Lang } from '../../loyalty/types';
import type { TerminalService } from '../operations/service';
import { createDeskSession, type DeskPorts, type DeskSession } from './deskSession';
import { createKioskSession, type KioskSessionOptions, type KioskSession } from './kioskSession';
import { refusal, type InternalErrorSink } from './results';
import { errorFields } from '../../log/fields';
import type { Logger, LogLevel } from '../../log/port';

export type { DeskPorts } from './deskSession';

/**
 * An open session, opaque to its holder: pass it back to dispatch, end it when its window goes. A
 * transport cannot reach the session's handlers except through dispatch (and its method check).
 */
export interface Session {
  readonly kind: 'desk' | 'kiosk';
}
type Inner = { kind: 'desk'; desk: DeskSession; operator?: true } | { kind: 'kiosk'; kiosk: KioskSession };

export interface DispatcherOptions {
  /** Where unexpected errors go (the host's log); without one, the raw text is kept for whoever runs it (tests, CLI). */
  onInternal?: InternalErrorSink;
  /** A new session's language (config.json lang; the CLI's --lang). */
  lang?: Lang;
  /** What desk sessions are wired to: printer and scanner state, the manager's sync and printer. */
  desk?: DeskPorts;
  /** What kiosk sessions are wired to. */
  kiosk?: Omit<KioskSessionOptions, 'lang' | 'onInternal'>;
  /** Where each call's line goes (method, outcome code, time taken; never its input or answer). */
  log?: Logger;
}

/** Calls a window makes every second or so: logged at debug, so the file keeps what people did. */
const POLLS = new Set(['status.get', 'session.current', 'manager.dayEndProgress', 'print.unprinted', 'kiosk.status', 'kiosk.slipStatus']);

/** One line per dispatched call: which method, how it ended and how long it took. */
function logCall(log: Logger, session: 'desk' | 'kiosk' | 'operator', method: string | null, result: Result<unknown>, ms: number): void {
  const error = result.ok ? null : result.error;
  const code = error?.code;
  const level: LogLevel = code === 'INTERNAL' ? 'error' : method !== null && POLLS.has(method) && result.ok ? 'debug' : 'info';
  // The reference the user was shown for an unexpected error ties this line to its 'internal' line.
  const ref = code === 'INTERNAL' ? /ref ([0-9A-F]{6})/.exec(String(error?.params.detail ?? ''))?.[1] : undefined;
  const value = result.ok ? (result.value as { opId?: unknown; printJobId?: unknown } | null) : null;
  log.withRequest().log(level, 'call', {
    session,
    ...(method === null ? {} : { method }),
    ok: result.ok,
    ms,
    ...(code ? { code } : {}),
    ...(ref ? { ref } : {}),
    ...(typeof value?.opId === 'string' ? { opId: value.opId } : {}),
    ...(typeof value?.printJobId === 'number' ? { printJobId: value.printJobId } : {}),
  });
}

export interface Dispatcher {
  /** A window of the desk: staff sign in with a PIN; members must be presented before a write. */
  openDesk(): Session;
  /** A kiosk window: kiosk methods only; a staff method is refused by name. */
  openKiosk(): Session;
  /** The command line: signs in no one, names who acts (--staff) and who approves (--manager). */
  openOperator(who: { staffId?: string | undefined; managerId?: string | undefined; lang?: Lang | undefined }): Session;
  dispatch(session: Session, method: string, input: unknown): Promise<Result<unknown>>;
  /** The window went: a kiosk page is dropped (and its unprinted slips withdrawn). */
  end(session: Session): void;
  /** The desk's status for the status bar and the hosts' event streams; null if it could not be read. */
  status(): Promise<DeskStatus | null>;
  /** Whether the session has this method (a transport answers 404 for one it hasn't). */
  hasMethod(session: Session, method: string): boolean;
  /**
   * A refusal the transport itself makes (no session, a foreign page, a body it could not read), in
   * the given language; 'kiosk' words it for a member at the kiosk, never with internals.
   */
  refuse(code: ErrorCode, lang?: Lang, params?: Record<string, string | number>, voice?: 'desk' | 'kiosk'): Result<never>;
}

export function createDispatcher(service: TerminalService, options: DispatcherOptions = {}): Dispatcher {
  const translators = new Map<Lang, Translator>();
  const tr = (lang: Lang): Translator => {
    let t = translators.get(lang);
    if (!t) translators.set(lang, (t = createTranslator(lang, service.deps.identity.tz)));
    return t;
  };
  const lang = options.lang ?? DEFAULT_LANG;
  const { log } = options;
  // An unexpected error's whole text goes to the host's sink; the log keeps its name and frames.
  const sink = options.onInternal;
  const onInternal: InternalErrorSink | undefined =
    sink && log
      ? (err, ref) => {
          log.log('error', 'internal', { ...errorFields(err), ...(ref ? { ref: ref.replace(/^ref /, '') } : {}) });
          sink(err, ref);
        }
      : sink;
  const deskOptions = { lang, ports: options.desk ?? {}, ...(onInternal ? { onInternal } : {}) };
  // The status bar's session: it signs in no one and only reads status.get.
  const statusSession = createDeskSession(service, tr, { kind: 'pin' }, deskOptions);

  const inner = new WeakMap<Session, Inner>();
  const open = (session: Inner): Session => {
    const handle: Session = Object.freeze({ kind: session.kind });
    inner.set(handle, session);
    return handle;
  };
  const innerOf = (handle: Session): Inner => {
    const session = inner.get(handle);
    if (!session) throw new Error('not a session of this dispatcher');
    return session;
  };

  return {
    openDesk: () => open({ kind: 'desk', desk: createDeskSession(service, tr, { kind: 'pin' }, deskOptions) }),
    openKiosk: () =>
      open({
        kind: 'kiosk',
        kiosk: createKioskSession(service, tr, { ...options.kiosk, lang, ...(onInternal ? { onInternal: (err: unknown) => onInternal(err) } : {}) }),
      }),
    openOperator: (who) =>
      open({
        kind: 'desk',
        operator: true,
        desk: createDeskSession(service, tr, { kind: 'operator', staffId: who.staffId ?? null, managerId: who.managerId ?? null }, { ...deskOptions, lang: who.lang ?? lang }),
      }),
    dispatch: async (handle, method, input) => {
      const session = innerOf(handle);
      const started = Date.now();
      const known = Object.hasOwn(session.kind === 'kiosk' ? kioskApiInputs : terminalApiInputs, method);
      let result: Result<unknown>;
      if (session.kind === 'kiosk') result = await session.kiosk.call(method, input);
      else if (!known) result = refusal(tr(session.desk.lang()), 'INVALID_INPUT', { detailKey: 'command.unknownMethod', method: method.slice(0, 64) });
      else result = await session.desk.call(method as TerminalMethod, input);
      // A method name the transport was sent but no session has is input, not ours to log.
      if (log) logCall(log, session.kind === 'kiosk' ? 'kiosk' : session.operator ? 'operator' : 'desk', known ? method : null, result, Date.now() - started);
      return result;
    },
    end: (handle) => {
      const session = inner.get(handle);
      if (session?.kind === 'kiosk') session.kiosk.end();
      inner.delete(handle);
    },
    status: async () => {
      const r = await statusSession.call('status.get', {});
      return r.ok ? (r.value as DeskStatus) : null;
    },
    hasMethod: (session, method) => Object.hasOwn(session.kind === 'kiosk' ? kioskApiInputs : terminalApiInputs, method),
    refuse: (code, l = lang, params = {}, voice = 'desk') =>
      voice === 'kiosk' ? { ok: false, error: { code, message: kioskRefusal(tr(l), code).message, params: {} } } : refusal(tr(l), code, params),
  };
}

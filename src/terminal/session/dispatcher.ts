// The one door into the core. Electron IPC, the web host, the kiosk host and the CLI open sessions
// here and hand it (session, method name, raw input); it answers a Result in the session's language.
// The transports move bytes and nothing else: no translator, no method list, no role check of theirs.
import type { ErrorCode, Result } from '../../contract/errors';
import { kioskApiInputs } from '../../contract/kioskApi';
import { terminalApiInputs, type DeskStatus, type TerminalMethod } from '../../contract/terminalApi';
import { createTranslator, DEFAULT_LANG, type Translator } from '../../i18n';
import type { Lang } from '../../loyalty/types';
import type { TerminalService } from '../operations/service';
import { createDeskSession, type DeskPorts, type DeskSession } from './deskSession';
import { createKioskSession, type KioskSessionOptions, type KioskSession } from './kioskSession';
import { refusal, type InternalErrorSink } from './results';

export type { DeskPorts } from './deskSession';

/** An open session: hold it, pass it back to dispatch, end it when its window goes. */
export type Session = { readonly kind: 'desk'; readonly desk: DeskSession } | { readonly kind: 'kiosk'; readonly kiosk: KioskSession };

export interface DispatcherOptions {
  /** Where unexpected errors go (the host's log); without one, the raw text is kept for whoever runs it (tests, CLI). */
  onInternal?: InternalErrorSink;
  /** A new session's language (config.json lang; the CLI's --lang). */
  lang?: Lang;
  /** What desk sessions are wired to: printer and scanner state, the manager's sync and printer. */
  desk?: DeskPorts;
  /** What kiosk sessions are wired to. */
  kiosk?: Omit<KioskSessionOptions, 'lang' | 'onInternal'>;
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
  /** A refusal the transport itself makes (no session, a foreign page), in the given language. */
  refuse(code: ErrorCode, lang?: Lang, params?: Record<string, string | number>): Result<never>;
}

export function createDispatcher(service: TerminalService, options: DispatcherOptions = {}): Dispatcher {
  const translators = new Map<Lang, Translator>();
  const tr = (lang: Lang): Translator => {
    let t = translators.get(lang);
    if (!t) translators.set(lang, (t = createTranslator(lang, service.deps.identity.tz)));
    return t;
  };
  const lang = options.lang ?? DEFAULT_LANG;
  const deskOptions = { lang, ports: options.desk ?? {}, ...(options.onInternal ? { onInternal: options.onInternal } : {}) };
  // The status bar's session: it signs in no one and only reads status.get.
  const statusSession = createDeskSession(service, tr, { kind: 'pin' }, deskOptions);

  return {
    openDesk: () => ({ kind: 'desk', desk: createDeskSession(service, tr, { kind: 'pin' }, deskOptions) }),
    openKiosk: () => ({
      kind: 'kiosk',
      kiosk: createKioskSession(service, tr, { ...options.kiosk, lang, ...(options.onInternal ? { onInternal: (err: unknown) => options.onInternal?.(err) } : {}) }),
    }),
    openOperator: (who) => ({
      kind: 'desk',
      desk: createDeskSession(service, tr, { kind: 'operator', staffId: who.staffId ?? null, managerId: who.managerId ?? null }, { ...deskOptions, lang: who.lang ?? lang }),
    }),
    dispatch: async (session, method, input) => {
      if (session.kind === 'kiosk') return session.kiosk.call(method, input);
      if (!Object.hasOwn(terminalApiInputs, method)) return refusal(tr(session.desk.lang()), 'INVALID_INPUT', { detail: `no method ${method.slice(0, 64)}` });
      return session.desk.call(method as TerminalMethod, input);
    },
    end: (session) => {
      if (session.kind === 'kiosk') session.kiosk.end();
    },
    status: async () => {
      const r = await statusSession.call('status.get', {});
      return r.ok ? (r.value as DeskStatus) : null;
    },
    hasMethod: (session, method) => Object.hasOwn(session.kind === 'kiosk' ? kioskApiInputs : terminalApiInputs, method),
    refuse: (code, l = lang, params = {}) => refusal(tr(l), code, params),
  };
}

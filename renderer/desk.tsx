// The desk's shared state for every screen: the client, who is signed in, the member at the desk,
// the status bar's facts, and `call`, which turns a broken link into an error staff can act on.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody, Result } from '../src/contract/errors';
import type { DeskEvent, DeskStatus, Lang, SignedInStaff, TerminalInput, TerminalMethod, TerminalOutputs, WedgeSettings } from '../src/contract/terminalApi';
import { createTranslator, type Translator } from '../src/i18n';
import { LinkError, type DeskClient } from './api/client';

export interface DeskState {
  client: DeskClient;
  lang: Lang;
  setLang(lang: Lang): Promise<void>;
  staff: SignedInStaff | null;
  setStaff(staff: SignedInStaff | null): void;
  status: DeskStatus | null;
  linkUp: boolean;
  lastScanAt: number | null;
  noteScan(): void;
  wedge: WedgeSettings;
  /** The catalog's translator for refusals carried as data (benefit "why not"), in the UI language. */
  tr: Translator;
  call<M extends TerminalMethod>(method: M, input: TerminalInput<M>): Promise<Result<TerminalOutputs[M]>>;
  /**
   * Every event of the one stream (status, print, scan) as it arrives; returns the way to stop.
   * Screens follow the stream instead of polling or opening streams of their own.
   */
  onEvent(listener: (event: DeskEvent) => void): () => void;
  /**
   * A screen that reads scans itself (setup's scanner step in the manager area) takes them from the
   * desk's own scanner handling until it lets go; routeScan says whether one took the code.
   */
  claimScans(onCode: (code: string, source: 'wedge' | 'serial') => void): () => void;
  routeScan(code: string, source: 'wedge' | 'serial'): boolean;
}

const DeskContext = createContext<DeskState | null>(null);

export function useDesk(): DeskState {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside DeskProvider');
  return desk;
}

export function DeskProvider(props: { client: DeskClient; initialLang: Lang; initialStaff: SignedInStaff | null; wedge: WedgeSettings; children: ReactNode }) {
  const { client } = props;
  const { t, i18n } = useTranslation();
  const [lang, setLangState] = useState<Lang>(props.initialLang);
  const [staff, setStaff] = useState<SignedInStaff | null>(props.initialStaff);
  const [status, setStatus] = useState<DeskStatus | null>(null);
  const [linkUp, setLinkUp] = useState(true);
  const [lastScanAt, setLastScanAt] = useState<number | null>(null);
  const listeners = useRef(new Set<(event: DeskEvent) => void>());
  const claim = useRef<((code: string, source: 'wedge' | 'serial') => void) | null>(null);
  const claimScans = useCallback((onCode: (code: string, source: 'wedge' | 'serial') => void) => {
    claim.current = onCode;
    return () => {
      if (claim.current === onCode) claim.current = null;
    };
  }, []);
  const routeScan = useCallback((code: string, source: 'wedge' | 'serial') => {
    if (!claim.current) return false;
    claim.current(code, source);
    return true;
  }, []);

  useEffect(
    () =>
      client.subscribe(
        (e) => {
          if (e.type === 'status') setStatus(e.status);
          for (const listener of listeners.current) listener(e);
        },
        setLinkUp,
      ),
    [client],
  );
  const onEvent = useCallback((listener: (event: DeskEvent) => void) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);

  const call = useCallback(
    async <M extends TerminalMethod>(method: M, input: TerminalInput<M>): Promise<Result<TerminalOutputs[M]>> => {
      try {
        const r = await client.call(method, input);
        if (!r.ok && r.error.code === 'NOT_SIGNED_IN') setStaff(null);
        return r;
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        const message = err instanceof LinkError ? t('ui.common.connectionLost') : t('ui.common.unexpected', { detail });
        return { ok: false, error: { code: 'INTERNAL', message, params: { detail } } };
      }
    },
    [client, t],
  );

  const setLang = useCallback(
    async (next: Lang) => {
      await i18n.changeLanguage(next);
      document.documentElement.lang = next;
      setLangState(next);
      // The core words its errors in the session's language too.
      await call('session.setLang', { lang: next });
    },
    [i18n, call],
  );

  const tz = status?.tz ?? 'Asia/Shanghai';
  const tr = useMemo(() => createTranslator(lang, tz), [lang, tz]);
  const noteScan = useCallback(() => setLastScanAt(Date.now()), []);

  const value: DeskState = { client, lang, setLang, staff, setStaff, status, linkUp, lastScanAt, noteScan, wedge: props.wedge, tr, call, onEvent, claimScans, routeScan };
  return <DeskContext.Provider value={value}>{props.children}</DeskContext.Provider>;
}

/**
 * What an error note shows: the core's refusal kept as its code and parameters (worded when drawn, so a
 * switch of language rewords it), or a sentence the screen made itself.
 */
export type Problem = Pick<ErrorBody, 'message' | 'params'> & { code: string } | string;

/** Loads something through the API with loading / error / retry states. */
export function useLoad<T>(load: () => Promise<Result<T>>, deps: unknown[]) {
  const [state, setState] = useState<{ loading: boolean; value: T | null; error: Problem | null }>({ loading: true, value: null, error: null });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    void load().then((r) => {
      if (!live) return;
      setState(r.ok ? { loading: false, value: r.value, error: null } : { loading: false, value: null, error: r.error });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}

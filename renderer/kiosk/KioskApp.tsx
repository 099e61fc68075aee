// The kiosk: attract → (scan) → the member's page → back to attract on "done", after the idle time,
// or at once on a refused code (after its friendly sentence). A new scan always replaces what is
// shown; when the page goes, its data goes with it (React state cleared, nothing in storage/history).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KioskPage, KioskStatus } from '../../src/contract/kioskApi';
import type { Lang } from '../../src/contract/terminalApi';
import { createTranslator } from '../../src/i18n';
import { kioskRefusal } from '../../src/i18n/kiosk-words';
import type { ErrorBody } from '../../src/contract/errors';
import { attachWedge, WedgeDetector } from '../scan/wedgeDetector';
import { Attract } from './Attract';
import { LangTaps } from './LangTaps';
import type { KioskClient } from './client';
import { MemberPage } from './MemberPage';
import { subscribeSerialScans } from './serialScans';
import { timeoutWarningMs, useIdle } from './useIdle';

type View =
  | { name: 'attract' }
  | { name: 'scanning' }
  // The refusal's code, worded when drawn: a language tap on the refusal says it again in that language.
  | { name: 'refused'; code: string; params: ErrorBody['params'] }
  | { name: 'page'; page: KioskPage };

/**
 * A refusal stays this long (or until a touch) before the attract screen is back: long enough for a
 * slow reader to take in its title, sentence and hint (some 45 characters). It holds nothing private,
 * and the next person's scan replaces it at once.
 */
export const REFUSED_MS = 15_000;

/** Refusals that are the kiosk's own trouble (its link, its keys, its member list behind HQ's), not the code's. */
const KIOSK_TROUBLE = new Set(['link', 'INTERNAL', 'UNKNOWN_KEY', 'UNKNOWN_MEMBER']);

export function KioskApp(props: { client: KioskClient; status: KioskStatus }) {
  const { client, status } = props;
  const { i18n } = useTranslation();
  const [lang, setLangState] = useState<Lang>(status.lang);
  const [view, setView] = useState<View>({ name: 'attract' });
  const scanSeq = useRef(0);
  const tr = useMemo(() => createTranslator(lang, status.tz), [lang, status.tz]);

  const setLang = useCallback(
    async (next: Lang) => {
      await i18n.changeLanguage(next);
      document.documentElement.lang = next;
      setLangState(next);
      await client.call('kiosk.setLang', { lang: next });
    },
    [client, i18n],
  );

  /** Back to attract: the page and its data are dropped here and in the core; the language resets. */
  const toAttract = useCallback(() => {
    scanSeq.current++;
    setView({ name: 'attract' });
    void client.call('kiosk.done', {});
    if (lang !== status.lang) void setLang(status.lang);
    window.scrollTo(0, 0);
  }, [client, lang, setLang, status.lang]);

  const submit = useCallback(
    async (code: string) => {
      // User Timing marks (no member data in them): scan → page shown is what the bench reads.
      performance.clearMarks('ld:kiosk-scan');
      performance.clearMarks('ld:kiosk-page');
      performance.mark('ld:kiosk-scan');
      const seq = ++scanSeq.current;
      setView({ name: 'scanning' });
      const r = await client.call('kiosk.scan', { code });
      // Two scans at once: only the newest one's answer is shown.
      if (seq !== scanSeq.current) return;
      if (r.ok) setView({ name: 'page', page: r.value });
      else {
        const code = 'link' in r.error.params ? 'link' : r.error.code;
        setView({ name: 'refused', code, params: r.error.params });
      }
    },
    [client],
  );

  const submitRef = useRef(submit);
  submitRef.current = submit;
  useEffect(() => {
    if (!status.wedge.enabled) return;
    const detector = new WedgeDetector({ maxInterKeyMs: status.wedge.maxInterKeyMs, minLength: status.wedge.minLength });
    return attachWedge(window, detector, (code) => void submitRef.current(code));
  }, [status.wedge]);
  // A serial scanner is read by the host; its codes take the same path, whatever screen is showing.
  useEffect(() => subscribeSerialScans((code) => void submitRef.current(code)), []);

  const pageKey = view.name === 'page' ? view.page.pageId : view.name;
  // The page closes at the configured idle time; the warning is the end of it (useIdle.ts).
  const idle = useIdle(view.name === 'page', status.idleMs, toAttract, pageKey, timeoutWarningMs(status.idleMs));
  useIdle(view.name === 'refused', Math.min(REFUSED_MS, status.idleMs), toAttract, pageKey);

  useEffect(() => {
    if (view.name === 'page') requestAnimationFrame(() => performance.mark('ld:kiosk-page'));
  }, [view]);

  let screen;
  if (view.name === 'page') {
    screen = <MemberPage key={view.page.pageId} client={client} page={view.page} lang={lang} tr={tr} closesIn={idle.warnLeft} onStay={idle.stay} onLang={(l) => void setLang(l)} onDone={toAttract} />;
  } else if (view.name === 'refused') {
    const words = view.code === 'link' ? { message: tr.t('kiosk.refusal.link'), hint: tr.t('kiosk.hint.link') } : kioskRefusal(tr, view.code, view.params);
    screen = (
      <main className="k-screen k-refused" data-screen="refused" role="alert">
        <header className="k-refused-head">
          <LangTaps lang={lang} onLang={(l) => void setLang(l)} />
        </header>
        <div className="k-refused-icon" aria-hidden="true">
          !
        </div>
        <h1 data-testid="refused-title">{tr.t(KIOSK_TROUBLE.has(view.code) ? 'kiosk.refused.kiosk' : 'kiosk.refused.title')}</h1>
        <p className="k-refused-message" data-testid="refused-message">
          {words.message}
        </p>
        <p className="k-refused-hint" data-testid="refused-hint">
          {words.hint}
        </p>
        <button type="button" className="k-button primary" onClick={toAttract} data-testid="refused-ok">
          {tr.t('kiosk.refused.back')}
        </button>
      </main>
    );
  } else {
    screen = <Attract status={status} lang={lang} busy={view.name === 'scanning'} onLang={(l) => void setLang(l)} onCode={(c) => void submit(c)} />;
  }
  return <div className="kiosk">{screen}</div>;
}

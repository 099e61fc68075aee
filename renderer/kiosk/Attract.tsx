// The attract screen: one clear prompt to scan, the languages a tap away, the viewfinder when a
// camera is configured. A keyboard-wedge or serial burst anywhere on the page is a scan (KioskApp).
import { useTranslation } from 'react-i18next';
import type { KioskStatus } from '../../src/contract/kioskApi';
import type { Lang } from '../../src/contract/terminalApi';
import { pick } from '../i18n';
import { KioskCamera } from './KioskCamera';
import { LangTaps } from './LangTaps';

export function Attract(props: { status: KioskStatus; lang: Lang; busy: boolean; onLang(lang: Lang): void; onCode(code: string): void }) {
  const { t } = useTranslation();
  const { status } = props;
  return (
    <main className="k-screen k-attract" data-screen={props.busy ? 'scanning' : 'attract'}>
      <header className="k-attract-head">
        <div className="k-store">{pick(status.storeName, props.lang) || t('kiosk.title')}</div>
        <LangTaps lang={props.lang} onLang={props.onLang} />
      </header>
      <section className="k-prompt" aria-live="polite">
        <div className="k-qr-icon" aria-hidden="true">
          <span />
          <span />
          <span />
          <span />
        </div>
        <h1 data-testid="attract-prompt">{props.busy ? t('kiosk.scanning') : t('kiosk.attract.prompt')}</h1>
        <p className="k-sub">{t('kiosk.attract.sub')}</p>
      </section>
      {status.camera.enabled && !props.busy && <KioskCamera deviceId={status.camera.deviceId} onCode={props.onCode} />}
      <footer className="k-privacy">{t('kiosk.attract.privacy', { seconds: Math.round(status.idleMs / 1000) })}</footer>
    </main>
  );
}

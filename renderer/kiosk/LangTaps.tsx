// Three big language buttons: zh-CN first, a tap switches the kiosk (and the core's sentences).
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../src/contract/terminalApi';
import { LANGS } from '../i18n';

export function LangTaps(props: { lang: Lang; onLang(lang: Lang): void }) {
  const { t } = useTranslation();
  return (
    <nav className="k-langs" aria-label={t('kiosk.attract.lang')}>
      {LANGS.map((l) => (
        <button key={l} type="button" lang={l} className={l === props.lang ? 'k-lang on' : 'k-lang'} aria-pressed={l === props.lang} onClick={() => props.onLang(l)} data-testid={`lang-${l}`}>
          {t(`ui.lang.${l}`)}
        </button>
      ))}
    </nav>
  );
}

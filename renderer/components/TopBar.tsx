// The top bar: who is signed in, the language switch, today's operations, next member, sign out.
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../src/contract/terminalApi';
import { useDesk } from '../desk';
import { LANGS } from '../i18n';

export function TopBar(props: { onOps?: () => void; onNext?: () => void; onManager?: () => void; onSignOut?: () => void }) {
  const { t } = useTranslation();
  const { staff, lang, setLang } = useDesk();
  return (
    <header className="topbar">
      <strong className="brand" title={t('ui.appName')}>
        {t('ui.appName')}
      </strong>
      {staff && (
        <span className="who" data-testid="signed-in" title={t('ui.top.signedIn', { name: staff.name, role: t(`ui.top.role.${staff.role}`) })}>
          {t('ui.top.signedIn', { name: staff.name, role: t(`ui.top.role.${staff.role}`) })}
        </span>
      )}
      <span className="spacer" />
      {props.onNext && (
        <button type="button" onClick={props.onNext} data-testid="nav-next">
          {t('ui.top.newScan')}
        </button>
      )}
      {props.onOps && (
        <button type="button" onClick={props.onOps} data-testid="nav-ops">
          {t('ui.top.operations')}
        </button>
      )}
      {props.onManager && (
        <button type="button" onClick={props.onManager} data-testid="nav-manager">
          {t('manager.entry')}
        </button>
      )}
      <label className="lang">
        <span className="sr-only">{t('ui.lang.label')}</span>
        <select value={lang} onChange={(e) => void setLang(e.target.value as Lang)} data-testid="lang" aria-label={t('ui.lang.label')}>
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {t(`ui.lang.${l}`)}
            </option>
          ))}
        </select>
      </label>
      {props.onSignOut && (
        <button type="button" onClick={props.onSignOut} data-testid="sign-out">
          {t('ui.top.signOut')}
        </button>
      )}
    </header>
  );
}

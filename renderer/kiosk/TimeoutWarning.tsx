// "Still there?" before a member's page closes by itself (WCAG 2.2.1): the seconds left and a big
// Stay button that keeps the page, or Done to close it now. Focus goes to Stay so a keyboard or a
// screen reader lands on the way to keep the page.
import { useEffect, useRef } from 'react';
import type { Translator } from '../../src/i18n';

export function TimeoutWarning(props: { tr: Translator; seconds: number; onStay(): void; onDone(): void }) {
  const t = props.tr.t;
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => stay.current?.focus(), []);
  return (
    <div className="k-timeout-backdrop">
      <div className="k-timeout" role="alertdialog" aria-modal="true" aria-labelledby="k-timeout-title" aria-describedby="k-timeout-left" data-testid="kiosk-timeout">
        <h2 id="k-timeout-title">{t('kiosk.timeout.title')}</h2>
        <p id="k-timeout-left" className="k-closing" data-testid="kiosk-closing" data-seconds={props.seconds}>
          {t('kiosk.timeout.left', { seconds: props.seconds })}
        </p>
        <div className="k-timeout-actions">
          <button type="button" className="k-button" onClick={props.onDone} data-testid="kiosk-timeout-done">
            {t('kiosk.timeout.done')}
          </button>
          <button type="button" ref={stay} className="k-button primary" onClick={props.onStay} data-testid="kiosk-stay">
            {t('kiosk.timeout.stay')}
          </button>
        </div>
      </div>
    </div>
  );
}

// The member's own page: who (masked), tier and progress, points and what expires soon, notices,
// benefits, badges, the year in review; "print my slip" and "done" always in reach at the bottom.
import type { KioskPage } from '../../src/contract/kioskApi';
import type { Lang } from '../../src/contract/terminalApi';
import type { Translator } from '../../src/i18n';
import type { KioskClient } from './client';
import { LangTaps } from './LangTaps';
import { BadgesPanel, BenefitsPanel, Notices, PointsPanel, TierPanel, YearPanel } from './PageSections';
import { SlipButton } from './SlipButton';
import { TimeoutWarning } from './TimeoutWarning';

export function MemberPage(props: {
  client: KioskClient;
  page: KioskPage;
  lang: Lang;
  tr: Translator;
  /** Seconds left while the time-out warning shows (useIdle), else null. */
  closesIn: number | null;
  onStay(): void;
  onLang(lang: Lang): void;
  onDone(): void;
}) {
  const { page, tr, lang } = props;
  const t = tr.t;
  const sections = { page, lang, tr };
  return (
    <main className="k-screen k-page" data-screen="member">
      <header className="k-page-head">
        <div>
          <h1 data-testid="kiosk-hello">{t('kiosk.page.hello', { name: page.member.maskedName })}</h1>
          <p className="k-sub">
            {t('kiosk.page.card', { tail: page.member.cardTail })} · {t(`kiosk.page.via.${page.member.via}`)}
          </p>
        </div>
        <LangTaps lang={lang} onLang={props.onLang} />
      </header>
      {/* What a member in a hurry looks for first: tier, points, what expires, then the benefits; the
          year and badges after them. One column in portrait, in this order; in landscape the
          benefits take the right column (kiosk.css). */}
      <div className="k-columns">
        <TierPanel {...sections} />
        <PointsPanel {...sections} />
        <Notices {...sections} />
        <BenefitsPanel {...sections} />
        <YearPanel {...sections} />
        <BadgesPanel {...sections} />
      </div>
      <footer className="k-actions">
        {page.slip.available && <SlipButton client={props.client} page={page} tr={tr} />}
        <button type="button" className="k-button primary" onClick={props.onDone} data-testid="kiosk-done">
          {t('kiosk.page.done')}
        </button>
      </footer>
      {props.closesIn !== null && <TimeoutWarning tr={tr} seconds={props.closesIn} onStay={props.onStay} onDone={props.onDone} />}
    </main>
  );
}

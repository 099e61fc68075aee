// The parts of the member page, each from the page data only (KioskPage): tier and progress in
// words, points and what expires soon, benefits (how to use, or why not yet), badges, the year.
import type { KioskBadge, KioskBenefit, KioskPage } from '../../src/contract/kioskApi';
import type { Lang } from '../../src/contract/terminalApi';
import type { Translator } from '../../src/i18n';
import { whyNotText } from '../../src/i18n/kiosk-words';
import { formatDate, formatPay, formatPoints, formatYuan } from '../format';
import { pick } from '../i18n';

interface Props {
  page: KioskPage;
  lang: Lang;
  tr: Translator;
}

export function TierPanel({ page, lang, tr }: Props) {
  const { tier } = page;
  const t = tr.t;
  const next = tier.next;
  const ratio =
    next === null
      ? 1
      : Math.max(
          tier.visitsNeeded > 0 ? tier.visits / (tier.visits + tier.visitsNeeded) : 1,
          tier.spendNeededFen > 0 ? tier.spendFen / (tier.spendFen + tier.spendNeededFen) : 1,
        );
  const pct = Math.round(Math.min(1, ratio) * 100);
  let progress: string;
  if (next === null) progress = t('kiosk.page.topTier');
  else if (tier.visitsNeeded > 0 && tier.spendNeededFen > 0)
    progress = t('kiosk.page.progress', { tier: tr.tier(next), visits: tier.visitsNeeded, spend: formatYuan(tier.spendNeededFen) });
  else if (tier.visitsNeeded > 0) progress = t('kiosk.page.progressVisits', { tier: tr.tier(next), visits: tier.visitsNeeded });
  else progress = t('kiosk.page.progressSpend', { tier: tr.tier(next), spend: formatYuan(tier.spendNeededFen) });
  return (
    <section className="k-panel k-tier">
      <h2>{t('kiosk.page.tier')}</h2>
      <div className={`k-tier-badge tier-${tier.code}`} data-testid="kiosk-tier">
        {tr.tier(tier.code)}
      </div>
      <p className="k-sub">{t('kiosk.page.discount', { rate: formatPay(tier.payPermille, lang) })}</p>
      {/* Named by the sentence under it, so a screen reader says what the bar measures. */}
      <div className="k-progress" role="progressbar" aria-labelledby="k-progress-text" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="k-progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <p className="k-progress-text" id="k-progress-text" data-testid="kiosk-progress">
        {progress}
      </p>
      <p className="k-sub">{t('kiosk.page.window', { months: tier.windowMonths, visits: tier.visits, spend: formatYuan(tier.spendFen) })}</p>
    </section>
  );
}

export function PointsPanel({ page, tr }: Props) {
  const { points } = page;
  const t = tr.t;
  return (
    <section className="k-panel k-points">
      <h2>{t('kiosk.page.points')}</h2>
      <div className="k-points-balance" data-testid="kiosk-points">
        {formatPoints(points.balance)}
        <span className="k-unit">{t('kiosk.page.pointsUnit')}</span>
      </div>
      {points.expiring.lots.length > 0 ? (
        <div className="k-expiring" data-testid="kiosk-expiring">
          <h3>{t('kiosk.page.expiringTitle', { days: points.expiring.days })}</h3>
          <ul>
            {points.expiring.lots.map((l) => (
              <li key={`${l.expiresAt}-${l.points}`}>{t('kiosk.page.expiringLine', { points: formatPoints(l.points), date: formatDate(l.expiresAt, page.tz) })}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="k-sub">{t('kiosk.page.noExpiring', { days: points.expiring.days })}</p>
      )}
    </section>
  );
}

export function Notices({ page, tr }: Props) {
  const { notices } = page;
  const t = tr.t;
  return (
    <section className="k-notices">
      {notices.birthdayMonth && <p className="k-notice gift">{t('kiosk.page.birthday')}</p>}
      <p className={notices.memberDay ? 'k-notice today' : 'k-notice'}>
        {notices.memberDay ? t('kiosk.page.memberDay') : t('kiosk.page.memberDayNext', { day: notices.memberDayOfMonth })}
      </p>
    </section>
  );
}

function BenefitItem({ b, page, lang, tr }: Props & { b: KioskBenefit }) {
  const t = tr.t;
  const validity =
    b.validFrom > Date.now() ? t('kiosk.page.validFrom', { date: formatDate(b.validFrom, page.tz), to: formatDate(b.validTo, page.tz) }) : t('kiosk.page.validTo', { date: formatDate(b.validTo, page.tz) });
  return (
    <li className={b.usable ? 'k-benefit usable' : 'k-benefit later'} data-testid={`kiosk-benefit-${b.id}`}>
      <div className="k-benefit-head">
        <span className="k-benefit-name">{pick(b.name, lang)}</span>
        <span className="k-benefit-flag">{b.usable ? t('kiosk.page.usable') : t('kiosk.page.notYet')}</span>
      </div>
      <div className="k-sub">
        {t(`benefitType.${b.type}`)} · {validity}
        {b.valueFen !== null && b.valueFen > 0 && ` · ${t('kiosk.page.value', { value: formatYuan(b.valueFen) })}`}
        {b.limit !== null && ` · ${t('kiosk.page.used', { used: b.used, limit: b.limit })}`}
      </div>
      <p className="k-benefit-how">{b.usable ? (b.needsAmount ? t('kiosk.page.needsAmount') : t(`kiosk.howTo.${b.type}`)) : b.whyNot ? whyNotText(tr, page.tz, b.whyNot.code, b.whyNot.params) : ''}</p>
    </li>
  );
}

export function BenefitsPanel(props: Props) {
  const { page, tr } = props;
  return (
    <section className="k-panel k-benefits">
      <h2>{tr.t('kiosk.page.benefits')}</h2>
      {page.benefits.length === 0 ? (
        <p className="k-sub">{tr.t('kiosk.page.noBenefits')}</p>
      ) : (
        <ul className="k-benefit-list">
          {page.benefits.map((b) => (
            <BenefitItem key={b.id} b={b} {...props} />
          ))}
        </ul>
      )}
    </section>
  );
}

function badgeText(b: KioskBadge, page: KioskPage, tr: Translator): string {
  const p = b.params;
  if (b.code === 'tier') return tr.t('kiosk.badge.tier', { tier: tr.tier(p.tier as never), date: formatDate(Number(p.since), page.tz) });
  return tr.t(`kiosk.badge.${b.code}`, p);
}

export function BadgesPanel({ page, tr }: Props) {
  return (
    <section className="k-panel k-badges">
      <h2>{tr.t('kiosk.page.badges')}</h2>
      {page.badges.length === 0 ? (
        <p className="k-sub">{tr.t('kiosk.page.noBadges')}</p>
      ) : (
        <ul className="k-badge-list">
          {page.badges.map((b) => (
            <li key={b.code} className={`k-badge badge-${b.code}`}>
              {badgeText(b, page, tr)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function YearPanel({ page, tr }: Props) {
  const { year } = page;
  const t = tr.t;
  const cells: [string, number][] = [
    [t('kiosk.page.yearVisits'), year.visits],
    [t('kiosk.page.yearPoints'), year.pointsEarned],
    [t('kiosk.page.yearBenefits'), year.benefitsUsed],
    [t('kiosk.page.yearGifts'), year.giftsExchanged],
  ];
  return (
    <section className="k-panel k-year" data-testid="kiosk-year">
      <h2>{t('kiosk.page.year')}</h2>
      <p className="k-sub">{t('kiosk.page.yearRange', { from: formatDate(year.from, page.tz), to: formatDate(year.to, page.tz) })}</p>
      <dl className="k-year-grid">
        {cells.map(([label, value]) => (
          <div key={label} className="k-year-cell">
            <dt>{label}</dt>
            <dd>{formatPoints(value)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

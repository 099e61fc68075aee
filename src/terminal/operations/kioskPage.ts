// The member's own page at the kiosk, made from the member card (the desk's single source of tier,
// points and benefit eligibility) and projected down to what the member may see: the name masked,
// the card number cut to its last four digits, no phone, no birthday, nobody else.
import type { KioskBadge, KioskBenefit, KioskPage } from '../../contract/kioskApi';
import { addMonthsUtc, monthsBack } from '../../loyalty/time';
import { tierRank } from '../../loyalty/tiers';
import { memberYear, type YearFacts } from '../../store/kioskQueries';
import type { ServiceDeps } from './deps';
import { memberCard } from './memberCard';
import type { BenefitView, MemberCard } from '../../contract/deskTypes';

const YEAR_MS = 365.25 * 86_400_000;
/** A "regular" has visited in at least this many of the last 12 months. */
const REGULAR_MONTHS = 6;
/** Benefit pro: this many benefits used in the last 12 months. */
const BENEFIT_PRO = 3;

export interface KioskPageFacts {
  page: Omit<KioskPage, 'pageId' | 'slip'>;
  /** The member's id and card serial stay in the core (for the slip), never in the page. */
  memberId: string;
  cardSerial: number;
}

function toKioskBenefit(b: BenefitView): KioskBenefit {
  return {
    id: b.id,
    type: b.type,
    name: b.name,
    validFrom: b.validFrom,
    validTo: b.validTo,
    usable: b.eligible,
    needsAmount: b.needsAmount,
    valueFen: b.valueFen,
    used: b.used,
    limit: b.limit,
    whyNot: b.reason,
  };
}

export function kioskBadges(card: MemberCard, year: YearFacts, now: number): KioskBadge[] {
  const badges: KioskBadge[] = [];
  if (tierRank(card.tier.code) > tierRank('basic')) badges.push({ code: 'tier', params: { tier: card.tier.code, since: card.member.tierSince } });
  const years = Math.floor((now - card.member.joinedAt) / YEAR_MS);
  if (years >= 1) badges.push({ code: 'years', params: { years } });
  if (year.monthsVisited >= REGULAR_MONTHS) badges.push({ code: 'regular', params: { months: year.monthsVisited } });
  if (year.pointsDonated > 0) badges.push({ code: 'charity', params: { points: year.pointsDonated } });
  if (year.benefitsUsed >= BENEFIT_PRO) badges.push({ code: 'benefits', params: { count: year.benefitsUsed } });
  return badges;
}

export function buildKioskPage(deps: ServiceDeps, memberId: string, via: 'card' | 'app'): KioskPageFacts {
  const card = memberCard(deps, { memberId });
  const now = deps.clock();
  const { tz } = deps.identity;
  const fromAt = addMonthsUtc(now, -12);
  const year = memberYear(deps.db, memberId, monthsBack(now, tz, 12)[0] ?? '', fromAt);
  // Usable first; the rest keep HQ's order, each with its reason.
  const benefits = [...card.benefits.filter((b) => b.eligible), ...card.benefits.filter((b) => !b.eligible)].map(toKioskBenefit);
  return {
    memberId,
    cardSerial: card.member.cardSerial,
    page: {
      tz,
      member: { maskedName: card.member.maskedName, cardTail: card.member.cardNo.slice(-4), joinedAt: card.member.joinedAt, via },
      tier: {
        code: card.tier.code,
        payPermille: card.tier.payPermille,
        visits: card.tier.visits,
        spendFen: card.tier.spendFen,
        windowMonths: deps.rules.tierWindowMonths,
        next: card.tier.next,
        visitsNeeded: card.tier.visitsNeeded,
        spendNeededFen: card.tier.spendNeededFen,
      },
      points: { balance: card.points.balance, expiring: { ...card.points.expiring, days: deps.rules.points.expiryNoticeDays } },
      benefits,
      notices: { ...card.notices, memberDayOfMonth: deps.rules.points.memberDayOfMonth },
      badges: kioskBadges(card, year, now),
      year: { from: fromAt, to: now, visits: year.visits, pointsEarned: year.pointsEarned, benefitsUsed: year.benefitsUsed, giftsExchanged: year.giftsExchanged },
    },
  };
}

// The member card: who the member is, their tier and progress, points and what expires soon,
// and every benefit with "eligible" or the reason why not.
import { refuseReplacedCard } from './supersededCard';
import { DeskError } from '../../contract/errors';
import { benefitSku, checkBenefit, checkStock } from '../../loyalty/benefits';
import { donationMinimum } from '../../loyalty/exchange';
import { availablePoints, expiringSoon, isBirthdayMonth, isMemberDay } from '../../loyalty/points';
import { evaluateTier, tierProgress, tierRule } from '../../loyalty/tiers';
import { monthsBack } from '../../loyalty/time';
import type { BenefitDef } from '../../loyalty/types';
import { listBenefits, openGrants, stockMap, usageByBenefit } from '../../store/benefits';
import { memberOrAlias } from '../../store/aliases';
import { memberLots, memberMonths, pointsOwed, toMemberFacts, type MemberRow } from '../../store/members';
import { signedCodeOfCurrentCard } from '../../store/replacedCards';
import { maskName } from '../../print/receiptModel';
import { maskedPhone } from '../../loyalty/phone';
import type { ServiceDeps } from './deps';
import { memberByPhone } from './phoneLookup';
import { operatingDay } from './businessDay';
import { isOffline } from './guards';
import type { MemberSummary, BenefitView, MemberCard } from '../../contract/deskTypes';

export function summarize(row: MemberRow): MemberSummary {
  return {
    id: row.id,
    cardNo: row.card_no,
    name: row.name,
    maskedName: maskName(row.name),
    maskedPhone: maskedPhone(row.phone_last4),
    tier: row.tier,
    status: row.status,
    cardSerial: row.card_serial,
  };
}

export type MemberRef = { memberId: string } | { cardNo: string } | { phone: string };

export function findMember(deps: ServiceDeps, ref: MemberRef): MemberRow {
  if ('phone' in ref) return memberByPhone(deps, ref.phone);
  // An id or card HQ merged into another member (docs/join.md) finds the member it became.
  const row = memberOrAlias(deps.db, ref);
  if (!row && 'cardNo' in ref) refuseReplacedCard(deps, ref.cardNo);
  if (!row) throw new DeskError('UNKNOWN_MEMBER', { ref: 'memberId' in ref ? ref.memberId : ref.cardNo });
  return row;
}

function viewBenefit(
  deps: ServiceDeps,
  b: BenefitDef,
  row: MemberRow,
  ctx: { now: number; today: string; offline: boolean },
  usage: ReturnType<typeof usageByBenefit>,
  grants: Map<string, number>,
  stock: Map<string, number>,
): BenefitView {
  const u = usage.get(b.id) ?? { memberTotal: 0, memberToday: 0, lastRedeemedAt: null };
  let verdict = checkBenefit(
    deps.rules,
    b,
    toMemberFacts(row),
    { ...u, grantsAvailable: grants.get(b.id) ?? 0 },
    { now: ctx.now, tz: deps.identity.tz, storeId: deps.identity.storeId, offline: ctx.offline, purchaseAmountFen: null },
  );
  if (verdict.ok) {
    const sku = benefitSku(b);
    const stockRefusal =
      b.params.type === 'blind_box'
        ? b.params.pool.some((i) => (stock.get(i.sku) ?? 0) > 0)
          ? null
          : checkStock(0)
        : sku === null
          ? null
          : checkStock(stock.get(sku) ?? null);
    if (stockRefusal) verdict = stockRefusal;
  }
  const needsAmount = !verdict.ok && verdict.reason === 'AMOUNT_REQUIRED';
  return {
    id: b.id,
    type: b.params.type,
    name: b.name,
    validFrom: b.validFrom,
    validTo: b.validTo,
    offlineRedeemable: b.offlineRedeemable,
    eligible: verdict.ok || needsAmount,
    needsAmount,
    valueFen: verdict.ok ? verdict.valueFen : null,
    reason: verdict.ok || needsAmount ? null : { code: verdict.reason, params: verdict.params },
    used: u.memberTotal,
    limit: b.perMemberLimit,
  };
}

export function memberCard(deps: ServiceDeps, ref: MemberRef): MemberCard {
  const row = findMember(deps, ref);
  const now = deps.clock();
  const { tz, storeId } = deps.identity;
  const window = monthsBack(now, tz, deps.rules.tierWindowMonths);
  const evaluation = evaluateTier(deps.rules, memberMonths(deps.db, row.id, window[0] ?? ''), now, tz);
  const progress = tierProgress(deps.rules, row.tier, evaluation);
  const lots = memberLots(deps.db, row.id);
  const expiring = expiringSoon(lots, now, deps.rules.points.expiryNoticeDays);
  const today = operatingDay(deps, now).date;
  const offline = isOffline(deps);
  const usage = usageByBenefit(deps.db, row.id, today);
  const grants = openGrants(deps.db, row.id);
  const stock = stockMap(deps.db, storeId);
  const benefits = listBenefits(deps.db)
    .filter((b) => b.validTo > now && (b.stores.length === 0 || b.stores.includes(storeId)))
    .filter((b) => !b.requiresGrant || (grants.get(b.id) ?? 0) > 0 || usage.has(b.id))
    .map((b) => viewBenefit(deps, b, row, { now, today, offline }, usage, grants, stock));
  const facts = toMemberFacts(row);
  return {
    member: { ...summarize(row), birthday: row.birthday, joinedAt: row.joined_at, tierSince: row.tier_since },
    tier: {
      code: row.tier,
      payPermille: tierRule(deps.rules, row.tier).payPermille,
      visits: evaluation.visits,
      spendFen: evaluation.spendFen,
      ...progress,
    },
    points: {
      balance: availablePoints(lots, now) - pointsOwed(deps.db, row.id),
      expiring: { total: expiring.total, lots: expiring.lots.map((l) => ({ expiresAt: l.expiresAt, points: l.points })) },
      donationMin: donationMinimum(deps.rules),
    },
    notices: { birthdayMonth: isBirthdayMonth(facts.birthday, now, tz), memberDay: isMemberDay(deps.rules, now, tz) },
    benefits,
    offline,
    cardCode: signedCodeOfCurrentCard(deps.db, row.id) !== null,
  };
}

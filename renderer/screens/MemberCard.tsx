// The member card: tier badge and progress, points (and what expires soon), and every benefit with
// "redeem" or the reason why not. Redeeming is one tap here and one in the confirmation.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BenefitView, PublicMemberCard, RedeemResult, ScanOutcome } from '../../src/contract/terminalApi';
import { CameraView } from '../components/CameraView';
import { ErrorNote, Loading, Empty, type Problem } from '../components/Notice';
import { ScrollPanel } from '../components/ScrollPanel';
import { useDesk, useLoad } from '../desk';
import { formatDate, formatPay, formatPoints, formatYuan } from '../format';
import { pick } from '../i18n';
import { RedeemDialog } from './RedeemDialog';
import { CardReplaceDialog } from './CardReplaceDialog';
import { CardCodeDialog } from './CardCodeDialog';

export interface MemberActions {
  onRedeemed(result: RedeemResult): void;
  onExchange(): void;
  onEarn(): void;
  onDonate(): void;
  /** 退货: the member's purchases here, one tap to pick the one that comes back. */
  onReturn(): void;
  /** 历史: the member's recent operations, here and (when HQ answers) elsewhere. */
  onHistory(): void;
}

/** 扫描会员码 on an unverified card: the card stays, the scanners listen, App routes what they read. */
export interface CodeScanning {
  /** The clerk asked for the member's code: the panel with the camera is open. */
  open: boolean;
  /** A code refused while the panel was open (the card stays; the refusal is said here). */
  error: Problem | null;
  onOpen(): void;
  onClose(): void;
  /** What the camera read: the same path as any scan (this member's code verifies them in place). */
  onCode(code: string): void;
}

/**
 * `joinedCardNo`: the card was just opened (开卡) — say so with its number. `scanning` / `onCheckPhone`:
 * the ways to verify a member found by card or phone number (the phone check only for a card number:
 * a member found by phone is verified by their code alone, docs/privacy.md).
 */
export function MemberCardScreen(props: { scan: ScanOutcome; joinedCardNo: string | null; scanning: CodeScanning; onCheckPhone?: () => void } & MemberActions) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const memberId = props.scan.member.id;
  const card = useLoad(() => call('member.card', { memberId }), [memberId]);
  const [redeeming, setRedeeming] = useState<BenefitView | null>(null);
  const [replacing, setReplacing] = useState(false);
  const [showingCode, setShowingCode] = useState(false);
  const shown = card.value !== null;
  // The core refuses spending for a member not verified here (PHONE_NOT_CONFIRMED): said before the tap.
  const needsCode = !props.scan.verified;
  useEffect(() => {
    if (shown) performance.mark('ld:member-card');
  }, [shown]);

  if (card.loading && !card.value) return <Loading />;
  if (!card.value) return <ErrorNote message={card.error} onRetry={card.reload} />;
  const c = card.value;
  return (
    <main className="screen member" data-screen="member">
      <MemberHeader card={c} scan={props.scan} joinedCardNo={props.joinedCardNo} />
      {needsCode && (
        <div className="needs-code" data-testid="needs-code">
          <span className="needs-mark">{t('ui.member.needsCode')}</span>
          {/* While it listens for the code, the help says what a scan will do (in the same place: the card keeps its height). */}
          <p data-testid={props.scanning.open ? 'needs-code-waiting' : undefined}>
            {t(props.scanning.open ? 'ui.member.scanCodeWaiting' : props.onCheckPhone ? 'ui.member.needsCodePhoneHelp' : 'ui.member.needsCodeHelp')}
          </p>
          {props.scanning.open ? (
            <button type="button" className="secondary" onClick={props.scanning.onClose} data-testid="needs-code-scan-close">
              {t('ui.member.scanCodeClose')}
            </button>
          ) : (
            <button type="button" className="secondary" onClick={props.scanning.onOpen} data-testid="needs-code-scan">
              {t('ui.member.scanCode')}
            </button>
          )}
          {props.onCheckPhone && (
            <button type="button" className="secondary" onClick={props.onCheckPhone} data-testid="needs-code-phone">
              {t('ui.member.checkPhone')}
            </button>
          )}
          {props.scanning.open && (
            <div className="needs-code-scan" data-testid="needs-code-scanning" role="status">
              <ErrorNote message={props.scanning.error} />
              <CameraView onCode={props.scanning.onCode} />
            </div>
          )}
        </div>
      )}
      {/* The actions sit above the benefits, which scroll in their own panel: nothing waits below the fold. */}
      <section className="benefits" aria-label={t('ui.member.benefits')}>
        <div className="benefits-head">
          <h2>{t('ui.member.benefits')}</h2>
          <nav className="member-actions">
            <SpendButton needsCode={needsCode} onClick={props.onExchange} testId="go-exchange" label={t('ui.member.exchange')} />
            <button type="button" className="secondary" onClick={props.onEarn} data-testid="go-earn">
              {t('ui.member.earn')}
            </button>
            <SpendButton needsCode={needsCode} onClick={props.onDonate} testId="go-donate" label={t('ui.member.donate')} />
            <button type="button" className="secondary" onClick={props.onReturn} data-testid="go-return">
              {t('ui.member.return')}
            </button>
            <button type="button" className="secondary" onClick={props.onHistory} data-testid="go-history">
              {t('ui.history.open')}
            </button>
            <button type="button" className="secondary" onClick={() => setReplacing(true)} data-testid="go-replace-card">
              {t('ui.member.replaceCard')}
            </button>
            {/* After 挂失补卡 and the sync that brought HQ's code: the new card's code, for a verified member only. */}
            {c.cardCode && <SpendButton needsCode={needsCode} onClick={() => setShowingCode(true)} testId="go-card-code" label={t('ui.member.cardCode')} />}
          </nav>
        </div>
        {c.benefits.length === 0 ? (
          <Empty>{t('ui.member.noBenefits')}</Empty>
        ) : (
          <ScrollPanel as="ul" className="benefit-list">
            {usableFirst(c.benefits).map((b) => (
              <BenefitRow key={b.id} benefit={b} needsCode={needsCode} onRedeem={() => setRedeeming(b)} />
            ))}
          </ScrollPanel>
        )}
      </section>
      {replacing && (
        <CardReplaceDialog
          memberId={memberId}
          onClose={(replaced) => {
            setReplacing(false);
            // The card now shows the new number.
            if (replaced) card.reload();
          }}
        />
      )}
      {showingCode && <CardCodeDialog memberId={memberId} onClose={() => setShowingCode(false)} />}
      {redeeming && (
        <RedeemDialog
          memberId={memberId}
          benefit={redeeming}
          onCancel={() => setRedeeming(null)}
          onDone={(r) => {
            setRedeeming(null);
            props.onRedeemed(r);
          }}
        />
      )}
    </main>
  );
}

/** What can be redeemed now comes first; the rest keep HQ's order, each saying why not. */
function usableFirst(benefits: BenefitView[]): BenefitView[] {
  return [...benefits.filter((b) => b.eligible), ...benefits.filter((b) => !b.eligible)];
}

/** `joinedCardNo`: 开卡成功 is said in the member's own panel, which has room, not as a row above the card (a 768-pixel window has none). */
function MemberHeader(props: { card: PublicMemberCard; scan: ScanOutcome; joinedCardNo: string | null }) {
  const { t } = useTranslation();
  const { lang, status } = useDesk();
  const tz = status?.tz ?? 'Asia/Shanghai';
  const { member, tier, points, notices } = props.card;
  const verified = props.scan.verified;
  const nextTier = tier.next;
  const visitsDone = tier.visits;
  const ratio =
    nextTier === null
      ? 1
      : Math.max(
          tier.visitsNeeded > 0 ? visitsDone / (visitsDone + tier.visitsNeeded) : 1,
          tier.spendNeededFen > 0 ? tier.spendFen / (tier.spendFen + tier.spendNeededFen) : 1,
        );
  const firstExpiry = points.expiring.lots[0];
  return (
    <section className="member-head" data-testid="member-card">
      <div className="member-who">
        <h1 data-testid="member-name">{verified ? member.name : member.maskedName}</h1>
        <div className="sub">
          {member.cardNo} · {member.maskedPhone}
        </div>
        <div className={verified ? 'verify ok' : 'verify warn'} data-testid="verified">
          {verified
            ? props.scan.via === 'code'
              ? t('ui.member.verifiedCode')
              : t('ui.member.verifiedPhone')
            : props.scan.via === 'phone'
              ? t('ui.member.unverifiedByPhone')
              : t('ui.member.unverified')}
        </div>
        {props.joinedCardNo && (
          <div className="joined" role="status" data-testid="joined">
            {t('ui.join.done', { cardNo: props.joinedCardNo })}
          </div>
        )}
        {member.status === 'revoked' && <div className="note error">{t('ui.member.revoked')}</div>}
      </div>
      <div className="tier">
        <span className={`tier-badge tier-${tier.code}`} data-testid="tier-badge">
          {t(`tier.${tier.code}`)}
        </span>
        <span className="sub">{t('ui.member.discount', { rate: formatPay(tier.payPermille, lang) })}</span>
        <div className="progress" role="progressbar" aria-label={t('ui.member.progressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(ratio * 100)}>
          <div className="progress-fill" style={{ width: `${Math.round(ratio * 100)}%` }} />
        </div>
        <div className="sub" data-testid="tier-progress">
          {nextTier === null
            ? t('ui.member.topTier')
            : t('ui.member.progress', { tier: t(`tier.${nextTier}`), visits: tier.visitsNeeded, spend: formatYuan(tier.spendNeededFen) })}
        </div>
        <div className="sub">{t('ui.member.window', { visits: tier.visits, spend: formatYuan(tier.spendFen) })}</div>
      </div>
      <div className="points">
        <div className="label">{t('ui.member.points')}</div>
        <div className="points-balance" data-testid="points-balance" data-points={points.balance}>
          {formatPoints(points.balance)}
        </div>
        <div className={points.expiring.total > 0 ? 'sub warn-text' : 'sub'} data-testid="points-expiring">
          {firstExpiry
            ? t('ui.member.expiring', { points: formatPoints(points.expiring.total), date: formatDate(firstExpiry.expiresAt, tz) })
            : t('ui.member.noExpiring')}
        </div>
        {notices.birthdayMonth && <div className="chip">{t('ui.member.birthdayMonth')}</div>}
        {notices.memberDay && <div className="chip">{t('ui.member.memberDay')}</div>}
        {props.card.offline && <div className="chip warn">{t('ui.member.offline')}</div>}
      </div>
    </section>
  );
}

/** 兑换 / 捐赠 for a member not verified: disabled, and the button itself says what it waits for. */
function SpendButton(props: { needsCode: boolean; onClick(): void; testId: string; label: string }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="secondary" onClick={props.onClick} disabled={props.needsCode} data-testid={props.testId} data-needs-code={props.needsCode}>
      {props.label}
      {props.needsCode && <span className="button-mark">{` · ${t('ui.member.needsCode')}`}</span>}
    </button>
  );
}

function BenefitRow(props: { benefit: BenefitView; needsCode: boolean; onRedeem(): void }) {
  const { t } = useTranslation();
  const { lang, tr, status } = useDesk();
  const b = props.benefit;
  const tz = status?.tz ?? 'Asia/Shanghai';
  return (
    <li className={b.eligible ? 'benefit eligible' : 'benefit refused'} data-testid={`benefit-${b.id}`} data-eligible={b.eligible}>
      <div className="benefit-main">
        <div className="benefit-name">{pick(b.name, lang)}</div>
        <div className="sub">
          {t(`benefitType.${b.type}`)}
          {b.valueFen !== null && b.valueFen > 0 && ` · ${t('ui.member.value', { value: formatYuan(b.valueFen) })}`}
          {` · ${t('ui.member.validTo', { date: formatDate(b.validTo, tz) })}`}
          {b.limit !== null && ` · ${t('ui.member.used', { used: b.used, limit: b.limit })}`}
        </div>
        {b.needsAmount && <div className="sub">{t('ui.member.needsAmount')}</div>}
        {b.reason && (
          <div className="why-not" data-testid="why-not">
            {tr.error(b.reason.code, b.reason.params)}
          </div>
        )}
      </div>
      {b.eligible && props.needsCode ? (
        <button type="button" className="primary big" disabled data-testid="redeem" data-needs-code="true">
          {t('ui.member.redeem')}
          <span className="button-mark">{` · ${t('ui.member.needsCode')}`}</span>
        </button>
      ) : b.eligible ? (
        <button type="button" className="primary big" onClick={props.onRedeem} data-testid="redeem">
          {t('ui.member.redeem')}
        </button>
      ) : (
        <span className="muted">{t('ui.member.unavailable')}</span>
      )}
    </li>
  );
}

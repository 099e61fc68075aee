// 开卡: staff type the member's phone twice, the name, optionally birthday and referrer; the core
// checks the form first (member.join without consent answers CONSENT_REQUIRED only when everything
// else is right), then the desk's screen is turned to the member for the privacy terms, full screen,
// with the version and 同意; the member's tap records the consent and opens the new card. A known
// phone (PHONE_TAKEN) offers its member, opened as a phone lookup opens one; a scanner burst while
// the form is open is the referrer's member code (App routes it here).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorBody } from '../../src/contract/errors';
import type { JoinResult, Lang, PrivacyTerms, PublicMember, ReferralRewardPreview } from '../../src/contract/terminalApi';
import { ErrorNote } from '../components/Notice';
import { useDesk } from '../desk';

interface Form {
  phone: string;
  phoneAgain: string;
  name: string;
  birthday: string;
  referrer: string;
}
const EMPTY: Form = { phone: '', phoneAgain: '', name: '', birthday: '', referrer: '' };

function TermsView(props: { terms: PrivacyTerms; busy: boolean; error: string | null; onAgree(): void; onBack(): void }) {
  const { t, i18n } = useTranslation();
  const lang = (i18n.language as Lang) in props.terms.text ? (i18n.language as Lang) : 'zh-CN';
  return (
    <div className="terms-view" role="dialog" aria-modal="true" aria-labelledby="terms-title" data-testid="terms-view">
      <h1 id="terms-title">{t('ui.join.termsTitle')}</h1>
      <p className="hint" data-testid="terms-version">{t('ui.join.termsVersion', { version: props.terms.version })}</p>
      <div className="terms-text" data-testid="terms-text" tabIndex={0}>
        {props.terms.text[lang].split('\n').map((line, i) => (
          <p key={i}>{line}</p>
        ))}
      </div>
      <ErrorNote message={props.error} />
      <div className="terms-actions">
        <button type="button" className="secondary big" onClick={props.onBack} disabled={props.busy} data-testid="terms-back">
          {t('ui.join.termsBack')}
        </button>
        <button type="button" className="primary big" onClick={props.onAgree} disabled={props.busy} data-testid="terms-agree" autoFocus>
          {props.busy ? t('ui.common.working') : t('ui.join.agree')}
        </button>
      </div>
    </div>
  );
}

/** A scanned code for the referrer field; `n` tells two scans of one code apart. */
export interface ReferrerScan {
  code: string;
  n: number;
}

export function JoinScreen(props: { onJoined(r: JoinResult): void; onBack(): void; onOpenMember(m: PublicMember): void; scanned: ReferrerScan | null }) {
  const { t } = useTranslation();
  const { call } = useDesk();
  const [form, setForm] = useState<Form>(EMPTY);
  const [busy, setBusy] = useState(false);
  // Kept as the core's code and params, worded in the language on screen now: a switch of language
  // rewords it instead of leaving an English sentence on a Chinese screen.
  const [failure, setFailure] = useState<ErrorBody | null>(null);
  const error = failure && t(`error.${failure.code}`, { ...failure.params, defaultValue: failure.message });
  const [terms, setTerms] = useState<PrivacyTerms | null>(null);
  // 老带新 as the rules give it: shown under the referrer field once one is named.
  const [reward, setReward] = useState<ReferralRewardPreview | null>(null);
  useEffect(() => {
    let live = true;
    void call('member.referralReward', {}).then((r) => {
      if (live && r.ok) setReward(r.value);
    });
    return () => {
      live = false;
    };
  }, [call]);
  // The number PHONE_TAKEN was about (the form may be edited after it).
  const [takenPhone, setTakenPhone] = useState<string | null>(null);

  // While the member reads the terms the form is not on screen: a scan then changes nothing.
  const scanned = props.scanned;
  const filledBy = useRef(scanned?.n ?? 0);
  useEffect(() => {
    if (!scanned || scanned.n === filledBy.current) return;
    filledBy.current = scanned.n;
    if (!terms) setForm((f) => ({ ...f, referrer: scanned.code }));
  }, [scanned, terms]);

  const input = (consentTermsVersion: number | null) => ({
    phone: form.phone,
    phoneAgain: form.phoneAgain,
    name: form.name,
    birthday: form.birthday.trim() === '' ? null : form.birthday.trim(),
    referrer: form.referrer.trim() === '' ? null : form.referrer.trim(),
    consentTermsVersion,
  });

  const send = async (consentTermsVersion: number | null) => {
    setBusy(true);
    setFailure(null);
    const r = await call('member.join', input(consentTermsVersion));
    if (r.ok) {
      setBusy(false);
      props.onJoined(r.value);
      return;
    }
    if (r.error.code === 'CONSENT_REQUIRED') {
      // Everything else is right: the member reads the terms HQ published (an outdated tap reads them again).
      const shown = await call('terms.current', {});
      setBusy(false);
      if (shown.ok && shown.value) {
        setTerms(shown.value);
        if (consentTermsVersion !== null) setFailure(r.error);
        return;
      }
      setFailure(shown.ok ? r.error : shown.error);
      return;
    }
    setBusy(false);
    setTerms(null);
    setTakenPhone(r.error.code === 'PHONE_TAKEN' ? form.phone : null);
    setFailure(r.error);
  };

  const openTaken = async () => {
    if (takenPhone === null) return;
    setBusy(true);
    // A phone lookup: the member is presented unverified (spending waits for their code).
    const r = await call('member.lookup', { phone: takenPhone });
    setBusy(false);
    if (r.ok) props.onOpenMember(r.value);
    else setFailure(r.error);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void send(null);
  };
  const field = (key: keyof Form, label: string, extra: { inputMode?: 'tel' | 'text' | 'numeric'; placeholder?: string; maxLength: number; required?: boolean }) => (
    <label className="form-row">
      <span>{label}</span>
      <input
        data-testid={`join-${key}`}
        value={form[key]}
        autoComplete="off"
        inputMode={extra.inputMode ?? 'text'}
        placeholder={extra.placeholder}
        maxLength={extra.maxLength}
        required={extra.required ?? false}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );

  if (terms) {
    return <TermsView terms={terms} busy={busy} error={error} onAgree={() => void send(terms.version)} onBack={() => (setTerms(null), setFailure(null))} />;
  }
  return (
    <main className="screen join" data-screen="join">
      <h1>{t('ui.join.title')}</h1>
      <ErrorNote message={error} />
      {failure?.code === 'PHONE_TAKEN' && takenPhone !== null && (
        <button type="button" className="primary big" onClick={() => void openTaken()} disabled={busy} data-testid="join-open-taken">
          {t('ui.join.openTaken', { cardNo: String(failure.params?.cardNo ?? '') })}
        </button>
      )}
      <form className="join-form" onSubmit={submit}>
        {field('phone', t('ui.join.phone'), { inputMode: 'tel', maxLength: 32, required: true })}
        {field('phoneAgain', t('ui.join.phoneAgain'), { inputMode: 'tel', maxLength: 32, required: true })}
        {field('name', t('ui.join.name'), { maxLength: 60, required: true })}
        {field('birthday', t('ui.join.birthday'), { inputMode: 'numeric', placeholder: t('ui.join.birthdayPlaceholder'), maxLength: 10 })}
        {field('referrer', t('ui.join.referrer'), { placeholder: t('ui.join.referrerPlaceholder'), maxLength: 512 })}
        {reward && form.referrer.trim() !== '' && (reward.referrerPoints > 0 || reward.refereePoints > 0) && (
          <p className="hint" data-testid="join-referral-reward">
            {t('ui.joinReward.preview', { referrer: reward.referrerPoints.toLocaleString('en-US'), referee: reward.refereePoints.toLocaleString('en-US') })}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="secondary big" onClick={props.onBack} data-testid="join-back">
            {t('ui.common.back')}
          </button>
          <button type="submit" className="primary big" disabled={busy} data-testid="join-submit">
            {busy ? t('ui.common.working') : t('ui.join.next')}
          </button>
        </div>
      </form>
    </main>
  );
}

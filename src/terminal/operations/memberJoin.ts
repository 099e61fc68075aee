// Sign-up at the desk (开卡, issue 17; docs/join.md): the member exists at once, offline too, with
// an id no other terminal can make (UUIDv7) and a card number from the block HQ reserved for this
// terminal. The terminal keeps the keyed hash and last four digits of the phone; the number itself
// goes to HQ once, in the sign-up's outbox event. One transaction: member, consent, welcome gifts,
// outbox event and audit entry, or nothing.
import { DeskError } from '../../contract/errors';
import type { JoinResult } from '../../contract/deskTypes';
import { checkJoinDetails } from '../../loyalty/memberJoin';
import { lastFour, maskedPhone, normalizePhone, phoneHash } from '../../loyalty/phone';
import { appendAudit } from '../../store/audit';
import { grantBenefit, listBenefits } from '../../store/benefits';
import { brandNameDisplay, brandPhoneKey } from '../../store/brand';
import { cardNumbersLeft, takeCardNo } from '../../store/cardBlocks';
import { insertConsent, insertJoinedMember } from '../../store/memberJoin';
import { getMember, membersByPhoneHash, type MemberRow } from '../../store/members';
import { appendOutbox } from '../../store/outbox';
import { enqueuePrint } from '../../store/printJobs';
import { getStoreName } from '../../store/stores';
import { currentTerms } from '../../store/terms';
import { MEMBER_JOINED_EVENT, type MemberJoined } from '../../sync/joinEvent';
import { cardTailOf } from '../../print/cardReplacedReceipt';
import { MEMBER_JOINED_JOB, type MemberJoinedReceipt } from '../../print/memberJoinedReceipt';
import { maskName } from '../../print/receiptModel';
import type { ServiceDeps } from './deps';
import { requireStaff } from './lookups';
import { summarize } from './memberCard';
import { scanMember } from './scan';

export interface JoinInput {
  phone: string;
  /** The number typed a second time: a typo in either is PHONE_MISMATCH, not a member nobody can find. */
  phoneAgain: string;
  name: string;
  birthday: string | null;
  /** The referrer as the desk has them: member id, card number, phone number or a scanned member code. */
  referrer: string | null;
  /** The terms version the member agreed to; null: not yet asked (CONSENT_REQUIRED names the version to show). */
  consentTermsVersion: number | null;
  staffId: string;
}

const MEMBER_ID = /^[A-Za-z0-9_-]{1,40}$/;

/** The member a referrer's text names, or REFERRER_UNKNOWN (the text is never echoed: it may be a phone number). */
function findReferrer(deps: ServiceDeps, text: string): MemberRow {
  const byId = MEMBER_ID.test(text) && normalizePhone(text) === null ? getMember(deps.db, text) : undefined;
  if (byId) return byId;
  try {
    // Phone, card number or member code: the scan path's own rules (a rotating code is marked seen).
    const found = getMember(deps.db, scanMember(deps, text).member.id);
    if (found) return found;
  } catch (err) {
    if (!(err instanceof DeskError)) throw err;
  }
  throw new DeskError('REFERRER_UNKNOWN');
}

/** The refusal a sign-up gets, in the order the desk can fix them; a refused sign-up writes nothing. */
function refuseDetails(input: JoinInput): { phone: string; name: string; birthday: string | null } {
  const d = checkJoinDetails({ phone: input.phone, phoneAgain: input.phoneAgain, name: input.name, birthday: input.birthday });
  if (d.ok) return d;
  if (d.code === 'MEMBER_NAME_INVALID') throw new DeskError('MEMBER_NAME_INVALID', { context: d.reason, max: 40 });
  if (d.code === 'PHONE_MISMATCH') throw new DeskError('PHONE_MISMATCH', { context: 'typedTwice' });
  throw new DeskError(d.code);
}

export function joinMember(deps: ServiceDeps, input: JoinInput): JoinResult {
  return deps.db
    .transaction((): JoinResult => {
      const { db } = deps;
      const now = deps.clock();
      const staff = requireStaff(deps, input.staffId);
      const details = refuseDetails(input);
      const key = brandPhoneKey(db);
      if (key === null) throw new DeskError('PHONE_LOOKUP_UNAVAILABLE');
      const hash = phoneHash(key, details.phone);
      const last4 = lastFour(details.phone);
      // One member per phone at this terminal: the desk is offered the member who has it.
      const holder = membersByPhoneHash(db, hash)[0];
      if (holder) {
        throw new DeskError('PHONE_TAKEN', { memberId: holder.id, cardNo: holder.card_no, maskedPhone: maskedPhone(holder.phone_last4), maskedName: maskName(holder.name) });
      }
      const referrer = input.referrer === null ? null : findReferrer(deps, input.referrer);
      const terms = currentTerms(db);
      if (terms === null) throw new DeskError('TERMS_UNAVAILABLE');
      if (cardNumbersLeft(db) === 0) throw new DeskError('CARD_BLOCK_EMPTY');
      // Asked last: a form the desk could still correct is refused before the member reads the terms.
      if (input.consentTermsVersion === null) throw new DeskError('CONSENT_REQUIRED', { version: terms.version });
      if (input.consentTermsVersion !== terms.version) throw new DeskError('CONSENT_REQUIRED', { context: 'outdated', version: terms.version });

      const cardNo = takeCardNo(db, now)!;
      const memberId = deps.newId();
      const joinId = deps.newId();
      const kept = brandNameDisplay(db) === 'masked' ? maskName(details.name) : details.name;
      insertJoinedMember(db, { id: memberId, cardNo, name: kept, phoneHash: hash, phoneLast4: last4, birthday: details.birthday, at: now });
      insertConsent(db, { memberId, joinId, termsVersion: terms.version, at: now, staffId: staff.id, referrerId: referrer?.id ?? null });
      // The first tier's welcome gift, as reaching any tier gives its own (HQ does the same).
      for (const b of listBenefits(db)) {
        if (b.params.type === 'tier_welcome' && b.params.tier === 'basic' && b.requiresGrant) grantBenefit(db, memberId, b.id, now, 'tier:basic');
      }
      const { storeId, terminalId } = deps.identity;
      const event: MemberJoined = {
        v: 1,
        joinId,
        memberId,
        cardNo,
        phone: details.phone,
        phoneHash: hash,
        name: details.name,
        birthday: details.birthday,
        referrerId: referrer?.id ?? null,
        termsVersion: terms.version,
        staffId: staff.id,
        storeId,
        terminalId,
        at: now,
      };
      const outboxSeq = appendOutbox(db, { id: deps.newId(), opId: null, type: MEMBER_JOINED_EVENT, payload: event, createdAt: now });
      // The audit entry names no phone digits: it outlives the outbox row.
      const audit = appendAudit(db, {
        at: now,
        actor: staff.id,
        action: 'member.joined',
        ref: memberId,
        data: { joinId, cardNo, termsVersion: terms.version, referrerId: referrer?.id ?? null, outboxSeq },
      });
      // The sign-up's slip, printed after commit like any receipt and reprinted from 今日业务.
      const slip: MemberJoinedReceipt = {
        v: 1,
        kind: MEMBER_JOINED_JOB,
        joinId,
        memberId,
        at: now,
        tz: deps.identity.tz,
        storeName: getStoreName(db, storeId) ?? { 'zh-CN': storeId, 'zh-TW': storeId, en: storeId },
        terminalId,
        staff: { id: staff.id, name: staff.name },
        member: { maskedName: maskName(details.name), maskedPhone: maskedPhone(last4) },
        cardTail: cardTailOf(cardNo),
        termsVersion: terms.version,
      };
      const printJobId = enqueuePrint(db, { opId: null, kind: MEMBER_JOINED_JOB, payload: slip, createdAt: now });
      return {
        member: summarize(getMember(db, memberId)!),
        printJobId,
        consent: { termsVersion: terms.version, at: now, staffId: staff.id },
        referrer: referrer && summarize(referrer),
        expectedReferralReward: referrer && { referrerPoints: deps.rules.referral.referrerPoints, refereePoints: deps.rules.referral.refereePoints },
        outboxSeq,
        auditSeq: audit.seq,
      };
    })
    .immediate();
}

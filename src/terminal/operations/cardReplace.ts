// 挂失补卡 (issue 17 item 3; docs/lostcard.md): with a manager's approval the member's lost card is
// replaced by the next number of this terminal's card block and the next serial. From that commit
// the old card's signed codes (older serial) and its number are CARD_SUPERSEDED here; HQ re-derives
// the event and publishes the replacement to every terminal. One transaction: member, replaced
// card, outbox event, audit entry and receipt, or nothing.
import { DeskError } from '../../contract/errors';
import type { CardReplacePreview, CardReplaceResult } from '../../contract/deskTypes';
import { maskedPhone } from '../../loyalty/phone';
import { CARD_REPLACED_JOB, cardTailOf, type CardReplacedReceipt } from '../../print/cardReplacedReceipt';
import { maskName } from '../../print/receiptModel';
import { appendAudit } from '../../store/audit';
import { peekCardNo, takeCardNo } from '../../store/cardBlocks';
import { getMember, type MemberRow } from '../../store/members';
import { appendOutbox } from '../../store/outbox';
import { enqueuePrint } from '../../store/printJobs';
import { moveToNewCard } from '../../store/replacedCards';
import { getStoreName } from '../../store/stores';
import { CARD_REPLACED_EVENT, type CardReplaced } from '../../sync/cardReplaceEvent';
import type { ServiceDeps } from './deps';
import { requireManager, requireMember, requireStaff } from './lookups';
import { summarize } from './memberCard';

export interface ReplaceCardInput {
  memberId: string;
  staffId: string;
  /** Who approves: a manager's PIN typed at the desk, the operator's --manager, or a manager acting alone. */
  approverId: string;
}

/** A revoked member gets no new card here: HQ revoked them, HQ reinstates them. */
function replaceableMember(deps: ServiceDeps, memberId: string): MemberRow {
  const member = requireMember(deps, memberId);
  if (member.status === 'revoked') throw new DeskError('REVOKED', { ref: memberId });
  return member;
}

export function previewReplaceCard(deps: ServiceDeps, memberId: string): CardReplacePreview {
  const member = replaceableMember(deps, memberId);
  const next = peekCardNo(deps.db);
  if (next === null) throw new DeskError('CARD_BLOCK_EMPTY');
  return { member: summarize(member), oldCardNo: member.card_no, newCardNo: next };
}

export function replaceCard(deps: ServiceDeps, input: ReplaceCardInput): CardReplaceResult {
  return deps.db
    .transaction((): CardReplaceResult => {
      const { db } = deps;
      const now = deps.clock();
      const staff = requireStaff(deps, input.staffId);
      const member = replaceableMember(deps, input.memberId);
      const manager = requireManager(deps, input.approverId);
      const newCardNo = takeCardNo(db, now);
      if (newCardNo === null) throw new DeskError('CARD_BLOCK_EMPTY');
      const newSerial = member.card_serial + 1;
      moveToNewCard(db, { memberId: member.id, oldCardNo: member.card_no, oldSerial: member.card_serial, newCardNo, newSerial, at: now });

      const replaceId = deps.newId();
      const { storeId, terminalId, tz } = deps.identity;
      const event: CardReplaced = {
        v: 1,
        replaceId,
        memberId: member.id,
        oldCardNo: member.card_no,
        oldSerial: member.card_serial,
        newCardNo,
        newSerial,
        staffId: staff.id,
        approvedBy: manager.id,
        storeId,
        terminalId,
        at: now,
      };
      const outboxSeq = appendOutbox(db, { id: deps.newId(), opId: null, type: CARD_REPLACED_EVENT, payload: event, createdAt: now });
      const audit = appendAudit(db, {
        at: now,
        actor: staff.id,
        action: 'card.replaced',
        ref: member.id,
        data: { replaceId, oldCardNo: member.card_no, newCardNo, newSerial, approvedBy: manager.id, outboxSeq },
      });
      const receipt: CardReplacedReceipt = {
        v: 1,
        kind: CARD_REPLACED_JOB,
        replaceId,
        memberId: member.id,
        at: now,
        tz,
        storeName: getStoreName(db, storeId) ?? { 'zh-CN': storeId, 'zh-TW': storeId, en: storeId },
        terminalId,
        staff: { id: staff.id, name: staff.name },
        approvedBy: { id: manager.id, name: manager.name },
        member: { maskedName: maskName(member.name), maskedPhone: maskedPhone(member.phone_last4) },
        oldCardTail: cardTailOf(member.card_no),
        newCardTail: cardTailOf(newCardNo),
      };
      const printJobId = enqueuePrint(db, { opId: null, kind: CARD_REPLACED_JOB, payload: receipt, createdAt: now });
      return {
        member: summarize(getMember(db, member.id)!),
        replaceId,
        oldCardNo: member.card_no,
        newCardNo,
        cardSerial: newSerial,
        approvedBy: { id: manager.id, name: manager.name },
        outboxSeq,
        auditSeq: audit.seq,
        printJobId,
      };
    })
    .immediate();
}

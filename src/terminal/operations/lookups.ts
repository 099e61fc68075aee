// Reads every operation starts with; each names what it could not find with a typed error.
import { DeskError } from '../../contract/errors';
import type { LocalizedText } from '../../loyalty/types';
import { maskName } from '../../print/receiptModel';
import { maskedPhone } from '../../loyalty/phone';
import { getMember, type MemberRow } from '../../store/members';
import { getStaff, type StaffRow } from '../../store/staff';
import { getStoreName } from '../../store/stores';
import { pointsBalanceOf } from './owedPoints';
import type { ServiceDeps } from './deps';
import type { ReceiptModel } from '../../contract/deskTypes';

export function requireMember(deps: ServiceDeps, id: string): MemberRow {
  const member = getMember(deps.db, id);
  if (!member) throw new DeskError('UNKNOWN_MEMBER', { ref: id });
  return member;
}

export function requireStaff(deps: ServiceDeps, id: string): StaffRow {
  const staff = getStaff(deps.db, id);
  if (!staff || staff.store_id !== deps.identity.storeId) throw new DeskError('UNKNOWN_STAFF', { ref: id });
  if (staff.active !== 1) throw new DeskError('STAFF_INACTIVE', { ref: id });
  return staff;
}

export function requireManager(deps: ServiceDeps, id: string): StaffRow {
  const staff = requireStaff(deps, id);
  if (staff.role !== 'manager') throw new DeskError('NOT_MANAGER', { ref: id });
  return staff;
}

export function pointsBalance(deps: ServiceDeps, memberId: string, now: number): number {
  return pointsBalanceOf(deps.db, memberId, now);
}

const FALLBACK_STORE_NAME = (id: string): LocalizedText => ({ 'zh-CN': id, 'zh-TW': id, en: id });

export interface ReceiptFacts {
  kind: ReceiptModel['kind'];
  opId: string;
  at: number;
  member: MemberRow;
  staff: StaffRow;
  approvedBy?: StaffRow | null;
  subject: ReceiptModel['subject'];
  valueFen: number;
  amountFen: number | null;
  pointsBefore: number;
  pointsAfter: number;
  targetOpId?: string | null;
  offline: boolean;
}

export function buildReceipt(deps: ServiceDeps, f: ReceiptFacts): ReceiptModel {
  const { storeId, terminalId, tz } = deps.identity;
  return {
    v: 1,
    kind: f.kind,
    opId: f.opId,
    at: f.at,
    tz,
    store: { id: storeId, name: getStoreName(deps.db, storeId) ?? FALLBACK_STORE_NAME(storeId) },
    terminalId,
    staff: { id: f.staff.id, name: f.staff.name },
    approvedBy: f.approvedBy ? { id: f.approvedBy.id, name: f.approvedBy.name } : null,
    member: { id: f.member.id, maskedName: maskName(f.member.name), maskedPhone: maskedPhone(f.member.phone_last4), tier: f.member.tier },
    subject: f.subject,
    valueFen: f.valueFen,
    amountFen: f.amountFen,
    pointsBefore: f.pointsBefore,
    pointsAfter: f.pointsAfter,
    targetOpId: f.targetOpId ?? null,
    offline: f.offline,
  };
}

// What a receipt says, as data: stored with the print job at commit, rendered (in the printer's
// language and code page) only when it prints, so a reprint says exactly what the first print said.
import type { LocalizedText, TierCode } from '../loyalty/types';
import type { OpKind } from '../store/operations';

export interface ReceiptModel {
  v: 1;
  kind: OpKind;
  opId: string;
  at: number;
  tz: string;
  store: { id: string; name: LocalizedText };
  terminalId: string;
  staff: { id: string; name: string };
  approvedBy: { id: string; name: string } | null;
  member: { id: string; maskedName: string; maskedPhone: string; tier: TierCode };
  /** The benefit, catalog item or drawn gift the operation is about. */
  subject: { id: string; name: LocalizedText } | null;
  valueFen: number;
  amountFen: number | null;
  pointsBefore: number;
  pointsAfter: number;
  /** For a void: the operation it undid. */
  targetOpId: string | null;
  offline: boolean;
  /** Set on a reprint's job: the receipt says COPY / 重印. Absent on rows written before it existed. */
  copy?: boolean;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: the first character only, so the receipt names no one. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '*';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 13812341234 → 138****1234. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

// The new card's member code after 挂失补卡 (docs/lostcard.md): the static code HQ signed for the
// member's current card and published with the replacement, as this terminal pulled it. The desk
// shows it for the member to photograph; the QR is made here (the renderer has no QR library), as
// modules the screen draws. Reads only; the session hands it to a verified member alone.
import QRCode from 'qrcode';
import type { MemberCardCode } from '../../contract/deskTypes';
import { signedCodeOfCurrentCard } from '../../store/replacedCards';
import type { ServiceDeps } from './deps';
import { requireMember } from './lookups';

export function memberCardCode(deps: ServiceDeps, memberId: string): MemberCardCode {
  const member = requireMember(deps, memberId);
  const text = signedCodeOfCurrentCard(deps.db, member.id);
  if (text === null) return { memberId: member.id, cardNo: member.card_no, code: null };
  // Error correction M, as `member-qr --png` and the kiosk slip draw it.
  const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
  let modules = '';
  for (let i = 0; i < size * size; i++) modules += data[i] ? '1' : '0';
  return { memberId: member.id, cardNo: member.card_no, code: { text, size, modules } };
}

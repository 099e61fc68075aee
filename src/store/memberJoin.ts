// A member created at this desk (开卡): the member row, as the sync would write it, and the consent
// that goes with it. No phone number: the keyed hash and the last four digits only (docs/privacy.md).
import type { Db } from './open';
import { stmt } from './statements';

export interface JoinedMember {
  id: string;
  cardNo: string;
  name: string;
  phoneHash: string;
  phoneLast4: string;
  birthday: string | null;
  at: number;
}

export interface Consent {
  memberId: string;
  joinId: string;
  termsVersion: number;
  at: number;
  staffId: string;
  referrerId: string | null;
}

export function insertJoinedMember(db: Db, m: JoinedMember): void {
  stmt(
    db,
    `INSERT INTO members(id, card_no, name, phone_hash, phone_last4, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'basic', ?, 1, 'active', ?, NULL, ?)`,
  ).run(m.id, m.cardNo, m.name, m.phoneHash, m.phoneLast4, m.birthday, m.at, m.at, m.at);
}

export function insertConsent(db: Db, c: Consent): void {
  stmt(db, 'INSERT INTO member_consents(member_id, join_id, terms_version, at, staff_id, referrer_id) VALUES (?, ?, ?, ?, ?, ?)').run(
    c.memberId,
    c.joinId,
    c.termsVersion,
    c.at,
    c.staffId,
    c.referrerId,
  );
}

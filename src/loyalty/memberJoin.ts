// What a sign-up (开卡) must say before anything is written, checked the same way at the desk and
// again at HQ (which believes no terminal): the phone typed twice is one mobile number, the name
// passes the staff-name rule (no control, bidi or invisible characters, never blank), the birthday
// is a real month and day. Refusals are data; the desk turns them into typed errors.
import { normalizePhone } from './phone';
import { checkStaffName, type StaffNameRefusal } from './staffName';

/** A member's name at the desk; HQ accepts up to 80 (the protocol's limit), as for staff. */
export const MEMBER_NAME_MAX_DESK = 40;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** MM-DD with a real month and day (02-29 included: a leap-day birthday is a birthday). */
export function isBirthday(text: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

export type JoinDetailsRefusal =
  | { code: 'PHONE_INVALID' }
  | { code: 'PHONE_MISMATCH' }
  | { code: 'MEMBER_NAME_INVALID'; reason: StaffNameRefusal }
  | { code: 'BIRTHDAY_INVALID' };

export type JoinDetails = { ok: true; phone: string; name: string; birthday: string | null } | ({ ok: false } & JoinDetailsRefusal);

/**
 * `phoneAgain`: the second typing at the desk (HQ, reading one number from the event, passes the
 * same). Both are normalized first, so 138 1234 5678 and +8613812345678 are one number.
 */
export function checkJoinDetails(
  given: { phone: string; phoneAgain: string; name: string; birthday: string | null },
  nameMax: number = MEMBER_NAME_MAX_DESK,
): JoinDetails {
  const phone = normalizePhone(given.phone);
  if (phone === null) return { ok: false, code: 'PHONE_INVALID' };
  if (normalizePhone(given.phoneAgain) !== phone) return { ok: false, code: 'PHONE_MISMATCH' };
  const name = checkStaffName(given.name, nameMax);
  if (!name.ok) return { ok: false, code: 'MEMBER_NAME_INVALID', reason: name.reason };
  if (given.birthday !== null && !isBirthday(given.birthday)) return { ok: false, code: 'BIRTHDAY_INVALID' };
  return { ok: true, phone, name: name.name, birthday: given.birthday };
}

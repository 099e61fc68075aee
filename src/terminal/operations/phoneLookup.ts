// A member found by the phone number they say ("报一下手机号"): the number is hashed under the
// brand's key and matched against the hashes HQ sent; the number itself is never stored or shown,
// and an error names only its last four digits (docs/privacy.md).
import { DeskError } from '../../contract/errors';
import { lastFour, normalizePhone, phoneHash } from '../../loyalty/phone';
import { brandPhoneKey } from '../../store/brand';
import { membersByPhoneHash, type MemberRow } from '../../store/members';
import type { ServiceDeps } from './deps';

/** The keyed hash of a typed number; PHONE_INVALID when it is not one, PHONE_LOOKUP_UNAVAILABLE before HQ sent the key. */
export function hashTypedPhone(deps: ServiceDeps, text: string): { hash: string; last4: string } {
  const e164 = normalizePhone(text);
  if (e164 === null) throw new DeskError('PHONE_INVALID');
  const key = brandPhoneKey(deps.db);
  if (key === null) throw new DeskError('PHONE_LOOKUP_UNAVAILABLE');
  return { hash: phoneHash(key, e164), last4: lastFour(e164) };
}

export function memberByPhone(deps: ServiceDeps, text: string): MemberRow {
  const { hash, last4 } = hashTypedPhone(deps, text);
  const rows = membersByPhoneHash(deps.db, hash);
  if (rows.length === 0) throw new DeskError('PHONE_UNKNOWN', { last4 });
  if (rows.length > 1) throw new DeskError('PHONE_AMBIGUOUS', { last4 });
  return rows[0]!;
}

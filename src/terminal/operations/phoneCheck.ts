// The phone check for a member found by card number: the member's whole phone number, compared
// through the brand's keyed hash (the terminal holds no number to compare with, and shows only the
// last four digits, so the clerk cannot read the answer off the screen or a receipt). Three wrong
// numbers per card and the card is locked for a while. Failures are kept in the database, not a
// session, so reloading the page or starting again gives a guesser no fresh tries.
import { DeskError } from '../../contract/errors';
import { sameSecret } from '../../loyalty/sameSecret';
import { getLockout, setLockout } from '../../store/staff';
import type { ServiceDeps } from './deps';
import { findMember } from './memberCard';
import { hashTypedPhone } from './phoneLookup';

/** Wrong phone numbers allowed per card before the desk must ask for the member's code instead. */
export const MAX_PHONE_FAILURES = 3;
const PHONE_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/**
 * Throws PHONE_CHECK_LOCKED or PHONE_MISMATCH (with the tries left); returns when the number matches.
 * Text that is not a phone number (PHONE_INVALID) is not a try: it cannot match any member.
 */
export function phoneCheckFor(deps: ServiceDeps, memberId: string, phone: string): void {
  const member = findMember(deps, { memberId });
  const now = deps.clock();
  const scope = `phone:${memberId}`;
  const lock = getLockout(deps.db, scope);
  if (lock.lockedUntil !== null && lock.lockedUntil > now) throw new DeskError('PHONE_CHECK_LOCKED', { ref: memberId });
  const { hash } = hashTypedPhone(deps, phone);
  // No hash yet (a member HQ has not sent since this terminal dropped the numbers): only the code verifies.
  if (member.phone_hash === null) throw new DeskError('PHONE_LOOKUP_UNAVAILABLE');
  const prior = lock.lockedUntil === null ? lock.failures : 0;
  if (!sameSecret(member.phone_hash, hash)) {
    const failures = prior + 1;
    if (failures >= MAX_PHONE_FAILURES) {
      setLockout(deps.db, scope, { failures: 0, lockedUntil: now + PHONE_FAILURE_WINDOW_MS });
      throw new DeskError('PHONE_CHECK_LOCKED', { ref: memberId });
    }
    setLockout(deps.db, scope, { failures, lockedUntil: null });
    throw new DeskError('PHONE_MISMATCH', { left: MAX_PHONE_FAILURES - failures });
  }
  if (prior > 0 || lock.lockedUntil !== null) setLockout(deps.db, scope, { failures: 0, lockedUntil: null });
}

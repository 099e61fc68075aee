// The phone check for a member found by card number: the last four digits of their phone, three
// wrong tries per card and the card is locked for a while. Failures are kept in the database, not a
// session, so reloading the page or starting again gives a guesser no fresh tries.
import { timingSafeEqual } from 'node:crypto';
import { DeskError } from '../../contract/errors';
import { getLockout, setLockout } from '../../store/staff';
import type { ServiceDeps } from './deps';
import { findMember } from './memberCard';

/** Wrong phone digits allowed per card before the desk must ask for the member's code instead. */
export const MAX_PHONE_FAILURES = 3;
const PHONE_FAILURE_WINDOW_MS = 15 * 60 * 1000;

function sameDigits(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throws PHONE_CHECK_LOCKED or PHONE_MISMATCH (with the tries left); returns when the digits match. */
export function phoneCheckFor(deps: ServiceDeps, memberId: string, last4: string): void {
  const member = findMember(deps, { memberId });
  const now = deps.clock();
  const scope = `phone:${memberId}`;
  const lock = getLockout(deps.db, scope);
  if (lock.lockedUntil !== null && lock.lockedUntil > now) throw new DeskError('PHONE_CHECK_LOCKED', { ref: memberId });
  const prior = lock.lockedUntil === null ? lock.failures : 0;
  if (!sameDigits(member.phone.slice(-4), last4)) {
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

// Staff sign-in by PIN. PINs are unique per store and hashed with scrypt under the store's salt,
// so one hash finds the person; five wrong PINs lock the pad for five minutes.
import { randomBytes, scryptSync } from 'node:crypto';
import { DeskError } from '../../contract/errors';
import { getMeta, setMeta } from '../../store/meta';
import type { Db } from '../../store/open';
import { getLockout, setLockout, staffByPinHash } from '../../store/staff';
import type { ServiceDeps } from './deps';
import { requireStaff } from './lookups';
import type { SignedInStaff, StaffRole } from '../../contract/deskTypes';
import { appendAudit } from '../../store/audit';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60 * 1000;
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, Buffer.from(salt, 'base64'), 32, SCRYPT).toString('base64');
}

export function storePinSalt(db: Db): string {
  let salt = getMeta(db, 'pin_salt');
  if (salt === null) {
    salt = randomBytes(16).toString('base64');
    setMeta(db, 'pin_salt', salt);
  }
  return salt;
}

/**
 * Checks a PIN against this store's staff; failures count toward the terminal's lockout. `accept`
 * narrows who may answer (a manager's approval): anyone else's PIN is refused as a wrong one and
 * counts the same, so the pad never tells a clerk's PIN from a wrong guess.
 */
function verifyPin(deps: ServiceDeps, pin: string, accept: (role: StaffRole) => boolean, refuse: (left: number) => DeskError): SignedInStaff {
  const scope = TERMINAL_SCOPE;
  const now = deps.clock();
  const lock = getLockout(deps.db, scope);
  if (lock.lockedUntil !== null && lock.lockedUntil > now) throw lockedOut(lock.lockedUntil, now);

  const salt = getMeta(deps.db, 'pin_salt');
  const staff = salt === null ? undefined : staffByPinHash(deps.db, deps.identity.storeId, hashPin(pin, salt));
  if (!staff || staff.active !== 1 || !accept(staff.role)) {
    const failures = (lock.lockedUntil !== null && lock.lockedUntil <= now ? 0 : lock.failures) + 1;
    if (failures >= MAX_PIN_FAILURES) {
      setLockout(deps.db, scope, { failures: 0, lockedUntil: now + LOCKOUT_MS });
      throw lockedOut(now + LOCKOUT_MS, now);
    }
    setLockout(deps.db, scope, { failures, lockedUntil: null });
    throw refuse(MAX_PIN_FAILURES - failures);
  }
  setLockout(deps.db, scope, { failures: 0, lockedUntil: null });
  return { id: staff.id, name: staff.name, role: staff.role };
}

const TERMINAL_SCOPE = 'terminal';

/** LOCKED_OUT with the time it lifts and the seconds left, so the pad can count down. */
function lockedOut(until: number, now: number): DeskError {
  const secondsLeft = Math.max(1, Math.ceil((until - now) / 1000));
  return new DeskError('LOCKED_OUT', { until, secondsLeft, minutesLeft: Math.ceil(secondsLeft / 60) });
}

export function checkPin(deps: ServiceDeps, pin: string): SignedInStaff {
  return verifyPin(deps, pin, () => true, (left) => new DeskError('WRONG_PIN', { left }));
}

/** A manager's PIN for an approval; a clerk's PIN is a wrong one (MANAGER_PIN_WRONG), counted the same. */
export function checkManagerPin(deps: ServiceDeps, pin: string): SignedInStaff {
  return verifyPin(deps, pin, (role) => role === 'manager', (left) => new DeskError('MANAGER_PIN_WRONG', { left }));
}

/** When the pad is locked: the instant it lifts; null when it is not locked. */
export function lockedUntil(deps: ServiceDeps, now: number): number | null {
  const lock = getLockout(deps.db, TERMINAL_SCOPE);
  return lock.lockedUntil !== null && lock.lockedUntil > now ? lock.lockedUntil : null;
}

/**
 * A manager lifts the lockout at once with their PIN (audited). Any other PIN at the unlock counts:
 * MAX_PIN_FAILURES of them start the five minutes again, so the unlock is no way around the lock.
 * With the pad not locked nothing is checked or written.
 */
export function liftLockout(deps: ServiceDeps, pin: string): { lifted: boolean; by: SignedInStaff | null } {
  const now = deps.clock();
  const lock = getLockout(deps.db, TERMINAL_SCOPE);
  if (lock.lockedUntil === null || lock.lockedUntil <= now) return { lifted: false, by: null };
  const salt = getMeta(deps.db, 'pin_salt');
  const staff = salt === null ? undefined : staffByPinHash(deps.db, deps.identity.storeId, hashPin(pin, salt));
  if (!staff || staff.active !== 1 || staff.role !== 'manager') {
    const failures = lock.failures + 1;
    if (failures >= MAX_PIN_FAILURES) {
      setLockout(deps.db, TERMINAL_SCOPE, { failures: 0, lockedUntil: now + LOCKOUT_MS });
      throw lockedOut(now + LOCKOUT_MS, now);
    }
    setLockout(deps.db, TERMINAL_SCOPE, { failures, lockedUntil: lock.lockedUntil });
    throw new DeskError('UNLOCK_PIN_WRONG', { left: MAX_PIN_FAILURES - failures, until: lock.lockedUntil });
  }
  deps.db.transaction(() => {
    setLockout(deps.db, TERMINAL_SCOPE, { failures: 0, lockedUntil: null });
    appendAudit(deps.db, { at: now, actor: staff.id, action: 'pin.unlocked', ref: null, data: { lockedUntil: lock.lockedUntil, unlockTries: lock.failures } });
  }).immediate();
  return { lifted: true, by: { id: staff.id, name: staff.name, role: staff.role } };
}

/** Staff named by id (the command line's --staff): active and of this store, else a typed refusal. */
export function staffById(deps: ServiceDeps, id: string): SignedInStaff {
  const staff = requireStaff(deps, id);
  return { id: staff.id, name: staff.name, role: staff.role };
}

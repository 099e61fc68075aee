// Staff sign-in by PIN. PINs are unique per store and hashed with scrypt under the store's salt,
// so one hash finds the person; five wrong PINs lock the pad for five minutes.
import { randomBytes, scryptSync } from 'node:crypto';
import { DeskError } from '../../contract/errors';
import { getMeta, setMeta } from '../../store/meta';
import type { Db } from '../../store/open';
import { getLockout, setLockout, staffByPinHash } from '../../store/staff';
import type { ServiceDeps } from './deps';
import { requireStaff } from './lookups';
import type { SignedInStaff } from '../../contract/deskTypes';

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

/** Checks a PIN against this store's staff; failures count toward the terminal's lockout. */
export function checkPin(deps: ServiceDeps, pin: string): SignedInStaff {
  const scope = 'terminal';
  const now = deps.clock();
  const lock = getLockout(deps.db, scope);
  if (lock.lockedUntil !== null && lock.lockedUntil > now) throw new DeskError('LOCKED_OUT', { until: lock.lockedUntil });

  const salt = getMeta(deps.db, 'pin_salt');
  const staff = salt === null ? undefined : staffByPinHash(deps.db, deps.identity.storeId, hashPin(pin, salt));
  if (!staff || staff.active !== 1) {
    const failures = (lock.lockedUntil !== null && lock.lockedUntil <= now ? 0 : lock.failures) + 1;
    if (failures >= MAX_PIN_FAILURES) {
      setLockout(deps.db, scope, { failures: 0, lockedUntil: now + LOCKOUT_MS });
      throw new DeskError('LOCKED_OUT', { until: now + LOCKOUT_MS });
    }
    setLockout(deps.db, scope, { failures, lockedUntil: null });
    throw new DeskError('WRONG_PIN', { left: MAX_PIN_FAILURES - failures });
  }
  setLockout(deps.db, scope, { failures: 0, lockedUntil: null });
  return { id: staff.id, name: staff.name, role: staff.role };
}

/** Staff named by id (the command line's --staff): active and of this store, else a typed refusal. */
export function staffById(deps: ServiceDeps, id: string): SignedInStaff {
  const staff = requireStaff(deps, id);
  return { id: staff.id, name: staff.name, role: staff.role };
}

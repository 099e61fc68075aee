// staff and lockouts.
import type { Db } from './open';
import { stmt } from './statements';
import { pepperPinHash } from './pinPepper';
import type { StaffRole } from '../contract/deskTypes';

export interface StaffRow {
  id: string;
  store_id: string;
  name: string;
  role: StaffRole;
  active: number;
}

const COLUMNS = 'id, store_id, name, role, active';

export function getStaff(db: Db, id: string): StaffRow | undefined {
  return stmt<[string], StaffRow>(db, `SELECT ${COLUMNS} FROM staff WHERE id = ? AND tombstone = 0`).get(id);
}

/** `pinHash`: the PIN's scrypt hash; the table holds it peppered (pinPepper.ts). */
export function staffByPinHash(db: Db, storeId: string, pinHash: string): StaffRow | undefined {
  return stmt<[string, string], StaffRow>(
    db,
    `SELECT ${COLUMNS} FROM staff WHERE store_id = ? AND pin_hash = ? AND tombstone = 0`,
  ).get(storeId, pepperPinHash(db, pinHash));
}

/** Sets a staff member's PIN (its scrypt hash, peppered here). */
export function setStaffPinHash(db: Db, id: string, pinHash: string, at: number): void {
  stmt(db, 'UPDATE staff SET pin_hash = ?, updated_at = ? WHERE id = ?').run(pepperPinHash(db, pinHash), at, id);
}

export function insertStaff(
  db: Db,
  s: { id: string; storeId: string; name: string; role: StaffRole; pinHash: string; at: number; origin?: 'hq' | 'local' },
): void {
  stmt(
    db,
    'INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at, origin) VALUES (?, ?, ?, ?, ?, 1, ?, ?)',
  ).run(s.id, s.storeId, s.name, s.role, pepperPinHash(db, s.pinHash), s.at, s.origin ?? 'hq');
}

export interface Lockout {
  failures: number;
  lockedUntil: number | null;
}

export function getLockout(db: Db, scope: string): Lockout {
  const row = stmt<[string], { failures: number; locked_until: number | null }>(
    db,
    'SELECT failures, locked_until FROM lockouts WHERE scope = ?',
  ).get(scope);
  return { failures: row?.failures ?? 0, lockedUntil: row?.locked_until ?? null };
}

export function setLockout(db: Db, scope: string, lockout: Lockout): void {
  stmt(
    db,
    `INSERT INTO lockouts(scope, failures, locked_until) VALUES (?, ?, ?)
     ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until`,
  ).run(scope, lockout.failures, lockout.lockedUntil);
}

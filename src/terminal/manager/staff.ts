// Staff management at the desk: the manager adds clerks, disables them and resets their PINs, each
// audited. Staff that HQ manages (synced from HQ) are shown but changed only at HQ.
import { DeskError } from '../../contract/errors';
import { checkStaffName, STAFF_NAME_MAX_DESK } from '../../loyalty/staffName';
import { appendAudit } from '../../store/audit';
import { actorOf, approvalData, requireActor, type ManagerAct } from './approval';
import type { Db } from '../../store/open';
import { getLockout, insertStaff, setLockout, setStaffPinHash, staffByPinHash } from '../../store/staff';
import { stmt } from '../../store/statements';
import type { ServiceDeps } from '../operations/deps';
import { requireManager } from '../operations/lookups';
import { hashPin, storePinSalt } from '../operations/staffAuth';
import type { StaffListEntry } from '../../contract/managerTypes';
import type { StaffRole } from '../../contract/deskTypes';

export function listStaff(db: Db, storeId: string): StaffListEntry[] {
  return stmt<[string], { id: string; name: string; role: StaffRole; active: number; origin: 'hq' | 'local' }>(
    db,
    'SELECT id, name, role, active, origin FROM staff WHERE store_id = ? AND tombstone = 0 ORDER BY origin, role DESC, name, id',
  )
    .all(storeId)
    .map((s) => ({ id: s.id, name: s.name, role: s.role, active: s.active === 1, origin: s.origin }));
}

function localStaff(deps: ServiceDeps, id: string): { id: string; name: string; active: number } {
  const row = stmt<[string, string], { id: string; name: string; active: number; origin: string }>(
    deps.db,
    'SELECT id, name, active, origin FROM staff WHERE id = ? AND store_id = ? AND tombstone = 0',
  ).get(id, deps.identity.storeId);
  if (!row) throw new DeskError('UNKNOWN_STAFF', { ref: id });
  if (row.origin !== 'local') throw new DeskError('STAFF_MANAGED_BY_HQ', { ref: id, name: row.name });
  return row;
}

/**
 * PINs must be unique in a store (a PIN alone says who signs in), so "already in use" tells the
 * manager that someone holds that PIN. Each such answer is audited, and after PROBE_LIMIT of them
 * the manager cannot set PINs for PROBE_LOCK_MS: trying PINs one by one to find a colleague's fails.
 */
const PROBE_LIMIT = 3;
const PROBE_LOCK_MS = 15 * 60_000;
const probeScope = (managerId: string) => `pin-probe:${managerId}`;

function refuseWhileLocked(deps: ServiceDeps, managerId: string, now: number): void {
  const lock = getLockout(deps.db, probeScope(managerId));
  if (lock.lockedUntil !== null && lock.lockedUntil > now) throw new DeskError('PIN_CHANGES_LOCKED', { until: lock.lockedUntil });
}

const PIN_TAKEN = Symbol('pin taken');

/** Audits the collision and counts it (this write commits); the caller throws after the commit. */
function recordCollision(deps: ServiceDeps, act: ManagerAct, now: number, ref: string | null): typeof PIN_TAKEN {
  const managerId = act.managerId;
  const lock = getLockout(deps.db, probeScope(managerId));
  const failures = (lock.lockedUntil !== null && lock.lockedUntil <= now ? 0 : lock.failures) + 1;
  const locked = failures >= PROBE_LIMIT;
  setLockout(deps.db, probeScope(managerId), { failures: locked ? 0 : failures, lockedUntil: locked ? now + PROBE_LOCK_MS : null });
  appendAudit(deps.db, { at: now, actor: actorOf(act), action: 'staff.pinInUse', ref, data: { attempt: failures, locked, ...approvalData(act) } });
  return PIN_TAKEN;
}

function pinTaken(deps: ServiceDeps, pinHash: string): boolean {
  return staffByPinHash(deps.db, deps.identity.storeId, pinHash) !== undefined;
}

function throwIfTaken<T>(deps: ServiceDeps, managerId: string, result: T | typeof PIN_TAKEN): T {
  if (result !== PIN_TAKEN) return result;
  const lock = getLockout(deps.db, probeScope(managerId));
  if (lock.lockedUntil !== null) throw new DeskError('PIN_CHANGES_LOCKED', { until: lock.lockedUntil });
  throw new DeskError('PIN_IN_USE', {});
}

/** The name as it is kept (NFC, trimmed), or STAFF_NAME_INVALID saying why not. */
function keptName(raw: string): string {
  const checked = checkStaffName(raw, STAFF_NAME_MAX_DESK);
  if (!checked.ok) throw new DeskError('STAFF_NAME_INVALID', { context: checked.reason, max: STAFF_NAME_MAX_DESK });
  return checked.name;
}

export function addClerk(deps: ServiceDeps, input: ManagerAct & { name: string; pin: string }): StaffListEntry {
  const result = deps.db.transaction((): StaffListEntry | typeof PIN_TAKEN => {
    requireManager(deps, input.managerId);
    requireActor(deps, input);
    const name = keptName(input.name);
    const now = deps.clock();
    refuseWhileLocked(deps, input.managerId, now);
    const pinHash = hashPin(input.pin, storePinSalt(deps.db));
    if (pinTaken(deps, pinHash)) return recordCollision(deps, input, now, null);
    const id = `local-${deps.newId()}`;
    insertStaff(deps.db, { id, storeId: deps.identity.storeId, name, role: 'clerk', pinHash, at: now, origin: 'local' });
    appendAudit(deps.db, { at: now, actor: actorOf(input), action: 'staff.add', ref: id, data: { name, role: 'clerk', ...approvalData(input) } });
    return { id, name, role: 'clerk', active: true, origin: 'local' };
  }).immediate();
  return throwIfTaken(deps, input.managerId, result);
}

export function setStaffActive(deps: ServiceDeps, input: ManagerAct & { staffId: string; active: boolean }): StaffListEntry {
  return deps.db.transaction((): StaffListEntry => {
    requireManager(deps, input.managerId);
    requireActor(deps, input);
    if (input.staffId === input.managerId || input.staffId === actorOf(input)) throw new DeskError('CANNOT_DISABLE_SELF', {});
    const row = localStaff(deps, input.staffId);
    const now = deps.clock();
    stmt(deps.db, 'UPDATE staff SET active = ?, updated_at = ? WHERE id = ?').run(input.active ? 1 : 0, now, row.id);
    appendAudit(deps.db, { at: now, actor: actorOf(input), action: input.active ? 'staff.enable' : 'staff.disable', ref: row.id, data: { name: row.name, ...approvalData(input) } });
    return { id: row.id, name: row.name, role: 'clerk', active: input.active, origin: 'local' };
  }).immediate();
}

export function resetStaffPin(deps: ServiceDeps, input: ManagerAct & { staffId: string; pin: string }): { id: string; ok: true } {
  const result = deps.db.transaction((): { id: string; ok: true } | typeof PIN_TAKEN => {
    requireManager(deps, input.managerId);
    requireActor(deps, input);
    const row = localStaff(deps, input.staffId);
    const now = deps.clock();
    refuseWhileLocked(deps, input.managerId, now);
    const pinHash = hashPin(input.pin, storePinSalt(deps.db));
    if (pinTaken(deps, pinHash)) return recordCollision(deps, input, now, row.id);
    setStaffPinHash(deps.db, row.id, pinHash, now);
    // The PIN itself is never written anywhere but as its hash.
    appendAudit(deps.db, { at: now, actor: actorOf(input), action: 'staff.resetPin', ref: row.id, data: { name: row.name, ...approvalData(input) } });
    return { id: row.id, ok: true };
  }).immediate();
  return throwIfTaken(deps, input.managerId, result);
}

// Who a manager action is recorded under. A clerk at the desk does the manager's work with the
// manager's approval (the manager's PIN typed at the manager area's pad, or the CLI's --manager):
// the action is the clerk's, the approval the manager's (issue 18: approval never swaps the
// signed-in clerk). A manager signed in acts alone: actor and approver are one person.
import { requireStaff } from '../operations/lookups';
import type { ServiceDeps } from '../operations/deps';

export interface ManagerAct {
  /** The manager who approves (checked an active manager of this store by each write). */
  managerId: string;
  /** Who acts, when not the manager: the signed-in clerk. */
  actorId?: string | undefined;
}

/** The audit entry's actor. */
export function actorOf(act: ManagerAct): string {
  return act.actorId ?? act.managerId;
}

/** What the audit entry's data adds: the approving manager, when someone else acted. */
export function approvalData(act: ManagerAct): { approvedBy?: string } {
  return act.actorId !== undefined && act.actorId !== act.managerId ? { approvedBy: act.managerId } : {};
}

/** The acting person, checked active and of this store (a clerk disabled since signing in is refused). */
export function requireActor(deps: ServiceDeps, act: ManagerAct): { id: string; name: string } {
  const s = requireStaff(deps, actorOf(act));
  return { id: s.id, name: s.name };
}

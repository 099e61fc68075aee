// The recovery key for the setup screen and the manager area (docs/backup.md): shown once, with
// the manager's approval, recorded in the audit log under who asked. The key itself is never kept.
import type { RecoveryKeyIssued } from '../../contract/managerTypes';
import { keyOfConnection } from '../../store/open';
import { issueRecoveryKey } from '../../store/recoveryKey';
import type { ServiceDeps } from '../operations/deps';
import { actorOf, requireActor, type ManagerAct } from './approval';

export function showRecoveryKey(deps: ServiceDeps, act: ManagerAct, renew: boolean): RecoveryKeyIssued {
  requireActor(deps, act);
  return issueRecoveryKey(deps.db, keyOfConnection(deps.db), { actor: actorOf(act), now: deps.clock(), renew });
}

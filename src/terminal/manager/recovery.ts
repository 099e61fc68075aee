// The recovery key for the setup screen and the manager area (docs/backup.md): shown once, with
// the manager's approval, recorded in the audit log under who asked. The key itself is never kept,
// and its sheet is printed only for the key in force (checked against the stored wrap).
import { DeskError } from '../../contract/errors';
import type { Printed, RecoveryKeyIssued } from '../../contract/managerTypes';
import { formatInstant } from '../../i18n';
import type { Lang } from '../../loyalty/types';
import { deliver } from '../../print/deliver';
import { renderEscPos } from '../../print/escpos';
import type { PrinterAllowance } from '../../print/printerPolicy';
import { layoutRecoverySheet } from '../../print/recoverySheet';
import { appendAudit } from '../../store/audit';
import { readIdentity } from '../../store/meta';
import { keyOfConnection, type Db } from '../../store/open';
import { isCurrentRecoveryKey, issueRecoveryKey, recoveryStatus } from '../../store/recoveryKey';
import type { ServiceDeps } from '../operations/deps';
import { actorOf, requireActor, type ManagerAct } from './approval';
import { printerSpec } from './printing';

export function showRecoveryKey(deps: ServiceDeps, act: ManagerAct, renew: boolean): RecoveryKeyIssued {
  requireActor(deps, act);
  return issueRecoveryKey(deps.db, keyOfConnection(deps.db), { actor: actorOf(act), now: deps.clock(), renew });
}

/** Prints the recovery key's sheet on the receipt printer; a key that is not the one in force is RECOVERY_KEY_INVALID. */
export async function printRecoverySheet(db: Db, o: { uri: string | null; allow: PrinterAllowance; lang: Lang; now: number; recoveryKey: string; actor: string }): Promise<Printed> {
  const identity = readIdentity(db);
  if (!identity) throw new DeskError('NOT_ENROLLED', {});
  if (!isCurrentRecoveryKey(db, keyOfConnection(db), o.recoveryKey)) throw new DeskError('RECOVERY_KEY_INVALID', {});
  const spec = printerSpec(o.uri, o.allow);
  const shownAt = recoveryStatus(db).shownAt ?? o.now;
  const doc = layoutRecoverySheet({ cols: spec.cols, lang: spec.lang ?? o.lang, storeId: identity.storeId, terminalId: identity.terminalId, at: formatInstant(shownAt, identity.tz), recoveryKey: o.recoveryKey.toUpperCase() });
  const d = await deliver(spec, renderEscPos(doc, { commandSet: spec.commandSet, encoding: spec.encoding }));
  // Who printed it and where, never the key.
  db.transaction(() => appendAudit(db, { at: o.now, actor: o.actor, action: 'recovery.printed', ref: null, data: { printer: spec.uri } })).immediate();
  return { printed: true, bytes: d.bytes, printerState: d.after.state, uri: spec.uri };
}

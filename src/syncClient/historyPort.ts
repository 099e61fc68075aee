// The desk's question to HQ about one member's operations elsewhere (docs/history.md). A short
// timeout: the clerk is waiting at the counter, and without HQ the desk shows this terminal's own.
import type { Db } from '../store/open';
import type { HqHistoryPort } from '../terminal/operations/memberHistory';
import { clientFor } from './syncRun';

export const HISTORY_TIMEOUT_MS = 2_500;

/** Reads HQ's address and credential at each ask, so a terminal enrolled while the desk runs is asked too. */
export function memberHistoryPort(db: Db, timeoutMs = HISTORY_TIMEOUT_MS): HqHistoryPort {
  return async (memberId) => (await clientFor(db, { timeoutMs }).history(memberId)).value;
}

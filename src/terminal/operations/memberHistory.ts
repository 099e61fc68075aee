// member.history: the member's recent operations — this terminal's from its own database, merged
// with HQ's answer for the other terminals when HQ answers in time (docs/history.md). HQ's answer is
// held in memory for this call only: nothing of it is written here.
import { DeskError } from '../../contract/errors';
import type { HistoryEntry, MemberHistory } from '../../contract/deskTypes';
import type { LocalizedText } from '../../loyalty/types';
import { DAY_MS } from '../../loyalty/time';
import { getBenefit, getCatalogItem } from '../../store/benefits';
import { localHistory, type LocalHistoryRow } from '../../store/memberHistory';
import { getStoreName } from '../../store/stores';
import { HISTORY_DAYS, MAX_HISTORY_OPERATIONS, type HistoryOperation, type HistoryResponse } from '../../sync/historyProtocol';
import type { ServiceDeps } from './deps';
import { requireMember } from './lookups';
import { returnQuote } from './returnPlan';

/** Asks HQ about one member (the host wires it to the sync client, with a short timeout). */
export type HqHistoryPort = (memberId: string) => Promise<HistoryResponse>;

type Offline = NonNullable<MemberHistory['offline']>;

/** Why HQ is not in the answer: not enrolled (the demo), not reachable in time, or it said no (RATE_LIMITED…). */
function offlineReason(err: unknown): Offline['reason'] {
  if (err instanceof DeskError && err.code === 'NO_HQ_CREDENTIAL') return 'no-hq';
  if (err instanceof DeskError && err.code === 'HQ_REFUSED') return 'refused';
  return 'unreachable';
}

async function askHq(port: HqHistoryPort | null, memberId: string): Promise<{ answer: HistoryResponse | null; offline: Offline | null }> {
  if (!port) return { answer: null, offline: { reason: 'no-hq' } };
  try {
    return { answer: await port(memberId), offline: null };
  } catch (err) {
    return { answer: null, offline: { reason: offlineReason(err) } };
  }
}

/** The benefit or catalog item it was about, named as this terminal holds it (every terminal holds both lists). */
function subjectOf(deps: ServiceDeps, benefitId: string | null, itemId: string | null): LocalizedText | null {
  if (benefitId) return getBenefit(deps.db, benefitId)?.name ?? null;
  if (itemId) return getCatalogItem(deps.db, itemId)?.name ?? null;
  return null;
}

/** A purchase of this terminal that a return (退货) would take now: the returns code says so, not this list. */
function returnableHere(deps: ServiceDeps, row: LocalHistoryRow, windowStart: number): boolean {
  if (row.kind !== 'earn' || row.voided === 1 || row.at < windowStart) return false;
  try {
    return returnQuote(deps, { opId: row.id }).refusal === null;
  } catch {
    // Not a purchase the returns code takes here (another store's, an unknown member): no 退货 offered.
    return false;
  }
}

function fromLocal(deps: ServiceDeps, row: LocalHistoryRow, windowStart: number, storeName: LocalizedText | null): HistoryEntry {
  return {
    opId: row.id,
    kind: row.kind,
    at: row.at,
    businessDate: row.business_date,
    storeId: row.store_id,
    storeName: row.store_id === deps.identity.storeId ? storeName : null,
    terminalId: row.terminal_id,
    here: true,
    points: row.points,
    amountFen: row.amount_fen,
    valueFen: row.value_fen,
    subject: subjectOf(deps, row.benefit_id, row.item_id),
    targetOpId: row.target_op_id,
    voided: row.voided === 1,
    returnedFen: row.returned_fen,
    hq: null,
    pendingSync: row.synced === 0,
    returnable: returnableHere(deps, row, windowStart),
  };
}

function fromHq(deps: ServiceDeps, op: HistoryOperation, storeName: LocalizedText | null): HistoryEntry {
  return {
    opId: op.opId,
    kind: op.kind,
    at: op.at,
    businessDate: op.businessDate,
    storeId: op.storeId,
    storeName: op.storeId === deps.identity.storeId ? storeName : null,
    terminalId: op.terminalId,
    here: op.terminalId === deps.identity.terminalId,
    points: op.points,
    amountFen: op.amountFen,
    valueFen: op.valueFen,
    subject: subjectOf(deps, op.benefitId, op.itemId),
    targetOpId: op.targetOpId,
    voided: op.voided,
    returnedFen: op.returnedFen,
    hq: op.status,
    pendingSync: false,
    returnable: false,
  };
}

/**
 * One list by op id. For an operation both sides hold, HQ's points and status stand, and its voided
 * and returned state too — joined with this terminal's, because a void or return recorded here may
 * not have reached HQ yet: a void is never undone and returns only add up, so the later knowledge wins.
 */
function merge(local: HistoryEntry[], hq: HistoryEntry[]): HistoryEntry[] {
  const byId = new Map<string, HistoryEntry>(hq.map((e) => [e.opId, e]));
  for (const mine of local) {
    const theirs = byId.get(mine.opId);
    if (!theirs) {
      byId.set(mine.opId, mine);
      continue;
    }
    const voided = theirs.voided || mine.voided;
    const returnedFen = Math.max(theirs.returnedFen, mine.returnedFen);
    byId.set(mine.opId, {
      ...mine,
      points: theirs.points,
      voided,
      returnedFen,
      hq: theirs.hq,
      pendingSync: false,
      returnable: mine.returnable && !voided && returnedFen < (mine.amountFen ?? 0),
    });
  }
  return [...byId.values()].sort((a, b) => b.at - a.at || (a.opId < b.opId ? 1 : -1)).slice(0, MAX_HISTORY_OPERATIONS);
}

export async function memberHistory(deps: ServiceDeps, memberId: string, port: HqHistoryPort | null): Promise<MemberHistory> {
  requireMember(deps, memberId);
  const { answer, offline } = await askHq(port, memberId);
  // Read after HQ answered, so an operation recorded here meanwhile is in the list too.
  return deps.db.transaction((): MemberHistory => {
    const now = deps.clock();
    const since = now - HISTORY_DAYS * DAY_MS;
    const windowStart = now - deps.rules.returns.windowDays * DAY_MS;
    const storeName = getStoreName(deps.db, deps.identity.storeId);
    const local = localHistory(deps.db, memberId, deps.identity.terminalId, since, MAX_HISTORY_OPERATIONS).map((r) => fromLocal(deps, r, windowStart, storeName));
    const remote = answer ? answer.operations.map((op) => fromHq(deps, op, storeName)) : [];
    return { memberId, source: answer ? 'with-hq' : 'terminal-only', offline, since, days: HISTORY_DAYS, entries: merge(local, remote) };
  })();
}

// The manager's day-end: sync with HQ when it answers (push the outbox, pull changes), then close
// the business day — write off expired points and keep the Z-report — in one transaction. With HQ
// unreachable the day still closes, locally, and says how many events wait for the next sync.
import { DeskError } from '../../contract/errors';
import { businessDate } from '../../loyalty/time';
import { appendAudit } from '../../store/audit';
import { checkAuditAnchor } from '../../store/auditChecks';
import { expiringLots, getClosedDay, insertClosedDay, insertExpiry, listClosedDays, markClosedDaysSynced, nextDayNumber } from '../../store/dayEnd';
import { pendingOutboxCount } from '../../store/outbox';
import type { ServiceDeps } from '../operations/deps';
import { memberPopulation } from './kpis';
import { requireManager } from '../operations/lookups';
import { approvalData, requireActor } from './approval';
import { checkBusinessDate, computeDayReport, dayBounds, dayReport } from './zReport';
import type { ExpirySweep, DayEndProgress, DayEndResult, DayReport } from '../../contract/managerTypes';

/** Writes off lots expired by `cutoff` under `date`; the caller holds the transaction. */
export function sweepExpiredPoints(deps: ServiceDeps, date: string, cutoff: number, now: number): ExpirySweep {
  let points = 0;
  const lots = expiringLots(deps.db, cutoff);
  for (const lot of lots) {
    insertExpiry(deps.db, { lotId: lot.lotId, memberId: lot.memberId, points: lot.remaining, expiredAt: lot.expiresAt, businessDate: date, sweptAt: now });
    points += lot.remaining;
  }
  return { lots: lots.length, points };
}

export interface ClosedDay {
  report: DayReport;
  /** The day was already closed: nothing was written, the kept report is returned. */
  alreadyClosed: boolean;
  expiry: ExpirySweep;
}

/**
 * Closes a business day (today when no date): expired points written off, the report computed and
 * kept with its number, the closing audited — all or nothing. Closing a closed day returns its report.
 */
export function closeDay(deps: ServiceDeps, input: { date?: string | undefined; staffId: string; actorId?: string | undefined }): ClosedDay {
  return deps.db.transaction((): ClosedDay => {
    const now = deps.clock();
    const { tz } = deps.identity;
    const date = checkBusinessDate(input.date ?? businessDate(now, tz), now, tz);
    const manager = requireManager(deps, input.staffId);
    const act = { managerId: input.staffId, actorId: input.actorId };
    const closer = requireActor(deps, act);
    const approved = approvalData(act).approvedBy === undefined ? null : { id: manager.id, name: manager.name };
    if (getClosedDay(deps.db, date)) return { report: dayReport(deps, date), alreadyClosed: true, expiry: { lots: 0, points: 0 } };

    // Lots expiring later today are still usable: only what has expired by now (or by the day's end,
    // for a past day) is written off, and the rest at the next day-end.
    const cutoff = Math.min(now, dayBounds(date, tz).end);
    const expiry = sweepExpiredPoints(deps, date, cutoff, now);
    const number = nextDayNumber(deps.db);
    const report: DayReport = { ...computeDayReport(deps, date), number, closed: true, closedAt: now, closedBy: closer.id, closedByName: closer.name, closeApprovedBy: approved };
    const stats = JSON.stringify(memberPopulation(deps.db, cutoff));
    insertClosedDay(deps.db, { date, number, closedAt: now, closedBy: closer.id, synced: report.synced, reportJson: JSON.stringify(report), statsJson: stats });
    appendAudit(deps.db, {
      at: now,
      actor: closer.id,
      action: 'day.closed',
      ref: date,
      data: {
        number,
        redemptions: report.redemptions.count,
        valueFen: report.redemptions.valueFen,
        points: report.points,
        voids: report.voids.length,
        pending: report.pending,
        expiredLots: expiry.lots,
        ...approvalData(act),
      },
    });
    return { report, alreadyClosed: false, expiry };
  }).immediate();
}

/** How far a sync got, as the day-end's progress bar needs it (src/syncClient/syncRun.ts reports more). */
export interface SyncPortProgress {
  phase: 'push' | 'pull' | 'done';
  pushed: number;
  toPush: number;
  pulled: number;
  pages: number;
}

/** "Sync now", as the host provides it (its sync loop, or the CLI's one-shot sync). */
export type SyncPort = (onProgress: (p: SyncPortProgress) => void) => Promise<{ pushed: number; duplicates: number; pulled: number; pages: number; conflicts: number }>;

// One day-end at a time per terminal database; a second request joins the running one, and any
// window can ask how far it got.
const running = new WeakMap<object, { date: string; progress: DayEndProgress; done: Promise<DayEndResult> }>();

export function dayEndProgress(deps: ServiceDeps): DayEndProgress | null {
  return running.get(deps.db)?.progress ?? null;
}

export function runDayEnd(deps: ServiceDeps, input: { staffId: string; actorId?: string | undefined; date?: string; sync: SyncPort | null; onProgress?: (p: DayEndProgress) => void }): Promise<DayEndResult> {
  requireManager(deps, input.staffId);
  const date = input.date ?? businessDate(deps.clock(), deps.identity.tz);
  const current = running.get(deps.db);
  // The same day asked for twice joins the running day-end; another day waits for it to finish.
  if (current) return current.date === date ? current.done : current.done.catch(() => undefined).then(() => runDayEnd(deps, input));
  const progress: DayEndProgress = { step: 'sync', pushed: 0, toPush: pendingOutboxCount(deps.db), pulled: 0, pages: 0, startedAt: deps.clock() };
  const tell = (patch: Partial<DayEndProgress>): void => {
    Object.assign(progress, patch);
    input.onProgress?.({ ...progress });
  };
  const done = (async (): Promise<DayEndResult> => {
    let sync: DayEndResult['sync'];
    if (input.sync === null) {
      sync = { ok: false, error: { code: 'NO_HQ_CREDENTIAL', params: {} } };
    } else {
      tell({ step: 'sync' });
      try {
        const s = await input.sync((p) => {
          if (p.phase === 'push') tell({ step: 'push', pushed: p.pushed, toPush: Math.max(p.toPush, progress.toPush) });
          else if (p.phase === 'pull') tell({ step: 'pull', pulled: p.pulled, pages: p.pages });
        });
        sync = { ok: true, pushed: s.pushed, duplicates: s.duplicates, pulled: s.pulled, pages: s.pages, conflicts: s.conflicts };
        tell({ pushed: s.pushed + s.duplicates, pulled: s.pulled, pages: s.pages });
      } catch (err) {
        const e = err instanceof DeskError ? err : new DeskError('HQ_ERROR', { detail: err instanceof Error ? err.message : String(err) });
        sync = { ok: false, error: { code: e.code, params: e.params as Record<string, string | number> } };
      }
    }
    tell({ step: 'close' });
    const closed = closeDay(deps, { staffId: input.staffId, actorId: input.actorId, date: input.date });
    if (sync.ok) deps.db.transaction(() => markClosedDaysSynced(deps.db, deps.clock())).immediate();
    tell({ step: 'done' });
    // The anchor check is one lookup; the whole chain walk stays doctor's (it reads every entry).
    const anchor = checkAuditAnchor(deps.db);
    const auditProblem = anchor.problem ? { code: anchor.problem, params: { seq: anchor.anchor?.seq ?? 0 } } : null;
    return { ...closed, report: dayReport(deps, closed.report.date), sync, waiting: pendingOutboxCount(deps.db), progress: { ...progress }, auditProblem };
  })();
  running.set(deps.db, { date, progress, done });
  void done.finally(() => running.delete(deps.db)).catch(() => undefined);
  return done;
}

/** The closed business days, newest first, as the manager's list shows them. */
export function closedDays(deps: ServiceDeps, limit: number): { date: string; number: number; closedAt: number; synced: boolean }[] {
  return listClosedDays(deps.db, limit).map((d) => ({ date: d.date, number: d.number, closedAt: d.closedAt, synced: d.synced }));
}

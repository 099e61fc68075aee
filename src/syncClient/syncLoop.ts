// Background sync: sync whenever HQ answers, back off exponentially with full jitter when it does
// not, and publish the state the UI shows (online, pending count, last sync, clock skew).
import type { ErrorCode } from '../contract/errors';
import { DeskError } from '../contract/errors';
import type { Connectivity } from '../terminal/operations/deps';
import { getMeta } from '../store/meta';
import type { Db } from '../store/open';
import { clearSyncFailure, readSyncFailure, recordSyncFailure } from '../store/opsFailures';
import { pendingOutboxCount } from '../store/outbox';
import { SKEW_WARN_MS } from '../sync/protocol';
import { syncOnce, type SyncOptions, type SyncProgress, type SyncSummary } from './syncRun';
import { logSync } from './syncLog';
import type { Logger } from '../log/port';

export interface SyncState {
  online: boolean;
  syncing: boolean;
  pending: number;
  lastSyncAt: number | null;
  lastError: { code: ErrorCode; params: Record<string, string | number> } | null;
  skewMs: number | null;
  skewWarning: boolean;
  failures: number;
  nextAttemptAt: number | null;
}

export interface SyncLoopOptions extends SyncOptions {
  /** Between successful syncs (default 30 s). */
  intervalMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  onState?: (s: SyncState) => void;
  /** One line per sync: what went each way, or why it failed. */
  log?: Logger;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base·2^failures)). */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30));
  return Math.floor(random() * cap);
}

export interface SyncLoop {
  state(): SyncState;
  /** What the terminal service reads: online while the last attempt reached HQ. */
  connectivity(): Connectivity;
  syncNow(onProgress?: (p: SyncProgress) => void): Promise<SyncSummary>;
  stop(): Promise<void>;
}

export function startSyncLoop(db: Db, options: SyncLoopOptions = {}): SyncLoop {
  const interval = options.intervalMs ?? 30_000;
  const base = options.baseBackoffMs ?? 1_000;
  const max = options.maxBackoffMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const lastSync = getMeta(db, 'last_sync_at');
  let state: SyncState = {
    online: false,
    syncing: false,
    pending: pendingOutboxCount(db),
    lastSyncAt: lastSync === null ? null : Number(lastSync),
    lastError: null,
    skewMs: null,
    skewWarning: false,
    failures: 0,
    nextAttemptAt: null,
  };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<SyncSummary> | null = null;
  let stopped = false;

  const publish = (patch: Partial<SyncState>) => {
    state = { ...state, ...patch };
    options.onState?.(state);
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    publish({ nextAttemptAt: now() + delay });
    timer = setTimeout(() => void run().catch(() => undefined), delay);
    timer.unref();
  };

  /** The streak of failures, kept for doctor ("failing since"); a closed database (shutting down) keeps nothing. */
  const remember = (err: unknown | null) => {
    try {
      if (err === null) {
        if (readSyncFailure(db) !== null) clearSyncFailure(db);
      } else recordSyncFailure(db, err, now());
    } catch {
      // The state the UI reads is published either way.
    }
  };

  async function attempt(onProgress?: (p: SyncProgress) => void): Promise<SyncSummary> {
    publish({ syncing: true, pending: pendingOutboxCount(db) });
    const started = Date.now();
    try {
      const summary = await logSync(options.log, started, syncOnce(db, { ...options, onProgress: onProgress ?? options.onProgress }));
      remember(null);
      publish({ online: true, syncing: false, pending: summary.pending, lastSyncAt: summary.lastSyncAt, lastError: null, skewMs: summary.skewMs, skewWarning: summary.skewWarning, failures: 0 });
      schedule(interval);
      return summary;
    } catch (err) {
      const code: ErrorCode = err instanceof DeskError ? err.code : 'INTERNAL';
      const params = err instanceof DeskError ? err.params : { detail: err instanceof Error ? err.message : String(err) };
      // "Online" is what lifts the offline risk limits, so it means "syncing succeeds", not "HQ
      // answers": an HQ that refuses or answers 500 takes none of our operations either.
      const failures = state.failures + 1;
      remember(err);
      publish({ online: false, syncing: false, pending: pendingOutboxCount(db), lastError: { code, params }, failures });
      schedule(backoffDelay(failures, base, max, random));
      throw err;
    }
  }

  function run(onProgress?: (p: SyncProgress) => void): Promise<SyncSummary> {
    if (!running) running = attempt(onProgress).finally(() => (running = null));
    return running;
  }

  schedule(0);
  return {
    state: () => state,
    connectivity: () => ({ online: state.online }),
    syncNow: (onProgress) => run(onProgress),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}

export { SKEW_WARN_MS };

// One sync's line in the log, for the background loop and the `sync` command alike: counts each
// way and the time taken, or the failure's code; never the HQ address, the credential or a row.
import { DeskError } from '../contract/errors';
import type { Logger } from '../log/port';
import type { SyncSummary } from './syncRun';

export async function logSync<T extends SyncSummary>(log: Logger | undefined, started: number, run: Promise<T>): Promise<T> {
  const line = log?.withRequest();
  try {
    const s = await run;
    line?.log('info', 'sync.done', {
      ms: Date.now() - started,
      pushed: s.pushed,
      pulled: s.pulled,
      pages: s.pages,
      refused: s.refused,
      conflicts: s.conflicts,
      setAside: s.setAside,
      pending: s.pending,
    });
    return s;
  } catch (err) {
    line?.log('warn', 'sync.failed', { ms: Date.now() - started, code: err instanceof DeskError ? err.code : 'INTERNAL' });
    throw err;
  }
}

// One sync's line in the log, for the background loop and the `sync` command alike: counts each
// way and the time taken, or the failure: its code and, for IT, why (closed list), HQ's status and
// refusal code, HQ's origin and HQ's or the network's words made to fit a bounded shape (the screens
// and doctor say the failure in words and keep none of these). Never the credential or a row.
import { DeskError } from '../contract/errors';
import type { LogFields } from '../log/fields';
import type { Logger } from '../log/port';
import { sqliteWords } from '../store/sqliteWords';
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
    line?.log('warn', 'sync.failed', { ms: Date.now() - started, code: err instanceof DeskError ? err.code : 'INTERNAL', ...forIt(err) });
    throw err;
  }
}

/** The origin of HQ's address (no user, no path, no query), or nothing when it does not parse. */
function originOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** What a failed sync keeps for IT; the log's field table checks each shape again. */
export function forIt(err: unknown): Pick<LogFields, 'why' | 'status' | 'hqCode' | 'hqUrl' | 'hqDetail'> {
  if (!(err instanceof DeskError)) return {};
  const p = err.params;
  const out: Pick<LogFields, 'why' | 'status' | 'hqCode' | 'hqUrl' | 'hqDetail'> = {};
  if (typeof p.why === 'string') out.why = p.why as NonNullable<LogFields['why']>;
  if (typeof p.status === 'number') out.status = p.status;
  if (typeof p.hqCode === 'string') out.hqCode = p.hqCode;
  const origin = originOf(p.url);
  if (origin) out.hqUrl = origin;
  // The same shape as SQLite's words (printable ASCII, bounded, no long runs of digits or letters).
  if (typeof p.detail === 'string' && p.detail.trim() !== '') out.hqDetail = sqliteWords([p.detail]);
  return out;
}

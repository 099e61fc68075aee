// The durable print queue worker: unprinted jobs in order, each rendered from its stored receipt
// model at print time, sent with status checks, then marked printed — or kept with the reason and
// a retry time. The operation is never touched: a receipt that cannot print simply waits.
import { CARD_REPLACED_JOB, layoutCardReplacedJob } from './cardReplacedReceipt';
import { layoutMemberJoinedJob, MEMBER_JOINED_JOB } from './memberJoinedReceipt';
import { DeskError } from '../contract/errors';
import { ioReason } from '../contract/ioReason';
import type { Lang } from '../loyalty/types';
import type { Db } from '../store/open';
import { claimPrintJob, markPrintJobFailed, markPrintJobPrinted, type QueuedJob } from '../store/printJobs';
import { DEFAULT_TIMEOUTS, deliver, type DeliveryTimeouts } from './deliver';
import { renderEscPos } from './escpos';
import { layoutReceipt } from './layout';
import type { PrinterSpec } from './printerUri';
import { parseReceiptModel } from './receiptSchema';
import { layoutSlipJob } from './slip';
import type { DevicePrinterState as PrinterState } from '../contract/deskTypes';

export interface Backoff {
  baseMs: number;
  maxMs: number;
  /** After this many attempts automatic retries stop (status 'failed'; still offered at start). */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 5 * 60_000, maxAttempts: 12 };

export function nextAttemptDelay(attempts: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempts - 1));
}

export interface QueueOptions {
  spec: PrinterSpec;
  /** The terminal's language, used when the printer address names none. */
  lang: Lang;
  clock?: () => number;
  jobId?: number;
  ignoreBackoff?: boolean;
  maxJobs?: number;
  leaseMs?: number;
  timeouts?: DeliveryTimeouts;
  backoff?: Backoff;
}

/** Failures of the link itself: the printer is, as far as staff can tell, not answering. */
const LINK_ERRORS = new Set<string>(['PRINTER_UNREACHABLE', 'PRINTER_PORT_MISSING', 'PRINTER_NOT_ANSWERING', 'PRINTER_WRITE_FAILED']);

/** print_jobs.last_error: the code, then its parameters as JSON, so the reason can be said again in any language. */
export function formatLastError(code: string, params: object): string {
  return `${code} ${JSON.stringify(params)}`;
}

export function parseLastError(text: string): { code: string; params: Record<string, string | number> } {
  const space = text.indexOf(' ');
  const code = (space < 0 ? text : text.slice(0, space)).replace(/:$/, '');
  try {
    const params: unknown = space < 0 ? {} : JSON.parse(text.slice(space + 1));
    return { code, params: typeof params === 'object' && params !== null ? (params as Record<string, string | number>) : {} };
  } catch {
    return { code, params: { detail: text.slice(space + 1) } };
  }
}

export interface JobOutcome {
  jobId: number;
  opId: string | null;
  status: 'printed' | 'pending' | 'failed';
  printerState: PrinterState | null;
  attempts: number;
  error?: { code: string; params: Record<string, string | number> };
  bytes?: number;
}

export function renderJob(job: QueuedJob, spec: PrinterSpec, lang: Lang): Buffer {
  // A kiosk benefit slip (kind 'slip', no operation) has its own model and layout (slip.ts).
  const doc =
    job.kind === 'slip'
      ? layoutSlipJob(job.payload, spec.cols)
      : job.kind === CARD_REPLACED_JOB
        ? layoutCardReplacedJob(job.payload, spec.cols, spec.lang ?? lang)
        : job.kind === MEMBER_JOINED_JOB
          ? layoutMemberJoinedJob(job.payload, spec.cols, spec.lang ?? lang)
          : layoutReceipt(parseReceiptModel(job.payload), { cols: spec.cols, lang: spec.lang ?? lang, synced: job.opSynced });
  return renderEscPos(doc, { commandSet: spec.commandSet, encoding: spec.encoding });
}

/** Prints due jobs oldest first; stops at the first printer fault (the rest would meet it too). */
export async function runPrintQueue(db: Db, opts: QueueOptions): Promise<JobOutcome[]> {
  const clock = opts.clock ?? Date.now;
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const outcomes: JobOutcome[] = [];
  const maxJobs = opts.jobId === undefined ? (opts.maxJobs ?? 100) : 1;
  for (let i = 0; i < maxJobs; i++) {
    const job = claimPrintJob(db, {
      now: clock(),
      leaseMs: opts.leaseMs ?? 60_000,
      ...(opts.jobId === undefined ? {} : { jobId: opts.jobId }),
      ...(opts.ignoreBackoff ? { ignoreBackoff: true } : {}),
    });
    if (!job) break;
    let bytes: Buffer;
    try {
      bytes = renderJob(job, opts.spec, opts.lang);
    } catch (err) {
      // A stored model that cannot be read will not get better by retrying: keep it, stop retrying.
      const detail = err instanceof Error ? err.message.slice(0, 300) : String(err);
      markPrintJobFailed(db, job.id, { error: formatLastError('INTERNAL', { detail: `receipt unreadable: ${detail}` }), printerStatus: null, printerUri: null, nextAttemptAt: null, giveUp: true });
      outcomes.push({ jobId: job.id, opId: job.opId, status: 'failed', printerState: null, attempts: job.attempts + 1, error: { code: 'INTERNAL', params: { detail } } });
      continue;
    }
    try {
      const d = await deliver(opts.spec, bytes, opts.timeouts ?? DEFAULT_TIMEOUTS);
      markPrintJobPrinted(db, job.id, { now: clock(), printerStatus: d.after.state, printerUri: opts.spec.uri });
      outcomes.push({ jobId: job.id, opId: job.opId, status: 'printed', printerState: d.after.state, attempts: job.attempts + 1, bytes: d.bytes });
    } catch (err) {
      const e = err instanceof DeskError ? err : new DeskError('PRINTER_WRITE_FAILED', { uri: opts.spec.uri, detail: String(err), why: ioReason(err) }, err);
      const attempts = job.attempts + 1;
      const giveUp = attempts >= backoff.maxAttempts;
      const state = (typeof e.params.state === 'string' ? e.params.state : LINK_ERRORS.has(e.code) ? 'not-answering' : null) as PrinterState | null;
      markPrintJobFailed(db, job.id, {
        error: formatLastError(e.code, e.params),
        printerStatus: state,
        printerUri: opts.spec.uri,
        nextAttemptAt: giveUp ? null : clock() + nextAttemptDelay(attempts, backoff),
        giveUp,
      });
      outcomes.push({
        jobId: job.id,
        opId: job.opId,
        status: giveUp ? 'failed' : 'pending',
        printerState: state,
        attempts,
        error: { code: e.code, params: e.params as Record<string, string | number> },
      });
      break;
    }
  }
  return outcomes;
}

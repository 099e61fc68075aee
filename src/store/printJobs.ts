// The durable print queue: a receipt is written with its operation and printed after commit.
import { REDACTED_SLIP } from './kioskQueries';
import type { Db } from './open';
import { stmt } from './statements';
import type { PrintJob, PrintJobStatus } from '../contract/deskTypes';

interface PrintJobRow {
  id: number;
  op_id: string | null;
  kind: string;
  payload_json: string;
  status: PrintJobStatus;
  attempts: number;
  last_error: string | null;
  created_at: number;
  printed_at: number | null;
}

function toJob(r: PrintJobRow): PrintJob {
  return {
    id: r.id,
    opId: r.op_id,
    kind: r.kind,
    payload: JSON.parse(r.payload_json) as unknown,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    printedAt: r.printed_at,
  };
}

export function enqueuePrint(db: Db, job: { opId: string | null; kind: string; payload: unknown; createdAt: number }): number {
  const info = stmt(
    db,
    "INSERT INTO print_jobs(op_id, kind, payload_json, status, created_at) VALUES (?, ?, ?, 'pending', ?)",
  ).run(job.opId, job.kind, JSON.stringify(job.payload), job.createdAt);
  return Number(info.lastInsertRowid);
}

export function printJobsForOp(db: Db, opId: string): PrintJob[] {
  return stmt<[string], PrintJobRow>(db, 'SELECT * FROM print_jobs WHERE op_id = ? ORDER BY id').all(opId).map(toJob);
}

/** Jobs with no operation of the given kinds created since `since`, oldest first (schema 230's index). */
export function opLessJobsSince(db: Db, kinds: readonly string[], since: number): PrintJob[] {
  const marks = kinds.map(() => '?').join(', ');
  return stmt<unknown[], PrintJobRow>(db, `SELECT * FROM print_jobs WHERE op_id IS NULL AND created_at >= ? AND kind IN (${marks}) ORDER BY id`)
    .all(since, ...kinds)
    .map(toJob);
}

/**
 * A benefit slip withdrawn while a printer held it (payload redacted, see kioskQueries.withdrawSlip):
 * if that attempt failed, it has nothing left to print and no one waits for it. Such jobs are never
 * listed or counted as unprinted, and the next claim deletes them.
 */
const withdrawnSlip = (t: string): string => `(${t}.kind = 'slip' AND ${t}.payload_json = '${REDACTED_SLIP}')`;
const unprinted = (t: string): string => `${t}.status <> 'printed' AND NOT ${withdrawnSlip(t)}`;

/** Receipts not yet printed, oldest first: offered again at start. */
export function unprintedJobs(db: Db): PrintJob[] {
  return stmt<[], PrintJobRow>(db, `SELECT * FROM print_jobs p WHERE ${unprinted('p')} ORDER BY created_at, id`).all().map(toJob);
}

export function countUnprinted(db: Db): number {
  return stmt<[], { n: number }>(db, `SELECT count(*) AS n FROM print_jobs p WHERE ${unprinted('p')}`).get()!.n;
}

// ---- The print queue worker's side (schema 40: next_attempt_at, lease_until, printer_status, printer_uri).

export interface QueuedJob extends PrintJob {
  nextAttemptAt: number | null;
  printerStatus: string | null;
  printerUri: string | null;
  /** operations.synced of the job's operation, read now: an unsynced receipt says so. */
  opSynced: boolean;
}

interface QueuedRow extends PrintJobRow {
  next_attempt_at: number | null;
  printer_status: string | null;
  printer_uri: string | null;
  op_synced: number | null;
}

const QUEUED_SELECT = `SELECT j.*, o.synced AS op_synced FROM print_jobs j LEFT JOIN operations o ON o.id = j.op_id`;

function toQueued(r: QueuedRow): QueuedJob {
  return { ...toJob(r), nextAttemptAt: r.next_attempt_at, printerStatus: r.printer_status, printerUri: r.printer_uri, opSynced: r.op_synced === 1 };
}

export interface ClaimOptions {
  now: number;
  leaseMs: number;
  /** Only this job (printing right after its operation committed). */
  jobId?: number;
  /** A person asked: try jobs still backing off, and ones that gave up. */
  ignoreBackoff?: boolean;
}

/** Takes the oldest due unprinted job and leases it to the caller, in one transaction. */
export function claimPrintJob(db: Db, opts: ClaimOptions): QueuedJob | undefined {
  return db
    .transaction(() => {
      stmt(db, `DELETE FROM print_jobs AS p WHERE p.status <> 'printed' AND ${withdrawnSlip('p')} AND (p.lease_until IS NULL OR p.lease_until <= ?)`).run(opts.now);
      const due = opts.ignoreBackoff ? '' : "AND j.status = 'pending' AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= @now)";
      const only = opts.jobId === undefined ? '' : 'AND j.id = @jobId';
      const row = stmt<[Record<string, number>], QueuedRow>(
        db,
        `${QUEUED_SELECT} WHERE j.status <> 'printed' AND (j.lease_until IS NULL OR j.lease_until <= @now) ${due} ${only}
         ORDER BY j.created_at, j.id LIMIT 1`,
      ).get({ now: opts.now, ...(opts.jobId === undefined ? {} : { jobId: opts.jobId }) });
      if (!row) return undefined;
      stmt(db, 'UPDATE print_jobs SET lease_until = ? WHERE id = ?').run(opts.now + opts.leaseMs, row.id);
      return toQueued(row);
    })
    .immediate();
}

export function getQueuedJob(db: Db, id: number): QueuedJob | undefined {
  const row = stmt<[number], QueuedRow>(db, `${QUEUED_SELECT} WHERE j.id = ?`).get(id);
  return row && toQueued(row);
}

export function markPrintJobPrinted(db: Db, id: number, r: { now: number; printerStatus: string; printerUri: string }): void {
  stmt(
    db,
    `UPDATE print_jobs SET status = 'printed', printed_at = ?, attempts = attempts + 1, last_error = NULL,
       next_attempt_at = NULL, lease_until = NULL, printer_status = ?, printer_uri = ? WHERE id = ?`,
  ).run(r.now, r.printerStatus, r.printerUri, id);
}

/** A failed attempt: the job stays unprinted with the reason; `giveUp` stops automatic retries. */
export function markPrintJobFailed(
  db: Db,
  id: number,
  r: { error: string; printerStatus: string | null; printerUri: string | null; nextAttemptAt: number | null; giveUp: boolean },
): void {
  stmt(
    db,
    `UPDATE print_jobs SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_at = ?, lease_until = NULL,
       printer_status = ?, printer_uri = ? WHERE id = ?`,
  ).run(r.giveUp ? 'failed' : 'pending', r.error, r.nextAttemptAt, r.printerStatus, r.printerUri, id);
}

/** Unprinted jobs with the reason each is waiting, oldest first: what the UI and `print-queue` show. */
export function unprintedQueue(db: Db, limit = 1000): QueuedJob[] {
  return stmt<[number], QueuedRow>(db, `${QUEUED_SELECT} WHERE ${unprinted('j')} ORDER BY j.created_at, j.id LIMIT ?`)
    .all(limit)
    .map(toQueued);
}

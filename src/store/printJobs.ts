// The durable print queue: a receipt is written with its operation and printed after commit.
import type { Db } from './open';
import { stmt } from './statements';

export type PrintJobStatus = 'pending' | 'printed' | 'failed';

export interface PrintJob {
  id: number;
  opId: string | null;
  kind: string;
  payload: unknown;
  status: PrintJobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  printedAt: number | null;
}

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

export function getPrintJob(db: Db, id: number): PrintJob | undefined {
  const row = stmt<[number], PrintJobRow>(db, 'SELECT * FROM print_jobs WHERE id = ?').get(id);
  return row && toJob(row);
}

export function printJobsForOp(db: Db, opId: string): PrintJob[] {
  return stmt<[string], PrintJobRow>(db, 'SELECT * FROM print_jobs WHERE op_id = ? ORDER BY id').all(opId).map(toJob);
}

/** Receipts not yet printed, oldest first: offered again at start. */
export function unprintedJobs(db: Db): PrintJob[] {
  return stmt<[], PrintJobRow>(db, "SELECT * FROM print_jobs WHERE status <> 'printed' ORDER BY created_at, id").all().map(toJob);
}

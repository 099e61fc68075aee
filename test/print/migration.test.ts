// Schema 40: the print queue's columns, and the claim query on the partial index.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimPrintJob, enqueuePrint, getQueuedJob } from '../../src/store/printJobs';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal(50);
});
afterEach(() => t.cleanup());

describe('040_print', () => {
  it('adds the schedule, lease and printer columns to print_jobs', () => {
    const cols = (t.db.prepare('PRAGMA table_info(print_jobs)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['next_attempt_at', 'lease_until', 'printer_status', 'printer_uri']));
  });

  it('finds due jobs through the pending index, not a table scan', () => {
    const plan = (
      t.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT j.*, o.synced FROM print_jobs j LEFT JOIN operations o ON o.id = j.op_id
           WHERE j.status <> 'printed' AND (j.lease_until IS NULL OR j.lease_until <= 0) AND j.status = 'pending'
             AND (j.next_attempt_at IS NULL OR j.next_attempt_at <= 0) ORDER BY j.created_at, j.id LIMIT 1`,
        )
        .all() as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/print_jobs_pending/);
    expect(plan.join('\n')).not.toMatch(/SCAN j\b(?! USING)/);
  });

  it('leases a job to one worker at a time; the lease runs out', () => {
    const id = enqueuePrint(t.db, { opId: null, kind: 'test', payload: {}, createdAt: 1 });
    expect(claimPrintJob(t.db, { now: 1000, leaseMs: 500 })?.id).toBe(id);
    expect(claimPrintJob(t.db, { now: 1200, leaseMs: 500 })).toBeUndefined();
    expect(claimPrintJob(t.db, { now: 1500, leaseMs: 500 })?.id).toBe(id);
    expect(getQueuedJob(t.db, id)).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

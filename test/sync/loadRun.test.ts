// Scale out: two real `loyalty-desk hq` processes on one PostgreSQL schema behind a round-robin
// balancer; terminals sync at once through it. PostgreSQL is asked afterwards whether every event
// sent is stored and applied exactly once — also when one HQ process is SIGKILLed mid-run.
import { describe, expect, it } from 'vitest';
import { loadRun, type LoadRunResult } from '../../src/bench/loadRun';

const url = process.env.DATABASE_URL;
const reason = 'the load run needs real PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)';
if (!url) console.warn(`test/sync/loadRun.test.ts skipped: ${reason}`);

function expectExactlyOnce(r: LoadRunResult, terminals: number, eventsPerTerminal: number) {
  const v = r.verification;
  expect(r.firstFailure).toBeNull();
  expect(r.failedTerminals).toBe(0);
  expect(r.events).toBe(terminals * eventsPerTerminal);
  expect(v.sent).toBe(r.events);
  expect(v.stored).toBe(v.sent);
  expect(v.storedDistinct).toBe(v.sent);
  expect(v.lost).toBe(0);
  expect(v.duplicated).toBe(0);
  expect(v.unexpected).toBe(0);
  expect(v.operations).toBe(v.sent);
  expect(v.operationsDistinct).toBe(v.sent);
  expect(v.earnLots).toBe(v.earnLotsExpected);
  expect(v.lastSeqMismatches).toBe(0);
  expect(r.replays).toBeGreaterThan(0);
  expect(r.replayAnomalies).toBe(0);
}

describe.skipIf(!url)('load run against two HQ processes on PostgreSQL', () => {
  it('20 terminals × 30 events: both processes serve, nothing lost or applied twice', async () => {
    const r = await loadRun({ terminals: 20, realTerminals: 2, eventsPerTerminal: 30, concurrency: 20, timeLimitMs: 150_000 });
    if ('skipped' in r) throw new Error(r.skipped);
    expectExactlyOnce(r, 20, 30);
    expect(r.hqProcesses).toBe(2);
    expect(r.perProcess).toHaveLength(2);
    for (const p of r.perProcess) expect(p.answered).toBeGreaterThan(0);
    expect(r.realSyncMs.n).toBe(2);
    expect(r.pulledChanges).toBeGreaterThan(0);
    expect(r.killed).toBeNull();
  }, 180_000);

  it('one HQ process SIGKILLed mid-run: the other serves, the terminals retry, still exactly once', async () => {
    const r = await loadRun({ terminals: 20, realTerminals: 2, eventsPerTerminal: 30, concurrency: 20, killOneAfterEvents: 150, timeLimitMs: 150_000 });
    if ('skipped' in r) throw new Error(r.skipped);
    expectExactlyOnce(r, 20, 30);
    expect(r.killed).not.toBeNull();
    expect(r.killed!.atEvents).toBeLessThan(r.events);
    expect(r.killed!.answeredBySurvivorAfter).toBeGreaterThan(0);
  }, 180_000);
});

describe.skipIf(!!url)('load run without PostgreSQL', () => {
  it(`says why it did not run (${reason})`, async () => {
    expect(await loadRun({ databaseUrl: '' })).toEqual({ skipped: 'needs DATABASE_URL' });
  });
});

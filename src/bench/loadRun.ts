// The scale-out load run (docs/sync.md "Scale out / load run"): two real `loyalty-desk hq` processes
// on one PostgreSQL schema behind a round-robin load balancer, N terminals enrolled through it, then
// all of them syncing at once (bounded client-side concurrency). Most terminals are lightweight
// clients speaking the real protocol (createHqClient, zod-checked answers); a few are real SQLite
// terminals running syncOnce. Afterwards PostgreSQL itself is asked whether every event sent is
// stored exactly once. Prints nothing; returns figures.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminClient, seedDemoAtHq } from '../cli/commands/hqAdmin';
import { openHqDb, type HqDb } from '../hq/db';
import { DEMO_OTHER_STORE, DEMO_STORE } from '../terminal/demo/catalog';
import { generateDemoMembers } from '../terminal/demo/members';
import { openTerminal } from '../terminal/operations/openTerminal';
import { createHqClient } from '../syncClient/hqClient';
import { startHqProcess, urlWithSchema, type HqProcess } from './hqProcesses';
import { startLoadBalancer, type BackendStats, type LoadBalancer } from './loadBalancer';
import { syncOnce } from '../syncClient/syncRun';
import { prepareRealTerminal, runSimTerminal, buildEvents, RunClock, withRetry, type Counters, type RealTerminal, type SimTerminal } from './loadTerminals';
import { verify, type LoadRunVerification } from './loadVerify';

export type { LoadRunVerification };

export interface LoadRunOptions {
  /** postgres://… ; process.env.DATABASE_URL when absent. */
  databaseUrl?: string;
  /** HQ child processes behind the balancer (default 2; 1 gives the baseline to compare with). */
  hqProcesses?: number;
  /** Lightweight protocol clients. */
  terminals?: number;
  /** Real SQLite terminals (openTerminal + syncOnce) among them. */
  realTerminals?: number;
  eventsPerTerminal?: number;
  batchSize?: number;
  /** Terminals syncing at the same moment (client side). */
  concurrency?: number;
  /** Every n-th terminal re-sends its first batch after the second one was acknowledged. */
  replayEvery?: number;
  /** Members seeded at HQ (the events are spread over them). */
  members?: number;
  /**
   * `visit` (default): the events of one push batch are one member's visit, as at a real desk.
   * `scattered`: each event names another member, so concurrent batches lock members in
   * different orders (a deadlock stress for HQ's push; none seen so far).
   */
  memberMix?: 'visit' | 'scattered';
  /** SIGKILL the first HQ process once this many events were acknowledged. */
  killOneAfterEvents?: number;
  /** The whole run, seeding and verification included. */
  timeLimitMs?: number;
  onProgress?: (line: string) => void;
}

export interface LoadRunResult {
  terminals: number;
  realTerminals: number;
  hqProcesses: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  requests: number;
  requestsPerSecond: number;
  pushMs: { p50: number; p99: number; max: number; n: number };
  pullMs: { p50: number; p99: number; max: number; n: number };
  realSyncMs: { p50: number; max: number; n: number };
  pulledChanges: number;
  replays: number;
  /** Replayed batches whose acks were not all `duplicate` (must be 0). */
  replayAnomalies: number;
  /** Failed attempts the terminals retried (502s, resets, timeouts). */
  retries: number;
  /** Terminals that gave up (must be 0). */
  failedTerminals: number;
  firstFailure: string | null;
  /** Requests each HQ process answered during the sync phase (via the balancer). */
  perProcess: { port: number; answered: number; failed: number; refused: number }[];
  killed: { atEvents: number; answeredBySurvivorAfter: number } | null;
  verification: LoadRunVerification;
  enrollSeconds: number;
  load: { before: number[]; after: number[]; cpus: number };
}

export type LoadRunOutcome = LoadRunResult | { skipped: string };

const ADMIN_TOKEN_BYTES = 24;

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function latency(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(s, 50)), p99: round(percentile(s, 99)), max: round(s.at(-1) ?? 0), n: s.length };
}

/** Runs `work` over items with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

function diffStats(after: BackendStats[], before: BackendStats[]) {
  return after.map((s, i) => ({
    port: s.port,
    answered: s.answered - (before[i]?.answered ?? 0),
    failed: s.failed - (before[i]?.failed ?? 0),
    refused: s.refused - (before[i]?.refused ?? 0),
  }));
}

export async function loadRun(options: LoadRunOptions = {}): Promise<LoadRunOutcome> {
  const url = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!url) return { skipped: 'needs DATABASE_URL' };
  const o = {
    terminals: options.terminals ?? 500,
    realTerminals: options.realTerminals ?? 3,
    eventsPerTerminal: options.eventsPerTerminal ?? 20,
    batchSize: options.batchSize ?? 5,
    concurrency: options.concurrency ?? 100,
    replayEvery: options.replayEvery ?? 4,
    members: options.members ?? 100,
    memberMix: options.memberMix ?? 'visit',
    timeLimitMs: options.timeLimitMs ?? 15 * 60_000,
    hqProcesses: options.hqProcesses ?? 2,
  };
  if (!Number.isInteger(o.hqProcesses) || o.hqProcesses < 1 || o.hqProcesses > 8) throw new Error('hqProcesses is 1 to 8');
  if (options.killOneAfterEvents !== undefined && o.hqProcesses < 2) throw new Error('killing an HQ process needs at least two');
  if (o.realTerminals > o.terminals) throw new Error('realTerminals is part of terminals');
  const progress = options.onProgress ?? (() => undefined);
  const clock = new RunClock(Date.now() + o.timeLimitMs);
  const loadBefore = loadavg();
  const schema = `ld_load_${randomBytes(5).toString('hex')}`;
  const adminToken = randomBytes(ADMIN_TOKEN_BYTES).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'ld-load-'));
  const root = await openHqDb({ url });
  let db: HqDb | null = null;
  const hqs: HqProcess[] = [];
  let lb: LoadBalancer | null = null;
  try {
    await root.exec(`CREATE SCHEMA ${schema}`);
    const started = await Promise.allSettled(Array.from({ length: o.hqProcesses }, () => startHqProcess({ databaseUrl: urlWithSchema(url, schema), adminToken })));
    for (const s of started) if (s.status === 'fulfilled') hqs.push(s.value);
    const failedStart = started.find((s) => s.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    lb = await startLoadBalancer(hqs.map((h) => ({ host: '127.0.0.1', port: h.port })));
    progress(`HQ processes ${hqs.map((h) => h.port).join(', ')} behind ${lb.url}`);

    const admin = adminClient(lb.url, adminToken);
    const now = Date.now();
    await seedDemoAtHq(admin, { members: o.members, seed: 'load', now, hqKeyFile: join(dir, 'hq-key.jwk.json') }, () => undefined);
    const memberIds: string[] = [];
    generateDemoMembers({ seed: 'load', now, members: o.members }, (m) => {
      if (!m.revoked) memberIds.push(m.id);
    });

    const c: Counters = { push: [], pull: [], realSync: [], requests: 0, retries: 0, replays: 0, replayAnomalies: 0, pulled: 0, acked: 0, failures: [] };
    const enrollStart = performance.now();
    const sims: SimTerminal[] = [];
    const simCount = o.terminals - o.realTerminals;
    await pool(
      Array.from({ length: simCount }, (_, i) => i),
      Math.min(o.concurrency, 32),
      async (i) => {
        const storeId = i % 2 === 0 ? DEMO_STORE.id : DEMO_OTHER_STORE.id;
        const { code } = (await admin('POST', '/v1/admin/enrollment-codes', { storeId })) as { code: string };
        const client0 = createHqClient({ url: lb!.url });
        const e = (await withRetry(c, clock, 'enroll', () => client0.enroll(code, `load-${i}`))).value;
        const client = createHqClient({ url: lb!.url, credential: e.credential, timeoutMs: 60_000 });
        sims[i] = { terminalId: e.terminalId, storeId: e.storeId, client, ...buildEvents(e.terminalId, e.storeId, memberIds, o.eventsPerTerminal, i, o.batchSize, o.memberMix) };
      },
    );
    const reals: RealTerminal[] = [];
    for (let i = 0; i < o.realTerminals; i++) reals.push(await prepareRealTerminal(dir, i, lb.url, admin, memberIds, o.eventsPerTerminal, c, clock));
    const enrollSeconds = (performance.now() - enrollStart) / 1000;
    progress(`${o.terminals} terminals enrolled in ${round(enrollSeconds)} s`);

    // The sync phase: everything measured from here.
    Object.assign(c, { push: [], pull: [], requests: 0, retries: 0 });
    const statsBefore = lb.stats();
    let killed: { atEvents: number; stats: BackendStats[] } | null = null;
    const onAcked = () => {
      if (options.killOneAfterEvents !== undefined && killed === null && c.acked >= options.killOneAfterEvents) {
        hqs[0]!.kill();
        killed = { atEvents: c.acked, stats: lb!.stats() };
        progress(`SIGKILL HQ process ${hqs[0]!.port} after ${c.acked} events`);
      }
    };
    type Job = { real: RealTerminal } | { sim: SimTerminal; index: number };
    const jobs: Job[] = [...reals.map((real) => ({ real })), ...sims.map((sim, index) => ({ sim, index }))];
    const t0 = performance.now();
    await pool(jobs, o.concurrency, async (job) => {
      try {
        if ('real' in job) {
          const t = openTerminal(job.real.dbPath, { connectivity: () => ({ online: true }) });
          try {
            const s0 = performance.now();
            const summary = await withRetry(c, clock, 'real sync', () => syncOnce(t.db));
            c.realSync.push(performance.now() - s0);
            c.acked += summary.pushed;
            c.pulled += summary.pulled;
            onAcked();
          } finally {
            t.close();
          }
        } else {
          await runSimTerminal(job.sim, job.index, o, c, clock, onAcked);
        }
      } catch (err) {
        c.failures.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
      }
    });
    const seconds = (performance.now() - t0) / 1000;
    const statsAfter = lb.stats();
    progress(`sync phase: ${round(seconds, 2)} s; verifying in PostgreSQL`);

    db = await openHqDb({ url, schema, poolSize: 2 });
    const sentIds = new Set<string>([...sims.flatMap((s) => s.events.map((e) => e.id)), ...reals.flatMap((r) => r.eventIds)]);
    const expectedLastSeq = new Map<string, number>(sims.map((s) => [s.terminalId, s.events.at(-1)?.seq ?? 0]));
    for (const r of reals) expectedLastSeq.set(r.terminalId, r.lastSeq);
    const verification = await verify(db, sentIds, [...sims.flatMap((s) => s.earnIds), ...reals.flatMap((r) => r.earnIds)], expectedLastSeq);

    const k = killed as { atEvents: number; stats: BackendStats[] } | null;
    const events = sentIds.size;
    const perProcess = diffStats(statsAfter, statsBefore);
    // Counted at the balancer: real terminals' syncOnce makes several requests the client cannot see.
    const requests = perProcess.reduce((n, p) => n + p.answered + p.failed, 0);
    return {
      terminals: o.terminals,
      realTerminals: o.realTerminals,
      hqProcesses: hqs.length,
      events,
      seconds: round(seconds, 2),
      eventsPerSecond: Math.round(events / seconds),
      requests,
      requestsPerSecond: Math.round(requests / seconds),
      pushMs: latency(c.push),
      pullMs: latency(c.pull),
      realSyncMs: { p50: round(percentile([...c.realSync].sort((a, b) => a - b), 50)), max: round(Math.max(0, ...c.realSync)), n: c.realSync.length },
      pulledChanges: c.pulled,
      replays: c.replays,
      replayAnomalies: c.replayAnomalies,
      retries: c.retries,
      failedTerminals: c.failures.length,
      firstFailure: c.failures[0] ?? null,
      perProcess,
      killed: k ? { atEvents: k.atEvents, answeredBySurvivorAfter: (statsAfter[1]?.answered ?? 0) - (k.stats[1]?.answered ?? 0) } : null,
      verification,
      enrollSeconds: round(enrollSeconds, 2),
      load: { before: loadBefore.map((l) => round(l, 2)), after: loadavg().map((l) => round(l, 2)), cpus: cpus().length },
    };
  } finally {
    await lb?.close().catch(() => undefined);
    await Promise.all(hqs.map((h) => h.stop().catch(() => undefined)));
    await db?.close().catch(() => undefined);
    await root.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await root.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run bench` figures (the lead wires it into the bench areas): 500 terminals, 50 when quick. */
export async function benchLoadRun(quick: boolean): Promise<Record<string, unknown>> {
  const r = await loadRun(quick ? { terminals: 50, eventsPerTerminal: 20, concurrency: 50 } : { terminals: 500, eventsPerTerminal: 20, concurrency: 100 });
  if ('skipped' in r) return r;
  const v = r.verification;
  return {
    terminals: r.terminals,
    realTerminals: r.realTerminals,
    hqProcesses: r.hqProcesses,
    events: r.events,
    seconds: r.seconds,
    eventsPerSecond: r.eventsPerSecond,
    requestsPerSecond: r.requestsPerSecond,
    pushMs: r.pushMs,
    pullMs: r.pullMs,
    perProcessRequests: r.perProcess.map((p) => p.answered),
    lost: v.lost,
    duplicated: v.duplicated,
    lastSeqMismatches: v.lastSeqMismatches,
    replays: r.replays,
    replayAnomalies: r.replayAnomalies,
    retries: r.retries,
    failedTerminals: r.failedTerminals,
    load: r.load,
  };
}

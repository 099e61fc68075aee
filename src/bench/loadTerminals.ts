// The terminals of the load run (loadRun.ts): lightweight ones that speak the real protocol through
// createHqClient (push in batches, one deliberate replay, pull to the end of the feed) and real
// SQLite ones that enroll and record operations through their service. Both retry transient
// failures as the terminal's sync loop does.
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { AdminCall } from '../cli/commands/hqAdmin';
import { DeskError } from '../contract/errors';
import { DEFAULT_RULES } from '../loyalty/rules';
import { businessDate } from '../loyalty/time';
import { DEMO_STORE } from '../terminal/demo/catalog';
import { enrollTerminal } from '../syncClient/enroll';
import { openTerminal } from '../terminal/operations/openTerminal';
import type { HqClient } from '../syncClient/hqClient';
import type { PushEvent } from '../sync/protocol';
import { syncOnce } from '../syncClient/syncRun';

const MAX_ATTEMPTS = 40;
const MAX_PULL_PAGES = 10_000;
const PULL_LIMIT = 1_000;
const RETRYABLE = new Set(['HQ_ERROR', 'HQ_UNREACHABLE', 'HQ_TIMEOUT', 'HQ_BAD_RESPONSE']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RunClock {
  constructor(private readonly deadline: number) {}
  check(what: string): void {
    if (Date.now() > this.deadline) throw new Error(`load run time limit reached during ${what}`);
  }
}

export interface Counters {
  push: number[];
  pull: number[];
  realSync: number[];
  requests: number;
  retries: number;
  replays: number;
  replayAnomalies: number;
  pulled: number;
  acked: number;
  failures: string[];
}

/** One request with the terminal's retry policy: transient failures back off (full jitter) and go again. */
export async function withRetry<T>(c: Counters, clock: RunClock, what: string, attempt: () => Promise<T>): Promise<T> {
  for (let a = 1; ; a++) {
    clock.check(what);
    c.requests++;
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof DeskError) || !RETRYABLE.has(err.code) || a >= MAX_ATTEMPTS) throw err;
      c.retries++;
      await sleep(Math.random() * Math.min(2_000, 25 * 2 ** a));
    }
  }
}

export interface SimTerminal {
  terminalId: string;
  storeId: string;
  client: HqClient;
  events: PushEvent[];
  earnIds: string[];
}

export function buildEvents(terminalId: string, storeId: string, memberIds: string[], n: number, offset: number, batchSize: number, mix: 'visit' | 'scattered'): { events: PushEvent[]; earnIds: string[] } {
  const events: PushEvent[] = [];
  const earnIds: string[] = [];
  const now = Date.now();
  for (let seq = 1; seq <= n; seq++) {
    const earn = seq % 4 === 0;
    const opId = uuidv7();
    if (earn) earnIds.push(opId);
    const slot = mix === 'visit' ? offset * 7 + Math.floor((seq - 1) / batchSize) : offset + seq;
    const memberId = memberIds[slot % memberIds.length]!;
    events.push({
      seq,
      id: uuidv7(),
      type: 'operation.recorded',
      createdAt: now,
      // As an honest desk of that store records it: HQ refuses operations by another store's staff.
      payload: {
        v: 2, opId, kind: earn ? 'earn' : 'redeem', memberId, benefitId: earn ? null : 'B-VOUCHER-20', itemId: null, targetOpId: null,
        staffId: storeId === DEMO_STORE.id ? 'clerk-01' : 'bj-clerk-01', approvedBy: null, storeId, terminalId, at: now,
        businessDate: businessDate(now, DEMO_STORE.tz), dayClosed: false, valueFen: earn ? 0 : 2_000, points: earn ? 128 : 0, amountFen: earn ? 12_800 : null,
        lines: earn ? [{ category: 'apparel', amountFen: 12_800 }] : [], rulesVersion: DEFAULT_RULES.version, detail: {}, offline: false, lots: [],
      },
    });
  }
  return { events, earnIds };
}

export async function runSimTerminal(t: SimTerminal, index: number, o: { batchSize: number; replayEvery: number }, c: Counters, clock: RunClock, onAcked: () => void): Promise<void> {
  const batches: PushEvent[][] = [];
  for (let i = 0; i < t.events.length; i += o.batchSize) batches.push(t.events.slice(i, i + o.batchSize));
  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    const res = await withRetry(c, clock, 'push', async () => {
      const r = await t.client.push(batch);
      c.push.push(r.receivedAt - r.sentAt);
      return r.value;
    });
    if (res.ackedThrough < batch.at(-1)!.seq) throw new Error(`${t.terminalId}: HQ acked through ${res.ackedThrough}, sent ${batch.at(-1)!.seq}`);
    c.acked += batch.length;
    onAcked();
    if (b === 1 && index % o.replayEvery === 0) {
      // A batch the terminal believes unacknowledged (its answer lost): HQ must not apply it again.
      c.replays++;
      const again = await withRetry(c, clock, 'replay', async () => {
        const r = await t.client.push(batches[0]!);
        c.push.push(r.receivedAt - r.sentAt);
        return r.value;
      });
      if (!again.acks.every((a) => a.status === 'duplicate') || again.acks.length !== batches[0]!.length) c.replayAnomalies++;
    }
  }
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PULL_PAGES; page++) {
    const res = await withRetry(c, clock, 'pull', async () => {
      const r = await t.client.pull(cursor, PULL_LIMIT);
      c.pull.push(r.receivedAt - r.sentAt);
      return r.value;
    });
    c.pulled += res.changes.length;
    cursor = res.cursor;
    if (!res.more) return;
  }
  throw new Error(`${t.terminalId}: the change feed did not end within ${MAX_PULL_PAGES} pages`);
}

export interface RealTerminal {
  dbPath: string;
  terminalId: string;
  eventIds: string[];
  lastSeq: number;
  earnIds: string[];
}

/** A real terminal: enrolled, first sync, then K operations recorded through its service (outbox). */
export async function prepareRealTerminal(dir: string, index: number, lbUrl: string, admin: AdminCall, memberIds: string[], k: number, c: Counters, clock: RunClock): Promise<RealTerminal> {
  const name = `real-${index}`;
  const { code } = (await admin('POST', '/v1/admin/enrollment-codes', { storeId: DEMO_STORE.id })) as { code: string };
  const dbPath = join(dir, name, 'desk.db');
  const enrolled = await enrollTerminal({ dbPath, hqUrl: lbUrl, code });
  {
    const t = openTerminal(dbPath, { connectivity: () => ({ online: true }) });
    try {
      await withRetry(c, clock, 'first sync', () => syncOnce(t.db));
    } finally {
      t.close();
    }
  }
  const t = openTerminal(dbPath, { connectivity: () => ({ online: true }) });
  try {
    const earnIds: string[] = [];
    for (let i = 0; i < k; i++) {
      // One batch carries all of a real terminal's events: its members are its own and in ascending
      // order, so two real terminals' batches never wait on each other's member locks in a cycle.
      const memberId = memberIds[(index * 8 + Math.floor((i * 8) / k)) % memberIds.length]!;
      if (i % 4 === 3) earnIds.push(t.service.earn({ memberId, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 12_800 }] }).opId);
      else t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    }
    const rows = t.db.prepare('SELECT id, seq FROM outbox WHERE acked_at IS NULL ORDER BY seq').all() as { id: string; seq: number }[];
    return { dbPath, terminalId: enrolled.terminalId, eventIds: rows.map((r) => r.id), lastSeq: rows.at(-1)?.seq ?? 0, earnIds };
  } finally {
    t.close();
  }
}

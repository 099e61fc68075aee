// Cuts, retries and bad input: a loopback proxy that drops connections mid-request and
// mid-answer, an HQ that answers 500 or too slowly, and garbage sent to HQ. Every failure is a
// typed error, and neither side is ever left half-applied.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createHqClient } from '../../src/syncClient/hqClient';
import { startSyncLoop } from '../../src/syncClient/syncLoop';
import { syncOnce } from '../../src/syncClient/syncRun';
import { getSyncState, setSyncState } from '../../src/store/syncState';
import { readSyncFailure } from '../../src/store/opsFailures';
import { pendingOutboxCount } from '../../src/store/outbox';
import { getCounter, UNSYNCED_VALUE } from '../../src/store/operations';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, seedDemoDb, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt } from '../hq/harness';
import { useHqBehindCutProxy } from './hqBehindProxy';

const count = (db: { prepare: (s: string) => { get: () => unknown } }, sql: string) => (db.prepare(sql).get() as { n: number }).n;

describe.each(BACKENDS)('resilience on %s', (backend) => {
  const env = useHqBehindCutProxy(backend, 'ld-cut-', 300);
  const clock = { now: NOW };

  async function terminalThroughProxy(name: string) {
    const dbPath = await enrollNew(env.hq.url, env.hq.admin, env.dir, name);
    const t = openAt(dbPath, clock);
    setSyncState(t.db, 'hq_url', env.proxy.url);
    return Object.assign(t, { dbPath });
  }

  it('resumes a pull from its cursor after the connection is cut mid-page', async () => {
    const t = await terminalThroughProxy('resume');
    try {
      const opts = { now: () => clock.now, pullLimit: 100 };
      // Page 1 arrives, then page 2's answer is cut: page 1 stays applied with its cursor.
      let pages = 0;
      await expect(
        syncOnce(t.db, {
          ...opts,
          onProgress: (p) => {
            if (p.phase === 'pull' && ++pages === 1) env.proxy.cutResponseAfter(2_000);
          },
        }),
      ).rejects.toBeInstanceOf(DeskError);
      const cursor = getSyncState(t.db, 'cursor');
      expect(cursor).not.toBeNull();
      const held = count(t.db, 'SELECT count(*) AS n FROM members');
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThan(300);
      expect(t.db.prepare("SELECT value FROM meta WHERE key = 'last_sync_at'").get()).toBeUndefined();
      const done = await syncOnce(t.db, opts);
      expect(count(t.db, 'SELECT count(*) AS n FROM members')).toBe(300);
      expect(done.pulled).toBeLessThan(400); // resumed, not restarted
    } finally {
      t.close();
    }
  });

  it('applies each event exactly once when answers and requests are cut', async () => {
    const t = await terminalThroughProxy('once');
    try {
      await syncOnce(t.db, { now: () => clock.now });
      const desk = openAt(t.dbPath, clock); // reopened: the snapshot brought the rules and PIN salt
      const ops: string[] = [];
      for (let i = 0; i < 6; i++) ops.push(desk.service.redeem({ memberId: `M0000001${i}`, benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' }).opId);
      desk.close();
      // HQ applies the batch, the answer never arrives.
      env.proxy.cutResponseAfter(30);
      await expect(syncOnce(t.db, { now: () => clock.now, pushBatch: 3 })).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
      expect(pendingOutboxCount(t.db)).toBe(6);
      // The request is cut half-way: HQ sees a truncated body and applies nothing.
      env.proxy.cutRequestAfter(400);
      await expect(syncOnce(t.db, { now: () => clock.now, pushBatch: 3 })).rejects.toBeInstanceOf(DeskError);
      const s = await syncOnce(t.db, { now: () => clock.now, pushBatch: 3 });
      expect(s.pushed + s.duplicates).toBe(6);
      expect(s.duplicates).toBeGreaterThanOrEqual(3);
      expect(pendingOutboxCount(t.db)).toBe(0);
      const [n] = await env.hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM operations WHERE id = ANY($1)', [ops]);
      expect(n?.n).toBe(6);
      const [e] = await env.hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE op_id = ANY($1)', [ops]);
      expect(e?.n).toBe(6);
      expect(env.proxy.cuts).toBeGreaterThanOrEqual(2);
    } finally {
      t.close();
    }
  });

  it('keeps a failing streak for doctor (since when, how many tries) and clears it at the next success', async () => {
    const t = await terminalThroughProxy('streak');
    // HQ's address answered by nothing on loopback, then the real one again.
    setSyncState(t.db, 'hq_url', 'http://127.0.0.1:9');
    const at = { now: NOW };
    const loop = startSyncLoop(t.db, { now: () => at.now, intervalMs: 3_600_000, baseBackoffMs: 3_600_000, maxBackoffMs: 3_600_000 });
    try {
      await expect(loop.syncNow()).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
      at.now += 60_000;
      await expect(loop.syncNow()).rejects.toMatchObject({ code: 'HQ_UNREACHABLE' });
      expect(readSyncFailure(t.db)).toMatchObject({ code: 'HQ_UNREACHABLE', since: NOW, lastAt: NOW + 60_000 });
      expect(readSyncFailure(t.db)!.failures).toBeGreaterThanOrEqual(2);
      setSyncState(t.db, 'hq_url', env.hq.url);
      await loop.syncNow();
      expect(readSyncFailure(t.db)).toBeNull();
    } finally {
      await loop.stop();
      t.close();
    }
  });

  it('answers garbage, truncated, oversized, mistyped and unknown-version bodies with typed errors and applies nothing', async () => {
    const dbPath = await enrollNew(env.hq.url, env.hq.admin, env.dir, 'bad');
    const t = openAt(dbPath, clock);
    const credential = getSyncState(t.db, 'credential')!;
    t.close();
    const before = await env.hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const post = async (body: string, path = '/v1/sync/push') => {
      const res = await fetch(`${env.hq.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` }, body });
      return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
    };
    const event = {
      seq: 1, id: '01900000-0000-7000-8000-0000000000b1', type: 'operation.recorded', createdAt: NOW,
      payload: { v: 1, opId: '01900000-0000-7000-8000-0000000000b2', kind: 'redeem', memberId: 'M00000001', benefitId: 'B-SVC-WRAP', itemId: null, targetOpId: null,
        staffId: 'clerk-01', approvedBy: null, storeId: 'SH001', terminalId: 'x', at: NOW, businessDate: '2026-11-23', valueFen: 0, points: 0, amountFen: null, detail: {}, offline: true, lots: [] },
    };
    const good = JSON.stringify({ events: [event] });
    expect(await post('{{{ not json')).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await post(good.slice(0, good.length - 20))).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await post(JSON.stringify({ events: [{ ...event, seq: 'one' }] }))).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(await post(JSON.stringify({ events: [{ ...event, payload: { ...event.payload, v: 2 } }] }))).toEqual({ status: 400, code: 'UNSUPPORTED_VERSION' });
    expect(await post(JSON.stringify({ events: [event], pad: 'x'.repeat(5 * 1024 * 1024) }))).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await post(good, '/v3/sync/push')).toEqual({ status: 400, code: 'UNSUPPORTED_VERSION' });
    expect(await post(JSON.stringify({ events: [{ ...event, payload: { ...event.payload, v: 3 } }] }), '/v2/sync/push')).toEqual({ status: 400, code: 'UNSUPPORTED_VERSION' });
    // Another terminal's identity in an event refuses the whole batch, on either version.
    expect(await post(good, '/v2/sync/push')).toEqual({ status: 403, code: 'FORBIDDEN' });
    const cursor = await fetch(`${env.hq.url}/v1/sync/pull?cursor=bm90LWEtY3Vyc29y`, { headers: { authorization: `Bearer ${credential}` } });
    expect(cursor.status).toBe(400);
    expect(((await cursor.json()) as { error: { code: string } }).error.code).toBe('CURSOR_INVALID');
    const after = await env.hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    expect(after).toEqual(before);
  });
});

describe('an HQ that fails or stalls', () => {
  let server: Server;
  let url = '';
  let mode: '500' | 'slow' | 'garbage' | 'wrong-shape' = '500';
  const tmp = tempDir('ld-badhq-');

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (mode === '500') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"ok":false,"error":{"code":"INTERNAL","message":"boom"}}');
      if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>proxy login</html>');
      // A page whose envelope is wrong (a bad row inside a good page is set aside instead: setAside.test.ts).
      if (mode === 'wrong-shape') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"changes":{"entity":"member","id":"M1"},"cursor":"x","more":false,"serverTime":1}');
      setTimeout(() => res.writeHead(200).end('{}'), 3_000).unref();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    tmp.cleanup();
  });

  it.each([
    ['500', 'HQ_ERROR'],
    ['slow', 'HQ_TIMEOUT'],
    ['garbage', 'HQ_BAD_RESPONSE'],
    ['wrong-shape', 'HQ_BAD_RESPONSE'],
  ] as const)('HQ answering %s gives %s and changes nothing at the terminal', async (m, code) => {
    mode = m;
    const client = createHqClient({ url, credential: `ldt_${'B'.repeat(43)}`, timeoutMs: 500 });
    await expect(client.pull(null, 10)).rejects.toMatchObject({ code });
    await expect(client.push([])).rejects.toMatchObject({ code });

    const seeded = seedDemoDb(50);
    const t = openTerminal(seeded.dbPath, { clock: () => NOW, connectivity: () => ({ online: false }) });
    try {
      t.service.redeem({ memberId: 'M00000001', benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      setSyncState(t.db, 'hq_url', url);
      setSyncState(t.db, 'credential', `ldt_${'B'.repeat(43)}`);
      const lastSync = t.db.prepare("SELECT value FROM meta WHERE key = 'last_sync_at'").get();
      await expect(syncOnce(t.db, { timeoutMs: 500 })).rejects.toMatchObject({ code });
      expect(pendingOutboxCount(t.db)).toBe(1);
      expect(getCounter(t.db, UNSYNCED_VALUE)).toBe(2_000);
      expect(getSyncState(t.db, 'cursor')).toBeNull();
      expect(t.db.prepare("SELECT value FROM meta WHERE key = 'last_sync_at'").get()).toEqual(lastSync);
    } finally {
      t.close();
      seeded.cleanup();
    }
  });
  it('keeps the terminal offline (risk limits on) while HQ answers but refuses or fails', async () => {
    mode = '500';
    const seeded = seedDemoDb(50);
    const t = openTerminal(seeded.dbPath, { clock: () => NOW });
    setSyncState(t.db, 'hq_url', url);
    setSyncState(t.db, 'credential', `ldt_${'B'.repeat(43)}`);
    const loop = startSyncLoop(t.db, { timeoutMs: 500, intervalMs: 60_000, baseBackoffMs: 60_000 });
    try {
      await expect(loop.syncNow()).rejects.toMatchObject({ code: 'HQ_ERROR' });
      expect(loop.connectivity()).toEqual({ online: false });
      expect(loop.state().lastError?.code).toBe('HQ_ERROR');
    } finally {
      await loop.stop();
      t.close();
      seeded.cleanup();
    }
  });
});

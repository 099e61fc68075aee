// Enrollment, snapshot, push exactly once, conflicts and auth against a real HQ on loopback,
// over PGlite and (with DATABASE_URL) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeSchema } from '../../src/sync/protocolEntities';
import { operationRecordedV2Schema } from '../../src/sync/events';
import { createHqClient } from '../../src/syncClient/hqClient';
import { syncOnce } from '../../src/syncClient/syncRun';
import { getSyncState, listConflicts } from '../../src/store/syncState';
import { pendingOutbox } from '../../src/store/outbox';
import { getCounter, UNSYNCED_VALUE } from '../../src/store/operations';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';

describe.each(BACKENDS)('sync with HQ on %s', (backend) => {
  let hq: TestHq;
  const tmp = tempDir('ld-hq-');
  let coreMember = '';
  const clock = { now: NOW };
  const sync = (db: Parameters<typeof syncOnce>[0]) => syncOnce(db, { now: () => clock.now });

  beforeAll(async () => {
    hq = await startTestHq(backend);
    const summary = await seedHq(hq, tmp.dir);
    coreMember = summary.sample.find((s) => s.tier === 'core' || s.tier === 'premium')!.mid;
  }, 60_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('enrolls a terminal, pulls the snapshot, and member, sign-in and redeem work on it', async () => {
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'snap');
    const t = openAt(dbPath, clock);
    try {
      const summary = await sync(t.db);
      expect(summary.pulled).toBeGreaterThan(60);
      const fresh = openAt(dbPath, clock); // rules and salt came with the snapshot: reopen to read them
      expect(fresh.service.lookupMember({ memberId: 'M00000001' }).id).toBe('M00000001');
      expect(fresh.service.signIn('1234').id).toBe('clerk-01');
      const r = fresh.service.redeem({ memberId: 'M00000001', benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      expect(r.offline).toBe(true);
      expect(getCounter(fresh.db, UNSYNCED_VALUE)).toBe(2_000);
      const second = await sync(fresh.db);
      expect(second.pushed).toBe(1);
      expect(fresh.db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 0 });
      expect(fresh.db.prepare('SELECT synced FROM operations WHERE id = ?').get(r.opId)).toEqual({ synced: 1 });
      expect(getCounter(fresh.db, UNSYNCED_VALUE)).toBe(0);
      const [op] = await hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM operations WHERE id = $1', [r.opId]);
      expect(op?.n).toBe(1);
      fresh.close();
    } finally {
      t.close();
    }
  });

  it('syncs with a 64 MiB page cache and gives it back afterwards, failed sync too', async () => {
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'cache');
    const t = openAt(dbPath, clock);
    try {
      const cacheNow = () => t.db.pragma('cache_size', { simple: true });
      const before = cacheNow();
      const during: unknown[] = [];
      await syncOnce(t.db, { now: () => clock.now, onProgress: () => void during.push(cacheNow()) });
      expect(during.length).toBeGreaterThan(0);
      expect(new Set(during)).toEqual(new Set([-65_536]));
      expect(cacheNow()).toBe(before);
      await expect(syncOnce(t.db, { now: () => clock.now, client: createHqClient({ url: 'http://127.0.0.1:9', credential: 'x', timeoutMs: 2_000 }) })).rejects.toThrow();
      expect(cacheNow()).toBe(before);
    } finally {
      t.close();
    }
  });

  it('applies a batch once however often it is sent', async () => {
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'retry');
    const t = openAt(dbPath, clock);
    try {
      await sync(t.db);
      const fresh = openAt(dbPath, clock);
      fresh.service.earn({ memberId: 'M00000002', staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 12_300 }] });
      fresh.service.redeem({ memberId: 'M00000002', benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' });
      const events = pendingOutbox(fresh.db).map((e) => ({ seq: e.seq, id: e.id, type: 'operation.recorded' as const, createdAt: e.createdAt, payload: operationRecordedV2Schema.parse(e.payload) }));
      // Protocol v2: the earn names its purchase lines and the rules version, for HQ to re-derive its points.
      expect(events[0]!.payload).toMatchObject({ v: 2, kind: 'earn', lines: [{ category: 'general', amountFen: 12_300 }], rulesVersion: 1, dayClosed: false });
      const client = createHqClient({ url: hq.url, credential: getSyncState(fresh.db, 'credential') });
      const first = await client.push(events);
      const again = await client.push(events);
      expect(first.value.acks.map((a) => a.status)).toEqual(['applied', 'applied']);
      expect(again.value.acks.map((a) => a.status)).toEqual(['duplicate', 'duplicate']);
      const [m] = await hq.db.query<{ lots: unknown[] }>('SELECT lots FROM members WHERE id = $1', ['M00000002']);
      expect(m?.lots.filter((l) => (l as { key: string }).key === events[0]!.payload.opId)).toHaveLength(1);
      const s = await sync(fresh.db);
      expect(s.duplicates).toBe(2);
      expect(s.pending).toBe(0);
      fresh.close();
    } finally {
      t.close();
    }
  });

  it('two terminals redeem the same single-use gift offline: HQ records exactly one conflict, both terminals learn it', async () => {
    const a = await enrollNew(hq.url, hq.admin, tmp.dir, 'ta');
    const b = await enrollNew(hq.url, hq.admin, tmp.dir, 'tb');
    for (const p of [a, b]) {
      const t = openAt(p, clock);
      await sync(t.db);
      t.close();
    }
    const ta = openAt(a, clock);
    const tb = openAt(b, clock);
    try {
      const ra = ta.service.redeem({ memberId: coreMember, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' });
      const rb = tb.service.redeem({ memberId: coreMember, benefitId: 'B-GIFT-MUG', staffId: 'clerk-02' });
      expect(ra.offline && rb.offline).toBe(true);
      const sa = await sync(ta.db);
      const sb = await sync(tb.db);
      expect(sa.conflicts).toBe(0);
      expect(sb.conflicts).toBe(1);
      const rows = await hq.db.query<{ op_id: string; kind: string; decision: string }>("SELECT op_id, kind, decision FROM conflicts WHERE kind = 'benefit_limit'");
      expect(rows).toEqual([{ op_id: rb.opId, kind: 'benefit_limit', decision: 'honored' }]);
      await sync(ta.db);
      for (const t of [ta, tb]) expect(listConflicts(t.db, true).map((c) => c.opId)).toEqual([rb.opId]);
      // Now that HQ knows, the member's local count at both terminals says the gift is used.
      expect(() => ta.service.redeem({ memberId: coreMember, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' })).toThrow(/LIMIT_REACHED|ALREADY_REDEEMED/);
    } finally {
      ta.close();
      tb.close();
    }
  });

  it('records points burned beyond the balance and redemptions on a revoked card', async () => {
    const a = await enrollNew(hq.url, hq.admin, tmp.dir, 'pa');
    const b = await enrollNew(hq.url, hq.admin, tmp.dir, 'pb');
    for (const p of [a, b]) {
      const t = openAt(p, clock);
      await sync(t.db);
      t.close();
    }
    const ta = openAt(a, clock);
    const tb = openAt(b, clock);
    try {
      // A member whose balance two 70 % burns overdraw, each within the offline per-member cap.
      const ids = Array.from({ length: 50 }, (_, i) => `M${String(i + 7).padStart(8, '0')}`);
      const member = ids.find((id) => {
        const b = ta.service.memberCard({ memberId: id }).points.balance;
        return b >= 300 && b * 0.7 <= 5_000;
      })!;
      const balance = ta.service.memberCard({ memberId: member }).points.balance;
      const burn = Math.floor((balance * 0.7) / 100) * 100;
      expect(burn * 2).toBeGreaterThan(balance);
      ta.service.donate({ memberId: member, staffId: 'clerk-01', points: burn });
      const rb = tb.service.donate({ memberId: member, staffId: 'clerk-02', points: burn });
      await sync(ta.db);
      await hq.admin('POST', '/v1/admin/revocations', { memberId: 'M00000006', cardSerial: 0, reason: 'lost' });
      const rr = tb.service.redeem({ memberId: 'M00000006', benefitId: 'B-SVC-WRAP', staffId: 'clerk-02' });
      const sb = await sync(tb.db);
      const kinds = listConflicts(tb.db).filter((c) => c.opId === rb.opId || c.opId === rr.opId).map((c) => `${c.kind}:${c.decision}`).sort();
      expect(sb.conflicts).toBeGreaterThanOrEqual(1);
      expect(kinds).toContain('points_overdraw:points_floored');
      expect(kinds).toContain('revoked_card:honored');
      const [m] = await hq.db.query<{ status: string }>('SELECT status FROM members WHERE id = $1', ['M00000006']);
      expect(m?.status).toBe('revoked');
      expect(tb.db.prepare('SELECT status FROM members WHERE id = ?').get('M00000006')).toEqual({ status: 'revoked' });
    } finally {
      ta.close();
      tb.close();
    }
  });

  it('refuses requests without a credential, pushes for another store, and a replayed enrollment code', async () => {
    const anon = await fetch(`${hq.url}/v1/sync/pull`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const forged = await fetch(`${hq.url}/v1/sync/pull`, { headers: { authorization: `Bearer ldt_${'A'.repeat(43)}` } });
    expect(forged.status).toBe(401);

    const { code } = (await hq.admin('POST', '/v1/admin/enrollment-codes', { storeId: 'BJ001' })) as { code: string };
    const client = createHqClient({ url: hq.url });
    const bj = await client.enroll(code);
    await expect(client.enroll(code)).rejects.toMatchObject({ code: 'ENROLLMENT_CODE_USED' });

    const sh = await enrollNew(hq.url, hq.admin, tmp.dir, 'auth');
    const t = openAt(sh, clock);
    try {
      t.service.redeem({ memberId: 'M00000003', benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' });
    } catch {
      // never synced: offline redemption is refused, which is fine here; forge the event instead
    }
    const shCred = getSyncState(t.db, 'credential');
    t.close();
    const forgedEvent = {
      seq: 1,
      id: '01900000-0000-7000-8000-000000000001',
      type: 'operation.recorded' as const,
      createdAt: NOW,
      payload: {
        v: 1 as const, opId: '01900000-0000-7000-8000-0000000000aa', kind: 'redeem' as const, memberId: 'M00000003', benefitId: 'B-SVC-WRAP', itemId: null,
        targetOpId: null, staffId: 'clerk-01', approvedBy: null, storeId: bj.value.storeId, terminalId: bj.value.terminalId, at: NOW,
        businessDate: '2026-11-23', valueFen: 0, points: 0, amountFen: null, detail: {}, offline: true, lots: [],
      },
    };
    await expect(createHqClient({ url: hq.url, credential: shCred }).push([forgedEvent])).rejects.toMatchObject({ code: 'HQ_REFUSED', params: { hqCode: 'FORBIDDEN' } });
    const [ops] = await hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM operations WHERE id = $1', [forgedEvent.payload.opId]);
    expect(ops?.n).toBe(0);

    // A BJ001 terminal's pull carries BJ001's staff only and never SH001's.
    const page = await createHqClient({ url: hq.url, credential: bj.value.credential }).pull(null, 5_000);
    const changes = page.value.changes.map((c) => changeSchema.parse(c));
    expect(changes.filter((c) => c.entity === 'staff').map((c) => c.id).sort()).toEqual(['bj-clerk-01', 'bj-mgr-01']);
    expect(changes.filter((c) => c.entity === 'store').map((c) => c.id)).toEqual(['BJ001']);
  });

  it('delivers deletions as tombstones to a terminal that held the row', async () => {
    const p = await enrollNew(hq.url, hq.admin, tmp.dir, 'tomb');
    const t = openAt(p, clock);
    try {
      await sync(t.db);
      await hq.admin('DELETE', '/v1/admin/benefits/B-SPRING');
      const s = await sync(t.db);
      expect(s.pulled).toBeGreaterThanOrEqual(1);
      expect(t.db.prepare('SELECT tombstone FROM benefits WHERE id = ?').get('B-SPRING')).toEqual({ tombstone: 1 });
    } finally {
      t.close();
    }
  });
});

// member.history (docs/history.md) through the real dispatcher: this terminal's operations from its
// SQLite file merged with a real HQ's answer on loopback (another store's terminal's purchase in,
// each operation once, HQ's state of it), and without HQ — none enrolled, HQ down, HQ not answering
// within the timeout — this terminal's alone with the offline reason. Nothing of it is written.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import type { MemberHistory } from '../../src/contract/terminalApi';
import { DAY_MS } from '../../src/loyalty/time';
import { memberHistoryPort } from '../../src/syncClient/historyPort';
import { syncOnce } from '../../src/syncClient/syncRun';
import type { HistoryResponse } from '../../src/sync/historyProtocol';
import type { HqHistoryPort } from '../../src/terminal/operations/memberHistory';
import type { OpenedTerminal } from '../../src/terminal/operations/openTerminal';
import { createDispatcher } from '../../src/terminal/session/dispatcher';
import { setSyncState } from '../../src/store/syncState';
import { NOW, openDemoTerminal, tempDir } from '../helpers/demoDb';
import { deskApi, present } from '../helpers/sessions';
import { enrollNew, openAt, seedHq, startTestHq, type TestHq } from '../hq/harness';

const M = 'M00000031';

describe('member history at the desk', () => {
  let hq: TestHq;
  const tmp = tempDir('ld-history-');
  const clock = { now: NOW };
  let a: OpenedTerminal;
  let b: OpenedTerminal;
  let hanging: Server;
  let hangingUrl: string;

  beforeAll(async () => {
    hq = await startTestHq('pglite');
    await seedHq(hq, tmp.dir);
    a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'a'), clock, true);
    b = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'b', 'BJ001'), clock, true);
    await syncOnce(a.db);
    await syncOnce(b.db);
    // An HQ that takes the connection and never answers.
    hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const address = hanging.address();
    hangingUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    hanging?.close();
    await hq?.stop();
    tmp.cleanup();
  });

  /** member.history as the command line's session asks it, the host's HQ port wired in (or none). */
  const history = async (t: OpenedTerminal, port: HqHistoryPort | null = memberHistoryPort(t.db)): Promise<MemberHistory> => {
    const dispatcher = createDispatcher(t.service, { desk: port ? { history: port } : {} });
    const r = await dispatcher.dispatch(dispatcher.openOperator({}), 'member.history', { memberId: M });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as MemberHistory;
  };
  const changes = (t: OpenedTerminal) => (t.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;

  it("merges this terminal's operations with another store's from HQ, each once, with HQ's status once it has it", async () => {
    const here = a.service.earn({ memberId: M, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 30_000 }] });
    const there = b.service.earn({ memberId: M, staffId: 'bj-mgr-01', lines: [{ category: 'apparel', amountFen: 12_000 }] });
    await syncOnce(b.db);

    const before = changes(a);
    const first = await history(a);
    expect(changes(a)).toBe(before);
    expect(first.source).toBe('with-hq');
    expect(first.offline).toBeNull();
    const ids = first.entries.map((e) => e.opId);
    expect(ids).toContain(here.opId);
    expect(ids).toContain(there.opId);
    expect(new Set(ids).size).toBe(ids.length);
    const mine = first.entries.find((e) => e.opId === here.opId)!;
    const theirs = first.entries.find((e) => e.opId === there.opId)!;
    // Not pushed yet: HQ does not have it, this terminal does.
    expect(mine).toMatchObject({ here: true, hq: null, pendingSync: true, storeId: 'SH001', amountFen: 30_000, kind: 'earn' });
    expect(mine.storeName).not.toBeNull();
    expect(theirs).toMatchObject({ here: false, hq: 'applied', storeId: 'BJ001', storeName: null, amountFen: 12_000, returnable: false });

    await syncOnce(a.db);
    const second = await history(a);
    expect(second.entries.filter((e) => e.opId === here.opId)).toHaveLength(1);
    expect(second.entries.find((e) => e.opId === here.opId)).toMatchObject({ here: true, hq: 'applied', pendingSync: false });
  });

  it("offers 退货 on this terminal's purchase of an earlier day, never on another terminal's, and takes HQ's voided and returned state", async () => {
    clock.now = NOW + DAY_MS;
    try {
      const list = await history(a);
      const mine = list.entries.filter((e) => e.here && e.kind === 'earn');
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((e) => e.returnable)).toBe(true);
      expect(list.entries.filter((e) => !e.here).every((e) => !e.returnable)).toBe(true);

      // HQ says the purchase was voided and part returned (as another process could have decided): HQ's state stands.
      const target = mine[0]!;
      const hqSays: HistoryResponse = {
        ok: true, memberId: M, since: NOW - 90 * DAY_MS, serverTime: clock.now,
        operations: [{
          opId: target.opId, kind: 'earn', at: target.at, businessDate: target.businessDate, storeId: 'SH001', terminalId: target.terminalId, staffId: 'clerk-01',
          points: 7, amountFen: target.amountFen, valueFen: 0, benefitId: null, itemId: null, targetOpId: null, status: 'applied', voided: true, returnedFen: 5_000,
        }],
      };
      const merged = (await history(a, async () => hqSays)).entries.find((e) => e.opId === target.opId)!;
      expect(merged).toMatchObject({ voided: true, returnedFen: 5_000, points: 7, returnable: false, hq: 'applied' });
    } finally {
      clock.now = NOW;
    }
  });

  it("answers this terminal's operations alone, with the reason, when HQ is down, silent or not there", async () => {
    // Nothing listens on port 9 of loopback (discard): the connection is refused at once.
    setSyncState(a.db, 'hq_url', 'http://127.0.0.1:9');
    let down: MemberHistory;
    try {
      down = await history(a);
    } finally {
      setSyncState(a.db, 'hq_url', hq.url);
    }
    expect(down.source).toBe('terminal-only');
    expect(down.offline).toEqual({ reason: 'unreachable' });
    expect(down.entries.length).toBeGreaterThan(0);
    expect(down.entries.every((e) => e.here)).toBe(true);

    setSyncState(a.db, 'hq_url', hangingUrl);
    try {
      const silent = await history(a, memberHistoryPort(a.db, 300));
      expect(silent).toMatchObject({ source: 'terminal-only', offline: { reason: 'unreachable' } });
    } finally {
      setSyncState(a.db, 'hq_url', hq.url);
    }

    const refused = await history(a, () => Promise.reject(new DeskError('HQ_REFUSED', { hqCode: 'RATE_LIMITED', detail: 'too many', status: 429 })));
    expect(refused).toMatchObject({ source: 'terminal-only', offline: { reason: 'refused' } });
    expect((await history(a, null)).offline).toEqual({ reason: 'no-hq' });
  });
});

describe('member history in a desk window (the demo: no HQ)', () => {
  const t = openDemoTerminal(40);
  afterAll(() => t.cleanup());

  it('asks only about a member the desk has in front of it, and says the demo has no HQ', async () => {
    const api = deskApi(t.service, { desk: { history: memberHistoryPort(t.db) } });
    expect((await api['staff.signIn']({ pin: '1234' })).ok).toBe(true);
    const id = 'M00000005';
    t.service.earn({ memberId: id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 8_800 }] });
    const unseen = await api['member.history']({ memberId: id });
    expect(unseen.ok ? null : unseen.error.code).toBe('MEMBER_NOT_SCANNED');
    await present(api, t, id);
    const seen = await api['member.history']({ memberId: id });
    if (!seen.ok) throw new Error(seen.error.message);
    expect(seen.value).toMatchObject({ source: 'terminal-only', offline: { reason: 'no-hq' } });
    expect(seen.value.entries.map((e) => e.amountFen)).toContain(8_800);
    const bad = await api['member.history']({ memberId: 'not an id!' });
    expect(bad.ok ? null : bad.error.code).toBe('INVALID_INPUT');
  });
});

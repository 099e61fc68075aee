// A member's history across terminals (docs/history.md): GET /v2/member-history answers one member's
// recent operations at every terminal, HQ's state of each (voided, returned), an alias for the
// member it became, at most 50 within 90 days, to an enrolled terminal only, and only so many
// times an hour and a day. Real HQ on loopback (PGlite, and PostgreSQL with DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/loyalty/time';
import { HISTORY_ASKS_PER_DAY, HISTORY_ASKS_PER_HOUR, historyOperationSchema, MAX_HISTORY_OPERATIONS } from '../../src/sync/historyProtocol';
import { createHqClient } from '../../src/syncClient/hqClient';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, startTestHq, seedHq, type TestHq } from './harness';
import { earn, enroll, op, push, type Desk } from './events';

const DAY2 = NOW + DAY_MS;

describe.each(BACKENDS)('member history at HQ, on %s', (backend) => {
  let hq: TestHq;
  let sh: Desk;
  let bj: Desk;
  const tmp = tempDir('ld-hq-history-');
  const m = 'M00000031';
  const ask = (desk: Desk, memberId: string) => createHqClient({ url: hq.url, credential: desk.credential }).history(memberId);
  const raw = (query: string, credential?: string) =>
    fetch(`${hq.url}/v2/member-history?${query}`, credential ? { headers: { authorization: `Bearer ${credential}` } } : {});

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
    sh = await enroll(hq, tmp.dir, 'shanghai');
    bj = await enroll(hq, tmp.dir, 'beijing', 'BJ001');
  });
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('refuses a caller without a terminal credential, or with a wrong one', async () => {
    const none = await raw(`memberId=${m}`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await raw(`memberId=${m}`, `ldt_${'A'.repeat(43)}`);
    expect(wrong.status).toBe(401);
  });

  it('answers one member per call: two ids, or none, are a bad request', async () => {
    expect((await raw(`memberId=${m}&memberId=M00000032`, sh.credential)).status).toBe(400);
    expect((await raw('', sh.credential)).status).toBe(400);
    expect((await raw(`memberId=${m}&other=1`, sh.credential)).status).toBe(400);
  });

  it("lists the member's operations at both stores, newest first, with HQ's voided and returned state and nothing personal", async () => {
    const purchase = earn(sh, m, 50_000, { at: NOW - 60_000 });
    const voided = earn(sh, m, 10_000, { at: NOW - 50_000 });
    const theVoid = op(sh, 'void', m, { targetOpId: voided.opId, at: NOW - 40_000 });
    const beijing = earn(bj, m, 20_000, { at: NOW - 30_000 });
    const someoneElse = earn(sh, 'M00000032', 10_000, { at: NOW - 20_000 });
    expect((await push(hq, sh, [purchase, voided, theVoid, someoneElse])).acks.map((a) => a.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect((await push(hq, bj, [beijing])).acks.map((a) => a.status)).toEqual(['applied']);
    hq.setClock(DAY2);
    const ret = op(sh, 'return', m, {
      targetOpId: purchase.opId, at: DAY2, businessDate: '2026-11-24', amountFen: 10_000, lines: [{ category: 'apparel', amountFen: 10_000 }], points: -100, detail: { mode: 'amount' },
    });
    expect((await push(hq, sh, [ret])).acks.map((a) => a.status)).toEqual(['applied']);

    const { value } = await ask(sh, m);
    expect(value.memberId).toBe(m);
    expect(value.operations.map((o) => o.opId)).toEqual([ret.opId, beijing.opId, theVoid.opId, voided.opId, purchase.opId]);
    const byId = new Map(value.operations.map((o) => [o.opId, o]));
    expect(byId.get(purchase.opId)).toMatchObject({ kind: 'earn', storeId: 'SH001', terminalId: sh.terminalId, staffId: 'clerk-01', amountFen: 50_000, points: 500, voided: false, returnedFen: 10_000, status: 'applied', businessDate: '2026-11-23' });
    expect(byId.get(voided.opId)).toMatchObject({ voided: true, returnedFen: 0 });
    // Another store's staff are not this store's business; the other terminal's work is there all the same.
    expect(byId.get(beijing.opId)).toMatchObject({ storeId: 'BJ001', terminalId: bj.terminalId, staffId: null, amountFen: 20_000 });
    // Beijing asking sees its own staff and not Shanghai's.
    const fromBj = (await ask(bj, m)).value.operations;
    expect(fromBj.find((o) => o.opId === beijing.opId)?.staffId).toBe('bj-mgr-01');
    expect(fromBj.find((o) => o.opId === purchase.opId)?.staffId).toBeNull();

    // No name, no phone: every row has exactly the schema's fields, and the member's own data is absent.
    const [member] = await hq.db.query<{ name: string; phone: string }>('SELECT name, phone FROM members WHERE id = $1', [m]);
    const text = JSON.stringify(value);
    expect(text).not.toContain(member!.name);
    expect(text).not.toContain(member!.phone.slice(-8));
    for (const o of value.operations) expect(Object.keys(o).sort()).toEqual(Object.keys(historyOperationSchema.shape).sort());
  });

  it('resolves an alias to the member it was merged into', async () => {
    await hq.db.query('INSERT INTO member_aliases(alias_id, member_id, card_no, merged_at) VALUES ($1, $2, NULL, $3)', ['J-merged-31', m, NOW]);
    const viaAlias = (await ask(sh, 'J-merged-31')).value;
    const direct = (await ask(sh, m)).value;
    expect(viaAlias.memberId).toBe(m);
    expect(viaAlias.operations.map((o) => o.opId)).toEqual(direct.operations.map((o) => o.opId));
    expect(viaAlias.operations.length).toBeGreaterThan(0);
  });

  it('answers at most 50, newest first, of the last 90 days', async () => {
    // Rows as HQ keeps them, written straight into the table: the bound is the endpoint's, whatever put them there.
    const who = 'M00000040';
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: randomUUID(), at: DAY2 - (i + 1) * 3_600_000 }));
    const old = { id: randomUUID(), at: DAY2 - 91 * DAY_MS };
    for (const r of [...rows, old]) {
      await hq.db.query(
        `INSERT INTO operations(id, terminal_id, store_id, member_id, kind, at, value_fen, points, payload, received_at)
         VALUES ($1, $2, 'SH001', $3, 'earn', $4, 0, 10, $5, $4)`,
        [r.id, sh.terminalId, who, r.at, JSON.stringify({ businessDate: '2026-11-20', staffId: 'clerk-01', amountFen: 1_000, itemId: null })],
      );
    }
    const { value } = await ask(sh, who);
    expect(value.operations).toHaveLength(MAX_HISTORY_OPERATIONS);
    expect(value.operations.map((o) => o.opId)).toEqual(rows.slice(0, MAX_HISTORY_OPERATIONS).map((r) => r.id));
    expect(value.operations.some((o) => o.opId === old.id)).toBe(false);
    // A member HQ has never heard of answers nothing rather than an error.
    expect((await ask(sh, 'J-unknown-1')).value.operations).toEqual([]);
  });

  it('leaves out operations HQ refused as dated after it received them: 50 of them do not bury the real history', async () => {
    const who = 'M00000041';
    const real = earn(sh, who, 5_000, { at: DAY2 - 1_000 });
    expect((await push(hq, sh, [real])).acks.map((a) => a.status)).toEqual(['applied']);
    // A hostile terminal dates 50 purchases in 2099: each is refused (time_out_of_range) and kept, dated as sent.
    const future = Array.from({ length: MAX_HISTORY_OPERATIONS }, () => earn(sh, who, 100, { at: 4_102_444_000_000 }));
    const r = await push(hq, sh, future);
    expect(new Set(r.acks.map((a) => a.status))).toEqual(new Set(['refused']));
    const { value } = await ask(bj, who);
    expect(value.operations.map((o) => o.opId)).toContain(real.opId);
    expect(value.operations.filter((o) => o.at > DAY2 + 3_600_000)).toEqual([]);
  });

  it('reads one member through operations_member_at (db/hq/140), not the whole table', async () => {
    const plan = await hq.db.tx(async (q) => {
      // A test database is small enough that a scan would win on cost; the question is whether the index serves the query.
      await q.query('SET LOCAL enable_seqscan = off');
      return q.query<Record<string, string>>("EXPLAIN SELECT id FROM operations o WHERE o.member_id = $1 AND o.at >= $2 ORDER BY o.at DESC, o.id DESC LIMIT 50", [m, NOW]);
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain('operations_member_at');
  });

  it("bounds how many histories one terminal may ask for per hour and per day; a refusal adds no ask but is counted as refused for HQ's admin, and other terminals go on", async () => {
    const greedy = await enroll(hq, tmp.dir, 'greedy');
    const clock = DAY2;
    hq.setClock(clock);
    const hour = Math.floor(clock / 3_600_000);
    await hq.db.query('INSERT INTO history_asks(terminal_id, hour, n) VALUES ($1, $2, $3)', [greedy.terminalId, hour, HISTORY_ASKS_PER_HOUR]);
    const refused = await raw(`memberId=${m}`, greedy.credential);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    await expect(ask(greedy, m)).rejects.toMatchObject({ code: 'HQ_REFUSED', params: { hqCode: 'RATE_LIMITED' } });
    const [row] = await hq.db.query<{ n: number; refused: number }>('SELECT n, refused FROM history_asks WHERE terminal_id = $1 AND hour = $2', [greedy.terminalId, hour]);
    expect(row).toEqual({ n: HISTORY_ASKS_PER_HOUR, refused: 2 });
    expect((await ask(sh, m)).value.memberId).toBe(m);
    // HQ's admin sees who reads histories and who keeps asking past the bound.
    const listed = (await hq.admin('GET', '/v1/admin/history-asks')) as { limits: { perHour: number }; terminals: { terminalId: string; asked: number; refused: number; lastAskAt: number }[] };
    expect(listed.limits.perHour).toBe(HISTORY_ASKS_PER_HOUR);
    expect(listed.terminals.find((t) => t.terminalId === greedy.terminalId)).toMatchObject({ asked: HISTORY_ASKS_PER_HOUR, refused: 2, lastAskAt: hour * 3_600_000 });
    expect(listed.terminals.find((t) => t.terminalId === sh.terminalId)?.refused).toBe(0);
    expect(await hq.admin('GET', '/v1/admin/history-asks?storeId=NO-SUCH-STORE')).toMatchObject({ terminals: [] });

    // Asks at once queue on the terminal's lock: with 5 left in the hour, 20 concurrent asks get 5 answers.
    await hq.db.query('UPDATE history_asks SET n = $3 WHERE terminal_id = $1 AND hour = $2', [greedy.terminalId, hour, HISTORY_ASKS_PER_HOUR - 5]);
    const burst = await Promise.all(Array.from({ length: 20 }, () => raw(`memberId=${m}`, greedy.credential)));
    expect(burst.filter((r) => r.status === 200)).toHaveLength(5);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(15);

    // The next hour opens, but the day's bound still holds: the last 24 hours are counted together.
    await hq.db.query('DELETE FROM history_asks WHERE terminal_id = $1', [greedy.terminalId]);
    const perHour = Math.ceil(HISTORY_ASKS_PER_DAY / 23);
    for (let h = 1; h <= 23; h++) await hq.db.query('INSERT INTO history_asks(terminal_id, hour, n) VALUES ($1, $2, $3)', [greedy.terminalId, hour - h, perHour]);
    expect((await raw(`memberId=${m}`, greedy.credential)).status).toBe(429);
    // 23 hours on, every one of those hours is 24 or more hours old: out of the window.
    hq.setClock(clock + 23 * 3_600_000);
    expect((await ask(greedy, m)).value.memberId).toBe(m);
  });
});

// HQ re-derives returns (docs/returns.md) like every event: hostile return events — more than the
// purchase, an unknown purchase, another store's, another member's, a voided one, the same day, the
// wrong points — are refused or applied as HQ computes, each with a conflict, and the rest of the
// batch applies. An honest terminal's earn and later return leave HQ and the terminal agreeing.
// Real HQ on loopback (PGlite, and PostgreSQL with DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/loyalty/time';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, openAt, seedHq, startTestHq, type TestHq } from './harness';
import { earn, enroll, op, push, type Desk, type Lot } from './events';

const DAY2 = NOW + DAY_MS;

async function memberRow(hq: TestHq, id: string) {
  const [m] = await hq.db.query<{ tier: string; lots: (Lot & { key: string })[]; months: { month: string; visits: number; spendFen: number }[] }>(
    'SELECT tier, lots, months FROM members WHERE id = $1',
    [id],
  );
  return { ...m!, balance: m!.lots.reduce((s, l) => s + l.remaining, 0) };
}

describe.each(BACKENDS)('returns at HQ, on %s', (backend) => {
  let hq: TestHq;
  let sh: Desk;
  let bj: Desk;
  const tmp = tempDir('ld-hq-returns-');

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

  /** A return as an honest terminal records it, a day after the purchase. */
  const ret = (desk: Desk, memberId: string, targetOpId: string, extra: Parameters<typeof op>[3] = {}) =>
    op(desk, 'return', memberId, { targetOpId, at: DAY2, businessDate: '2026-11-24', detail: { mode: 'whole' }, ...extra });

  it('refuses or corrects each hostile return on its own and applies the good ones beside them', async () => {
    const m = 'M00000031';
    const other = 'M00000032';
    const purchase = earn(sh, m, 50_000, { lines: [{ category: 'cosmetics', amountFen: 30_000 }, { category: 'apparel', amountFen: 20_000 }], points: 800 });
    const voided = earn(sh, m, 10_000);
    const otherMembers = earn(sh, other, 10_000);
    const beijing = earn(bj, m, 10_000);
    const first = await push(hq, sh, [purchase, voided, otherMembers, op(sh, 'void', m, { targetOpId: voided.opId })]);
    expect(first.acks.map((a) => a.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect((await push(hq, bj, [beijing])).acks.map((a) => a.status)).toEqual(['applied']);
    hq.setClock(DAY2);
    const before = await memberRow(hq, m);

    const good = ret(sh, m, purchase.opId, { amountFen: 10_000, lines: [{ category: 'cosmetics', amountFen: 10_000 }], points: -200, detail: { mode: 'lines', returned: [] } });
    const cases: [ReturnType<typeof ret>, string, string, string | null][] = [
      [ret(sh, m, purchase.opId, { amountFen: 60_000, detail: { mode: 'amount' } }), 'return_target', 'refused', 'exceeds_purchase'],
      [ret(sh, m, purchase.opId, { amountFen: 100, lines: [{ category: 'shoes', amountFen: 100 }], detail: { mode: 'lines' } }), 'return_target', 'refused', 'category'],
      [ret(sh, m, randomUUID()), 'return_target', 'refused', 'unknown'],
      [ret(sh, m, beijing.opId), 'return_target', 'refused', 'other_store'],
      [ret(sh, m, otherMembers.opId), 'return_target', 'refused', 'other_member'],
      [ret(sh, m, voided.opId), 'return_target', 'refused', 'voided'],
      [ret(sh, m, purchase.opId, { businessDate: '2026-11-23', at: NOW + 3_600_000 }), 'return_target', 'refused', 'same_day'],
      [ret(sh, m, purchase.opId, { detail: { mode: 'sideways' } }), 'return_target', 'refused', 'request'],
      // The points a return takes back are HQ's to say: ¥50 of apparel is 50 points, not 5,000.
      [ret(sh, m, purchase.opId, { amountFen: 5_000, lines: [{ category: 'apparel', amountFen: 5_000 }], points: -5_000, detail: { mode: 'lines' } }), 'points_recomputed', 'applied_as_hq', null],
      [op(sh, 'void', m, { targetOpId: purchase.opId, at: DAY2, businessDate: '2026-11-24' }), 'void_target', 'refused', 'returned'],
    ];
    const beside = earn(sh, 'M00000033', 20_000, { at: DAY2, businessDate: '2026-11-24' });
    const r = await push(hq, sh, [good, ...cases.map((c) => c[0]), beside]);
    expect(r.acks[0]!.status).toBe('applied');
    expect(r.acks.at(-1)!.status).toBe('applied');
    for (const [i, [payload, kind, decision, problem]] of cases.entries()) {
      expect(r.acks[i + 1]!.status, `case ${i}`).toBe(decision === 'refused' ? 'refused' : 'applied');
      const mine = r.conflicts.filter((c) => c.opId === payload.opId);
      expect(mine.map((c) => [c.kind, c.decision]), `case ${i}`).toContainEqual([kind, decision]);
      if (problem) expect(mine.find((c) => c.kind === kind)?.detail.problem, `case ${i}`).toBe(problem);
    }
    expect(r.conflicts.filter((c) => c.opId === good.opId)).toEqual([]);
    // Applied: ¥100 of cosmetics (200 points) and ¥50 of apparel (50), both from the purchase's own lot.
    const after = await memberRow(hq, m);
    expect(before.balance - after.balance).toBe(250);
    expect(after.lots.find((l) => l.key === purchase.opId)?.remaining).toBe(800 - 250);
    const month = (x: typeof after) => x.months.find((mm) => mm.month === '2026-11')!;
    expect(month(before).spendFen - month(after).spendFen).toBe(15_000);
    expect(month(after).visits).toBe(month(before).visits);
    const [stored] = await hq.db.query<{ points: string; amount: string }>(
      "SELECT points, payload->>'amountFen' AS amount FROM operations WHERE id = $1",
      [cases[8]![0].opId],
    );
    expect([Number(stored!.points), Number(stored!.amount)]).toEqual([-50, 5_000]);

    // What is left (¥350) comes back whole; a second whole return has nothing left to take.
    const rest = ret(sh, m, purchase.opId, { amountFen: 35_000, points: -550 });
    const again = ret(sh, m, purchase.opId);
    const r2 = await push(hq, sh, [rest, again]);
    expect(r2.acks.map((a) => a.status)).toEqual(['applied', 'refused']);
    const end = await memberRow(hq, m);
    expect(before.balance - end.balance).toBe(800);
    expect(month(before).visits - month(end).visits).toBe(1);
  });

  it('takes back only what is left when the points were spent, and records the shortfall', async () => {
    const m = 'M00000034';
    hq.setClock(NOW);
    // A terminal of its own: the shared one has already sent work of DAY2, and HQ refuses a later
    // event dated more than two hours before that as backdated (docs/authority.md).
    const sh = await enroll(hq, tmp.dir, 'shanghai-spent');
    const purchase = earn(sh, m, 100_000, { points: 1_000 });
    expect((await push(hq, sh, [purchase])).acks[0]!.status).toBe('applied');
    const have = (await memberRow(hq, m)).balance;
    const spend = Math.floor((have - 300) / 100) * 100;
    expect((await push(hq, sh, [op(sh, 'cash', m, { points: -spend, valueFen: spend / 100 * 100 / 100, amountFen: spend * 10, at: NOW + 1_000 })])).acks[0]!.status).toBe('applied');
    hq.setClock(DAY2);
    const left = (await memberRow(hq, m)).balance;
    const r = await push(hq, sh, [ret(sh, m, purchase.opId, { points: -left, detail: { mode: 'whole', shortfall: 1_000 - left } })]);
    expect(r.acks[0]!.status).toBe('applied');
    expect(r.conflicts.map((c) => [c.kind, c.decision, c.detail.shortfall])).toEqual([['return_shortfall', 'recorded', 1_000 - left]]);
    expect((await memberRow(hq, m)).balance).toBe(0);
  });

  it('refuses a return pushed by a v1 terminal as malformed (returns are protocol v2)', async () => {
    const payload = { ...ret(sh, 'M00000035', randomUUID()), v: 1, lines: undefined, dayClosed: undefined, rulesVersion: undefined };
    const res = await fetch(`${hq.url}/v1/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sh.credential}` },
      body: JSON.stringify({ events: [{ seq: ++sh.seq, id: randomUUID(), type: 'operation.recorded', createdAt: DAY2, payload }] }),
    });
    const body = (await res.json()) as { acks: { status: string }[] };
    expect(body.acks.map((a) => a.status)).toEqual(['applied']);
    const [row] = await hq.db.query<{ kind: string; decision: string }>('SELECT kind, decision FROM conflicts WHERE op_id = $1', [payload.opId]);
    expect(row).toEqual({ kind: 'malformed', decision: 'refused' });
  });

  it('an honest terminal’s purchase and its return a day later: HQ re-derives both and agrees with the terminal', async () => {
    hq.setClock(NOW);
    const dbPath = (await enroll(hq, tmp.dir, 'honest')).dbPath;
    const clock = { now: NOW };
    const t = openAt(dbPath, clock);
    try {
      await syncOnce(t.db);
      const m = 'M00000036';
      const e = t.service.earn({ memberId: m, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'cosmetics', amountFen: 2_000_000 }] });
      expect(e.tierChange?.to).toBe('premium');
      await syncOnce(t.db);
      clock.now = DAY2;
      hq.setClock(DAY2);
      const r = t.service.returnPurchase({ opId: e.opId, staffId: 'clerk-01', amountFen: 1_500_000 });
      await syncOnce(t.db);
      const [conflicts] = await hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM conflicts WHERE op_id = $1', [r.opId]);
      expect(conflicts!.n).toBe(0);
      const atHq = await memberRow(hq, m);
      const card = t.service.memberCard({ memberId: m });
      expect(atHq.tier).toBe(card.member.tier);
      expect(r.tierChange?.from).toBe('premium');
      expect(atHq.balance).toBe(card.points.balance);
    } finally {
      t.close();
    }
  });
});

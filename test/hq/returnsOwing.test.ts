// Owing points after a return, at HQ (docs/returns.md "Owing points"): HQ's rules allow a negative
// balance up to a limit; an honest terminal's return of spent points leaves the member owing them at
// HQ as on the terminal, and the next earn repays them on both; every terminal pulls what is owed with
// the member. Hostile returns (any claimed points) never take a balance below minus the limit.
// Real HQ on loopback (PGlite, and PostgreSQL with DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { DAY_MS } from '../../src/loyalty/time';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, openAt, seedHq, startTestHq, type TestHq } from './harness';
import { earn, enroll, op, push } from './events';

const DAY2 = NOW + DAY_MS;
const LIMIT = 300;

async function atHq(hq: TestHq, id: string) {
  const [m] = await hq.db.query<{ lots: { remaining: number }[]; owed: number }>('SELECT lots, points_owed AS owed FROM members WHERE id = $1', [id]);
  return { owed: Number(m!.owed), balance: m!.lots.reduce((s, l) => s + l.remaining, 0) - Number(m!.owed) };
}

describe.each(BACKENDS)('owing points after a return, on %s', (backend) => {
  let hq: TestHq;
  const tmp = tempDir('ld-hq-owing-');

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
    await hq.admin('PUT', '/v1/admin/rules', { ...DEFAULT_RULES, version: DEFAULT_RULES.version + 1, returns: { windowDays: 30, allowNegative: true, negativeLimitPoints: LIMIT } });
  }, 120_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('an honest terminal and HQ agree on what is owed; the next earn repays it; another terminal pulls it', async () => {
    hq.setClock(NOW);
    const clock = { now: NOW };
    const a = openAt((await enroll(hq, tmp.dir, 'owing-a')).dbPath, clock);
    const b = openAt((await enroll(hq, tmp.dir, 'owing-b')).dbPath, clock);
    try {
      for (const t of [a, b]) await syncOnce(t.db, { now: () => clock.now });
      expect(a.service.deps.rules.returns).toEqual({ windowDays: 30, allowNegative: true, negativeLimitPoints: LIMIT });
      const m = 'M00000041';
      const card = (t: typeof a) => t.service.memberCard({ memberId: m }).points.balance;
      const e = a.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 80_000 }] });
      const spend = Math.floor((card(a) - 100) / 100) * 100;
      a.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: spend, amountFen: spend * 10 });
      await syncOnce(a.db, { now: () => clock.now });
      clock.now = DAY2;
      hq.setClock(DAY2);
      const left = card(a);
      const r = a.service.returnPurchase({ opId: e.opId, staffId: 'clerk-01' });
      const owe = Math.min(LIMIT, e.points - left);
      expect(r).toMatchObject({ owed: owe, pointsAfter: -owe });
      await syncOnce(a.db, { now: () => clock.now });
      const conflicts = await hq.db.query<{ kind: string }>('SELECT kind FROM conflicts WHERE op_id = $1', [r.opId]);
      expect(conflicts.map((c) => c.kind)).toEqual(e.points - left > LIMIT ? ['return_shortfall'] : []);
      expect(await atHq(hq, m)).toEqual({ owed: owe, balance: -owe });
      expect(card(a)).toBe(-owe);

      // Terminal B learns it with the member, and its own earn repays it first, at HQ too.
      await syncOnce(b.db, { now: () => clock.now });
      expect(card(b)).toBe(-owe);
      const next = b.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 20_000 }] });
      expect(next.pointsAfter).toBe(next.points - owe);
      await syncOnce(b.db, { now: () => clock.now });
      expect(await hq.db.query('SELECT count(*)::int AS n FROM conflicts WHERE op_id = $1', [next.opId])).toEqual([{ n: 0 }]);
      expect(await atHq(hq, m)).toEqual({ owed: Math.max(0, owe - next.points), balance: next.points - owe });
      await syncOnce(a.db, { now: () => clock.now });
      expect(card(a)).toBe(next.points - owe);
    } finally {
      a.close();
      b.close();
    }
  });

  it('hostile returns claiming any points never take the balance below minus the limit', async () => {
    hq.setClock(NOW);
    const sh = await enroll(hq, tmp.dir, 'owing-hostile');
    const m = 'M00000042';
    const p1 = earn(sh, m, 80_000, { points: 800 });
    const p2 = earn(sh, m, 50_000, { points: 500, at: NOW + 1 });
    expect((await push(hq, sh, [p1, p2])).acks.map((x) => x.status)).toEqual(['applied', 'applied']);
    const all = (await atHq(hq, m)).balance;
    const burn = op(sh, 'donate', m, { points: -all, valueFen: all, at: NOW + 2 });
    expect((await push(hq, sh, [burn])).acks[0]!.status).toBe('applied');
    expect(await atHq(hq, m)).toEqual({ owed: 0, balance: 0 });
    hq.setClock(DAY2);
    const ret = (target: string, points: number) =>
      op(sh, 'return', m, { targetOpId: target, at: DAY2, businessDate: '2026-11-24', points, detail: { mode: 'whole', owed: 99_999, shortfall: 0 } });
    const first = ret(p1.opId, -800);
    const r = await push(hq, sh, [first, ret(p2.opId, -1_000_000), ret(p2.opId, 1_000_000)]);
    expect(r.acks.map((x) => x.status)).toEqual(['applied', 'applied', 'refused']);
    // HQ owes the first return's 300 of its 800 (the limit), then nothing more: the rest is the shortfall.
    expect(r.conflicts.filter((c) => c.kind === 'return_shortfall').map((c) => [c.detail.shortfall, c.detail.owed])).toEqual([[500, LIMIT], [500, 0]]);
    expect(await atHq(hq, m)).toEqual({ owed: LIMIT, balance: -LIMIT });
    const [stored] = await hq.db.query<{ points: number }>('SELECT points FROM operations WHERE id = $1', [first.opId]);
    expect(Number(stored!.points)).toBe(-LIMIT);
  });
});

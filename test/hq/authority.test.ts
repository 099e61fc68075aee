// HQ re-derives every operation (docs/authority.md): the events a hostile or broken terminal sent
// in issue 15 are each applied as HQ computes them or refused on their own, with a conflict saying
// why; the rest of the batch applies, HQ publishes only rows the protocol accepts, and an honest
// terminal goes on syncing. Real HQ on loopback (PGlite, and PostgreSQL with DATABASE_URL), events
// sent over HTTP with an enrolled terminal's credential.
import { MEMBER_DATA, memberChangesAfterSql } from '../../src/hq/services/pull';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqError } from '../../src/hq/errors';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { stampChanges } from '../../src/hq/services/stamp';
import type { OperationRecordedV2 } from '../../src/sync/events';
import { memberDataSchema } from '../../src/sync/protocolEntities';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { deskApi } from '../helpers/sessions';
import { BACKENDS, openAt, seedHq, startTestHq, type TestHq } from './harness';
import { earn, enroll, eventsOf, op, push, type Desk, type Lot } from './events';

async function pushV1(hq: TestHq, desk: Desk, payloads: unknown[]) {
  const events = eventsOf(desk, payloads);
  const res = await fetch(`${hq.url}/v1/sync/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${desk.credential}` },
    body: JSON.stringify({ events }),
  });
  return (await res.json()) as { acks: { status: string }[]; conflicts: { kind: string; decision: string }[] };
}

async function memberRow(hq: TestHq, id: string) {
  const [m] = await hq.db.query<{ tier: string; lots: Lot[]; months: { month: string }[] }>('SELECT tier, lots, months FROM members WHERE id = $1', [id]);
  return { ...m!, balance: m!.lots.reduce((s, l) => s + l.remaining, 0) };
}

describe.each(BACKENDS)('HQ is the authority, on %s', (backend) => {
  let hq: TestHq;
  let sh: Desk;
  let bj: Desk;
  let honest: Desk;
  const tmp = tempDir('ld-authority-');

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
    sh = await enroll(hq, tmp.dir, 'hostile');
    bj = await enroll(hq, tmp.dir, 'beijing', 'BJ001');
    honest = await enroll(hq, tmp.dir, 'honest');
    await syncOnce(openAt(honest.dbPath, { now: NOW }).db);
  });
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('refuses or corrects each event of issue 15 on its own and applies the good ones beside them', async () => {
    const m = 'M00000021';
    const before = await memberRow(hq, m);
    const good = earn(sh, m, 30_000, { at: NOW + 1 });
    const cases: [OperationRecordedV2 | Record<string, unknown>, string, string][] = [
      [{ ...earn(sh, m, 5_000), v: 1, lines: undefined, dayClosed: undefined, rulesVersion: undefined, at: -1e15 }, 'malformed', 'refused'],
      [earn(sh, m, 5_000, { at: NOW - 86_400_000 }), 'time_out_of_range', 'refused'],
      [earn(sh, m, 5_000, { at: -1e15 }), 'malformed', 'refused'],
      [earn(sh, m, 1, { points: 1e9 }), 'points_recomputed', 'applied_as_hq'],
      [earn(sh, m, 1, { points: 0, detail: { tierChange: { from: 'basic', to: 'premium' } } }), 'tier_not_confirmed', 'applied_as_hq'],
      [earn(sh, m, 5_000, { points: -50 }), 'points_recomputed', 'applied_as_hq'],
      [op(sh, 'donate', m, { points: 500 }), 'points_sign', 'refused'],
      [earn(sh, m, 5_000, { staffId: 'bj-mgr-01' }), 'staff_unknown', 'refused'],
      [earn(sh, m, 5_000, { staffId: '' }), 'malformed', 'refused'],
      [earn(sh, m, 5_000, { businessDate: '9999-99-99' }), 'business_date', 'applied_as_hq'],
      [earn(sh, m, 258_000_000, { approvedBy: 'mgr-01' }), 'earn_refused', 'refused'],
      [earn(sh, m, 3_000_000), 'earn_refused', 'refused'],
      [op(sh, 'earn', m, { lines: Array.from({ length: 100 }, () => ({ category: 'apparel', amountFen: 1e9 })), amountFen: 1e11, points: 2e9 }), 'malformed', 'refused'],
      [op(sh, 'redeem', m, { benefitId: 'B-VOUCHER-20', valueFen: 1e9 }), 'value_adjusted', 'applied_as_hq'],
      [op(sh, 'void', m, { targetOpId: good.opId, approvedBy: 'clerk-01' }), 'approver_invalid', 'refused'],
    ];
    const r = await push(hq, sh, [good, ...cases.map((c) => c[0])]);
    expect(r.acks[0]!.status).toBe('applied');
    for (const [i, [payload, kind, decision]] of cases.entries()) {
      const ack = r.acks[i + 1]!;
      expect(ack.status, `case ${i}`).toBe(decision === 'refused' ? 'refused' : 'applied');
      const opId = (payload as { opId: string }).opId;
      expect(r.conflicts.filter((c) => c.opId === opId).map((c) => [c.kind, c.decision]), `case ${i}`).toContainEqual([kind, decision]);
    }
    // What HQ applied: the good ¥300 earn (300 points), the 5,000-fen earns it re-derived (50 each,
    // the negative one and the one with a bad business date), nothing for 1 fen.
    const after = await memberRow(hq, m);
    expect(after.balance - before.balance).toBe(300 + 50 + 50);
    // Four visits may make the member advanced (HQ's own evaluation); the 1-fen earn's premium claim never lands.
    expect(['basic', 'advanced']).toContain(after.tier);
    const [approved] = await hq.db.query<{ n: number }>("SELECT coalesce(sum(points), 0)::int AS n FROM operations WHERE member_id = $1 AND status = 'applied'", [m]);
    expect(approved!.n).toBe(after.balance - before.balance);
    for (const month of after.months) expect(month.month).toMatch(/^20\d\d-\d\d$/);
  });

  it('refuses an earn of nothing (no lines, or lines of 0 fen): it would count a visit toward the tier', async () => {
    const m = 'M00000029';
    const [{ tier: before }] = (await hq.db.query<{ tier: string }>('SELECT tier FROM members WHERE id = $1', [m])) as [{ tier: string }];
    const empty = Array.from({ length: 12 }, (_, i) => op(sh, 'earn', m, { at: NOW + 100 + i, lines: i % 2 === 0 ? [] : [{ category: 'apparel', amountFen: 0 }], amountFen: 0 }));
    const r = await push(hq, sh, empty);
    expect(new Set(r.acks.map((a) => a.status))).toEqual(new Set(['refused']));
    expect(r.conflicts.filter((c) => c.kind === 'earn_refused').map((c) => c.detail.reason)).toEqual(empty.map(() => 'no_purchase'));
    const [after] = await hq.db.query<{ tier: string; months: { month: string; visits: number }[] }>('SELECT tier, months FROM members WHERE id = $1', [m]);
    expect(after!.tier).toBe(before);
  });

  it('lets a manager-approved ¥30,000 earn through and caps a member-day', async () => {
    const r = await push(hq, sh, [earn(sh, 'M00000022', 3_000_000, { approvedBy: 'mgr-01' })]);
    expect(r.acks.map((a) => a.status)).toEqual(['applied']);
    expect(r.conflicts).toEqual([]);
    // Nine more approved ¥90,000 cosmetics purchases in one day: the member-day cap holds.
    const many = Array.from({ length: 9 }, (_, i) => op(sh, 'earn', 'M00000022', { at: NOW + 1 + i, approvedBy: 'mgr-01', amountFen: 9_000_000, lines: [{ category: 'cosmetics', amountFen: 9_000_000 }], points: 180_000 }));
    const capped = await push(hq, sh, many);
    expect(capped.conflicts.some((c) => c.kind === 'earn_capped' && c.decision === 'applied_as_hq')).toBe(true);
    const [day] = await hq.db.query<{ n: number }>("SELECT sum(points)::int AS n FROM operations WHERE member_id = 'M00000022' AND kind = 'earn' AND status = 'applied'");
    expect(day!.n).toBe(500_000);
  });

  it("refuses a Beijing terminal's void of a Shanghai operation, and both terminals' member rows stay readable", async () => {
    const target = earn(sh, 'M00000023', 10_000);
    await push(hq, sh, [target]);
    const before = await memberRow(hq, 'M00000023');
    const r = await push(hq, bj, [op(bj, 'void', 'M00000023', { targetOpId: target.opId, at: NOW + 5 })]);
    expect(r.acks.map((a) => a.status)).toEqual(['refused']);
    expect(r.conflicts.map((c) => [c.kind, c.decision, c.detail.problem])).toEqual([['void_target', 'refused', 'other_store']]);
    expect((await memberRow(hq, 'M00000023')).balance).toBe(before.balance);
    const [row] = await hq.db.query<{ voided_by: string | null }>('SELECT voided_by FROM operations WHERE id = $1', [target.opId]);
    expect(row!.voided_by).toBeNull();
  });

  it('drops a "__proto__" key inside one event instead of refusing the whole batch', async () => {
    const good = earn(sh, 'M00000028', 2_000, { at: NOW + 7 });
    const odd = earn(sh, 'M00000028', 3_000, { at: NOW + 8 });
    const events = [good, odd].map((payload) => ({ seq: ++sh.seq, id: randomUUID(), type: 'operation.recorded', createdAt: NOW, payload }));
    // Written by hand: JSON.stringify would not emit a __proto__ own key.
    const body = JSON.stringify({ events }).replace('"detail":{}', '"detail":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}');
    expect(body).toContain('__proto__');
    const res = await fetch(`${hq.url}/v2/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sh.credential}` }, body });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { acks: { status: string }[] };
    expect(answer.acks.map((a) => a.status)).toEqual(['applied', 'applied']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('serves a v1 terminal: refused events acknowledged, only conflicts it can read', async () => {
    const { v: _v, lines: _l, dayClosed: _d, rulesVersion: _r, ...rest } = op(sh, 'donate', 'M00000024', { points: 700 });
    const r = await pushV1(hq, sh, [{ ...rest, v: 1 }]);
    expect(r.acks.map((a) => a.status)).toEqual(['applied']);
    expect(r.conflicts).toEqual([]);
    const [c] = await hq.db.query<{ kind: string; decision: string }>('SELECT kind, decision FROM conflicts WHERE op_id = $1', [rest.opId]);
    expect(c).toEqual({ kind: 'points_sign', decision: 'refused' });
  });

  it('never publishes a row the protocol refuses: the writing transaction fails and changes nothing', async () => {
    const before = await memberRow(hq, 'M00000025');
    await expect(
      hq.db.tx(async (q) => {
        await q.query(`UPDATE members SET months = '[{"month":"29720-04","visits":1,"spendFen":0}]', seq = NULL WHERE id = 'M00000025'`);
        await stampChanges(q, ['members']);
      }),
    ).rejects.toBeInstanceOf(HqError);
    expect(await memberRow(hq, 'M00000025')).toEqual(before);
  });

  it('checks the members a push batch has the stamp write as they will be, and writes none when one is bad', async () => {
    const [row] = await hq.db.query<{ lots: unknown; grants: unknown; usage: unknown; points_owed: number; tier: string; last_purchase_at: number | null; seq: number }>(
      "SELECT lots, grants, usage, points_owed, tier, last_purchase_at, seq FROM members WHERE id = 'M00000026'",
    );
    const write = (id: string, months: unknown) => ({ ...row!, id, months, seq: undefined });
    const [good, bad] = [write('M00000026', [{ month: '2026-04', visits: 1, spendFen: 100 }]), write('M00000027', [{ month: '29720-04', visits: 1, spendFen: 0 }])];
    const before = await Promise.all(['M00000026', 'M00000027'].map((id) => memberRow(hq, id)));
    await expect(hq.db.tx((q) => stampChanges(q, ['members'], [good, bad]))).rejects.toBeInstanceOf(HqError);
    expect(await Promise.all(['M00000026', 'M00000027'].map((id) => memberRow(hq, id)))).toEqual(before);
    // The good one alone is written and stamped in the same statement: a new stamp, the new months.
    await hq.db.tx((q) => stampChanges(q, ['members'], [good]));
    const [after] = await hq.db.query<{ months: unknown; seq: number }>("SELECT months, seq FROM members WHERE id = 'M00000026'");
    expect(after!.months).toEqual(good.months);
    expect(Number(after!.seq)).toBeGreaterThan(Number(row!.seq));
  });

  it('checks exactly the member rows the stamp leaves, for generated writes (tier_since kept or set, purchase or none)', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `M000000${String(30 + i).padStart(2, '0')}`);
    const stored = await hq.db.query<{ id: string; lots: unknown; grants: unknown; usage: unknown }>('SELECT id, lots, grants, usage FROM members WHERE id = ANY($1)', [ids]);
    let x = 7;
    const next = (n: number) => ((x = (x * 48_271) % 2_147_483_647), x % n);
    const writes = stored.map((m) => ({
      ...m,
      months: Array.from({ length: next(4) }, (_, k) => ({ month: `2026-0${k + 1}`, visits: next(9), spendFen: next(1_000_000) })),
      points_owed: next(3) === 0 ? next(500) : 0,
      tier: ['basic', 'core', 'premium'][next(3)]!,
      ...(next(2) === 0 ? { tier_since: NOW - next(1_000_000) } : {}),
      last_purchase_at: next(3) === 0 ? null : NOW - next(1_000_000),
    }));
    const rollback = new Error('roll back');
    await expect(
      hq.db.tx(async (q) => {
        const before = await q.query<{ j: string }>(memberChangesAfterSql('$1'), [JSON.stringify(writes)]);
        await stampChanges(q, ['members'], writes);
        const after = await q.query<{ id: string; data: unknown }>(`SELECT id, ${MEMBER_DATA} AS data FROM members WHERE id = ANY($1)`, [ids]);
        const checked = new Map(before.map((r) => JSON.parse(r.j) as { id: string; data: unknown }).map((c) => [c.id, c.data]));
        expect(checked.size).toBe(writes.length);
        for (const row of after) expect(checked.get(row.id)).toEqual(JSON.parse(JSON.stringify(row.data)));
        throw rollback;
      }),
    ).rejects.toBe(rollback);
  });

  it('caps the member-day across terminals: the second terminal learns it at its next sync and corrects its copy', async () => {
    const clock = { now: NOW + 60_000 };
    const [a, b] = [openAt(honest.dbPath, clock, true), openAt((await enroll(hq, tmp.dir, 'second')).dbPath, clock, true)];
    try {
      await syncOnce(b.db);
      // A member without a birthday this month, so the figures below are the plain ×2 of cosmetics.
      const [{ id: member }] = (await hq.db.query<{ id: string }>(
        "SELECT id FROM members WHERE id BETWEEN 'M00000026' AND 'M00000040' AND status = 'active' AND (birthday IS NULL OR birthday NOT LIKE '11-%') ORDER BY id LIMIT 1",
      )) as [{ id: string }];
      const cosmetics = [{ category: 'cosmetics', amountFen: 9_000_000 }]; // ¥90,000 × 2 = 180,000 points each
      a.service.earn({ memberId: member, staffId: 'mgr-01', approverId: 'mgr-01', lines: cosmetics });
      a.service.earn({ memberId: member, staffId: 'mgr-01', approverId: 'mgr-01', lines: cosmetics });
      await syncOnce(a.db);
      const before = (b.db.prepare('SELECT coalesce(sum(remaining), 0) AS n FROM point_lots WHERE member_id = ?').get(member) as { n: number }).n;
      const offline = b.service.earn({ memberId: member, staffId: 'mgr-01', approverId: 'mgr-01', lines: cosmetics });
      expect(offline.points).toBe(180_000); // B cannot know what A earned today
      const s = await syncOnce(b.db);
      expect(s.conflicts).toBeGreaterThanOrEqual(1);
      const after = (b.db.prepare('SELECT coalesce(sum(remaining), 0) AS n FROM point_lots WHERE member_id = ?').get(member) as { n: number }).n;
      // A's 360,000 and B's earn as HQ capped it (140,000): the day's cap, not 360,000 + the 180,000 B recorded.
      expect(after - before).toBe(500_000);
      expect((await memberRow(hq, member)).balance).toBe(after);
      const api = deskApi(b.service);
      expect((await api['staff.signIn']({ pin: '9999' })).ok).toBe(true);
      const conflicts = await api['manager.conflicts']({});
      expect(conflicts.ok && conflicts.value.map((c) => [c.kind, c.decision])).toContainEqual(['earn_capped', 'applied_as_hq']);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses what the benefit and staff rules do not allow: another store, another tier, no grant, a manager no longer active', async () => {
    const [{ id: basic }] = (await hq.db.query<{ id: string }>("SELECT id FROM members WHERE tier = 'basic' AND status = 'active' AND id > 'M00000026' ORDER BY id LIMIT 1")) as [{ id: string }];
    await hq.admin('POST', '/v1/admin/staff', { staff: [{ id: 'mgr-gone', storeId: 'SH001', name: '赵前', role: 'manager', pin: '4321', active: false }] });
    const cases: [OperationRecordedV2, string, string | null][] = [
      [op(sh, 'redeem', basic, { benefitId: 'B-BJ-ONLY', valueFen: 1_500, at: NOW + 2 }), 'benefit_not_allowed', 'store'],
      [op(sh, 'redeem', basic, { benefitId: 'B-SVC-WARRANTY', valueFen: 9_900, at: NOW + 3 }), 'benefit_not_allowed', 'tier'],
      [op(sh, 'redeem', basic, { benefitId: 'B-WELCOME-PREMIUM', at: NOW + 4 }), 'benefit_not_allowed', null],
      [earn(sh, basic, 3_000_000, { approvedBy: 'mgr-gone', at: NOW + 5 }), 'earn_refused', null],
    ];
    const r = await push(hq, sh, cases.map((c) => c[0]));
    expect(r.acks.map((a) => a.status)).toEqual(['refused', 'refused', 'refused', 'refused']);
    for (const [payload, kind, reason] of cases) {
      const c = r.conflicts.find((x) => x.opId === payload.opId);
      expect(c && [c.kind, c.decision]).toEqual([kind, 'refused']);
      if (reason) expect(c?.detail.reason).toBe(reason);
    }
    // A refused redeem is no use of the benefit: a later allowed one is not a second use.
    const [used] = await hq.db.query<{ n: number }>("SELECT count(*)::int AS n FROM operations WHERE member_id = $1 AND kind = 'redeem' AND status = 'applied'", [basic]);
    expect(used!.n).toBe(0);
  });

  it('refuses a benefit outside its time of the member: the 回归礼 to a recent buyer, the birthday gift outside the month, the member-day offer on another day', async () => {
    const pick = async (where: string) =>
      ((await hq.db.query<{ id: string }>(`SELECT id FROM members WHERE id BETWEEN 'M00000041' AND 'M00000060' AND status = 'active' AND ${where} ORDER BY id LIMIT 1`)) as [{ id: string }])[0].id;
    const recent = await pick(`last_purchase_at > ${NOW - 30 * 86_400_000}`);
    const away = await pick(`last_purchase_at < ${NOW - 120 * 86_400_000} AND id <> '${recent}'`);
    const notNovember = await pick(`birthday IS NOT NULL AND birthday NOT LIKE '11-%' AND id NOT IN ('${recent}', '${away}')`);
    const cases: [OperationRecordedV2, 'applied' | 'refused', string | null][] = [
      [op(sh, 'redeem', recent, { benefitId: 'B-WINBACK', valueFen: 3_000, amountFen: 20_000, at: NOW + 11 }), 'refused', 'not_dormant'],
      [op(sh, 'redeem', away, { benefitId: 'B-WINBACK', valueFen: 3_000, amountFen: 20_000, at: NOW + 12 }), 'applied', null],
      [op(sh, 'redeem', notNovember, { benefitId: 'B-BIRTHDAY', valueFen: 5_800, at: NOW + 13 }), 'refused', 'not_birthday_month'],
      // NOW is the 23rd; the demo's member day is the 8th.
      [op(sh, 'redeem', recent, { benefitId: 'B-MEMBER-DAY', valueFen: 2_000, amountFen: 15_000, at: NOW + 14 }), 'refused', 'not_member_day'],
    ];
    const r = await push(hq, sh, cases.map((c) => c[0]));
    expect(r.acks.map((a) => a.status)).toEqual(cases.map((c) => c[1]));
    for (const [payload, status, reason] of cases) {
      const c = r.conflicts.find((x) => x.opId === payload.opId);
      if (status === 'refused') expect(c && [c.kind, c.decision, c.detail.reason]).toEqual(['benefit_not_allowed', 'refused', reason]);
      else expect(c).toBeUndefined();
    }
  });

  it("lets the terminal's 回归礼 stand when HQ's latest purchase of the member came after it (bought at another store, pushed first)", async () => {
    const [{ id: away }] = (await hq.db.query<{ id: string }>(
      `SELECT id FROM members WHERE id BETWEEN 'M00000001' AND 'M00000020' AND status = 'active' AND last_purchase_at < ${NOW - 120 * 86_400_000} ORDER BY id LIMIT 1`,
    )) as [{ id: string }];
    // Beijing is online and sells to the member; Shanghai, offline, had given the 回归礼 ten minutes before and pushes later.
    const sale = await push(hq, bj, [earn(bj, away, 30_000, { at: NOW + 600_000 })]);
    expect(sale.acks[0]!.status, JSON.stringify(sale.conflicts)).toBe('applied');
    const gift = op(sh, 'redeem', away, { benefitId: 'B-WINBACK', valueFen: 3_000, amountFen: 20_000, at: NOW + 20 });
    const r = await push(hq, sh, [gift]);
    expect(r.acks[0]!.status, JSON.stringify(r.conflicts)).toBe('applied');
    expect(r.conflicts.filter((c) => c.opId === gift.opId)).toEqual([]);
  });

  it('takes the rules version an earn names only while it was in force, and never publishes an older version again', async () => {
    const member = 'M00000027';
    const rules = (await hq.admin('GET', '/v1/admin/rules').catch(() => null)) as { version?: number } | null;
    const base = { ...DEFAULT_RULES, version: (rules?.version ?? 1) + 1, points: { ...DEFAULT_RULES.points, pointsPerYuan: 0 } };
    await hq.admin('PUT', '/v1/admin/rules', base);
    hq.setClock(NOW + 2 * 3_600_000);
    // Named after v1 was replaced: HQ applies the current rules (0 points a yuan), not v1's.
    const late = earn(sh, member, 10_000, { rulesVersion: 1, at: NOW + 2 * 3_600_000 - 1_000 });
    const r = await push(hq, sh, [late]);
    expect(r.conflicts.find((c) => c.opId === late.opId)).toMatchObject({ kind: 'points_recomputed', detail: { claimed: 100, applied: 0 } });
    await expect(hq.admin('PUT', '/v1/admin/rules', DEFAULT_RULES)).rejects.toMatchObject({ code: 'HQ_REFUSED', params: { hqCode: 'BAD_REQUEST' } });
    await hq.admin('PUT', '/v1/admin/rules', { ...DEFAULT_RULES, version: base.version + 1 });
  });

  it('judges a member-day offer by the rules version the redemption names while it was in force', async () => {
    const [{ v: current }] = (await hq.db.query<{ v: number }>('SELECT max(version)::int AS v FROM rules_versions')) as [{ v: number }];
    // A version whose member day is the 23rd (NOW's day), replaced an hour later by one whose member day is the 8th.
    const the23rd = { ...DEFAULT_RULES, version: current + 1, points: { ...DEFAULT_RULES.points, memberDayOfMonth: 23 } };
    await hq.admin('PUT', '/v1/admin/rules', the23rd);
    hq.setClock(NOW + 3 * 3_600_000);
    await hq.admin('PUT', '/v1/admin/rules', { ...DEFAULT_RULES, version: current + 2 });
    const ids = (await hq.db.query<{ id: string }>("SELECT id FROM members WHERE id BETWEEN 'M00000001' AND 'M00000020' AND status = 'active' ORDER BY id DESC LIMIT 2")).map((r) => r.id);
    const offer = { benefitId: 'B-MEMBER-DAY', valueFen: 2_000, amountFen: 15_000 };
    const onTheDay = op(sh, 'redeem', ids[0]!, { ...offer, rulesVersion: current + 1, at: NOW + 2 * 3_600_000 + 600_000 });
    const underNew = op(sh, 'redeem', ids[1]!, { ...offer, rulesVersion: current + 2, at: NOW + 2 * 3_600_000 + 1_200_000 });
    const r = await push(hq, sh, [onTheDay, underNew]);
    expect(r.acks.map((a) => a.status), JSON.stringify(r.conflicts)).toEqual(['applied', 'refused']);
    expect(r.conflicts.find((c) => c.opId === underNew.opId)).toMatchObject({ kind: 'benefit_not_allowed', detail: { reason: 'not_member_day' } });
  });

  it('never takes a rules version the earn names from before that version was published (a promotion published later)', async () => {
    const start = NOW + 4 * 3_600_000;
    hq.setClock(start);
    try {
      // A terminal that has not pushed since it was enrolled: its next batch may lie anywhere since then.
      const quiet = await enroll(hq, tmp.dir, 'quiet');
      const [{ v: current }] = (await hq.db.query<{ v: number }>('SELECT max(version)::int AS v FROM rules_versions')) as [{ v: number }];
      // One hour on, a promotion (apparel ×10) for one hour; then the rules as before.
      hq.setClock(start + 3_600_000);
      const promo = { ...DEFAULT_RULES, version: current + 1, points: { ...DEFAULT_RULES.points, categoryMultipliers: { ...DEFAULT_RULES.points.categoryMultipliers, apparel: 10 } } };
      await hq.admin('PUT', '/v1/admin/rules', promo);
      hq.setClock(start + 2 * 3_600_000);
      await hq.admin('PUT', '/v1/admin/rules', { ...DEFAULT_RULES, version: current + 2 });
      hq.setClock(start + 3 * 3_600_000);
      // A ¥100 apparel purchase a minute after enrollment, before the promotion existed, naming it.
      const before = earn(quiet, 'M00000028', 10_000, { at: start + 60_000, rulesVersion: current + 1, points: 1_000 });
      // One during the promotion, naming it: the promotion's points.
      const during = earn(quiet, 'M00000028', 10_000, { at: start + 90 * 60_000, rulesVersion: current + 1, points: 1_000 });
      const r = await push(hq, quiet, [before, during]);
      expect(r.acks.map((a) => a.status)).toEqual(['applied', 'applied']);
      expect(r.conflicts.find((c) => c.opId === before.opId)).toMatchObject({ kind: 'points_recomputed', detail: { claimed: 1_000, applied: 100 } });
      expect(r.conflicts.filter((c) => c.opId === during.opId)).toEqual([]);
    } finally {
      hq.setClock(NOW);
    }
  });

  it("refuses an event backdated more than two hours before the terminal's latest, and a future-dated refusal never raises that mark", async () => {
    const late = await enroll(hq, tmp.dir, 'backdating');
    const later = NOW + 3 * 86_400_000;
    hq.setClock(later);
    try {
      const m = 'M00000022';
      expect((await push(hq, late, [earn(late, m, 1_000, { at: later })])).acks.map((a) => a.status)).toEqual(['applied']);
      const backdated = earn(late, m, 1_000, { at: later - 3 * 3_600_000 });
      const withinSlack = earn(late, m, 1_000, { at: later - 3_600_000 });
      const future = earn(late, m, 1_000, { at: later + 10 * 86_400_000 });
      const r = await push(hq, late, [backdated, withinSlack, future]);
      expect(r.acks.map((a) => a.status)).toEqual(['refused', 'applied', 'refused']);
      const bounds = r.conflicts.filter((c) => c.kind === 'time_out_of_range').map((c) => [c.opId, (c.detail as { bound?: string }).bound]);
      expect(bounds).toEqual(expect.arrayContaining([[backdated.opId, 'before_earlier_event'], [future.opId, 'after_receipt']]));
      // Had the future event raised the mark, this one (five minutes on) would be refused as backdated.
      expect((await push(hq, late, [earn(late, m, 1_000, { at: later + 300_000 })])).acks.map((a) => a.status)).toEqual(['applied']);
    } finally {
      hq.setClock(NOW);
    }
  });

  it('after all of it an honest terminal syncs, and every member row it pulled passes the protocol schema', async () => {
    const t = openAt(honest.dbPath, { now: NOW });
    const summary = await syncOnce(t.db);
    expect(summary.setAside).toBe(0);
    expect(summary.pulled).toBeGreaterThan(0);
    t.close();
    const rows = await hq.db.query<{ j: string }>(
      `SELECT ${MEMBER_DATA}::text AS j FROM members`,
    );
    for (const r of rows) expect(memberDataSchema.safeParse(JSON.parse(r.j)).success, r.j.slice(0, 120)).toBe(true);
  });
});

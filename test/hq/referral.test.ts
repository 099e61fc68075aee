// 老带新 against a real HQ (docs/join.md "Referral reward"): the referee's first purchase gives the
// referrer and the referee the rules' points once — not again for a second terminal's earn, pushed
// at the same time or later, nor after the first earn is voided, nor across a merge of two sign-ups —
// and both sides' terminals see the points after a pull. A referrer who is the referee (or an alias
// of them) gets nothing. A once-only benefit used under both merged sign-ups is merge_benefit_twice.
// PGlite always; PostgreSQL too with DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedCardNo } from '../../src/loyalty/cardNumber';
import { demoBenefits } from '../../src/terminal/demo/catalog';
import { phoneHash } from '../../src/loyalty/phone';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { createHqClient } from '../../src/syncClient/hqClient';
import { syncOnce } from '../../src/syncClient/syncRun';
import { getSyncState } from '../../src/store/syncState';
import type { MemberJoined } from '../../src/sync/joinEvent';
import type { AnyPushEvent } from '../../src/sync/protocol';
import type { OpenedTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, tempDir } from '../helpers/demoDb';
import { operatorSession } from '../helpers/sessions';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';

const { referrerPoints, refereePoints } = DEFAULT_RULES.referral;

describe.each(BACKENDS)('referral reward at HQ, on %s', (backend) => {
  let hq: TestHq;
  let tmp: ReturnType<typeof tempDir>;
  const clock = { now: NOW };
  const sync = (t: OpenedTerminal) => syncOnce(t.db, { now: () => clock.now });

  beforeAll(async () => {
    tmp = tempDir('ld-referral-hq-');
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir, 40);
  }, 120_000);
  afterAll(async () => {
    await hq.stop();
    tmp.cleanup();
  });

  const balance = async (t: OpenedTerminal, memberId: string): Promise<number> => {
    const card = await operatorSession(t.service, {})('member.card', { memberId });
    if (!card.ok) throw new Error(`member.card refused: ${card.error.code}`);
    return (card.value as { points: { balance: number } }).points.balance;
  };
  const hqPoints = async (memberId: string): Promise<{ total: number; keys: string[] }> => {
    const [row] = await hq.db.query<{ lots: { key: string; remaining: number }[] }>('SELECT lots FROM members WHERE id = $1', [memberId]);
    return { total: row!.lots.reduce((n, l) => n + l.remaining, 0), keys: row!.lots.map((l) => l.key).filter((k) => k.startsWith('referral:')) };
  };
  const rewards = async (refereeId: string) => hq.db.query<{ referrer_id: string }>('SELECT referrer_id FROM referral_rewards WHERE referee_id = $1', [refereeId]);
  const join = async (t: OpenedTerminal, phone: string, referrer: string | null): Promise<string> => {
    const r = await operatorSession(t.service, { staffId: 'clerk-01' })('member.join', { phone, phoneAgain: phone, name: '孙八', referrer, consentTermsVersion: 1 });
    if (!r.ok) throw new Error(`member.join refused: ${r.error.code}`);
    return (r.value as { member: { id: string } }).member.id;
  };
  const earn = async (t: OpenedTerminal, memberId: string, amountFen: number): Promise<string> => {
    const r = await operatorSession(t.service, { staffId: 'clerk-01' })('points.earn', { memberId, lines: [{ category: 'general', amountFen }] });
    if (!r.ok) throw new Error(`points.earn refused: ${r.error.code}`);
    return (r.value as { opId: string }).opId;
  };

  it('gives both sides the points once at the first purchase, whatever two terminals push after; both terminals see them', async () => {
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-a'), clock);
    const b = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-b'), clock);
    try {
      for (const t of [a, b]) await sync(t);
      const referrer = 'M00000005';
      const referrerBefore = (await hqPoints(referrer)).total;
      const referee = await join(a, '13755550001', referrer);
      await sync(a);
      await sync(b);
      // Offline at both desks: two purchases in A's next batch, one in B's; the batches reach HQ at once.
      await earn(a, referee, 10_000);
      await earn(a, referee, 20_000);
      await earn(b, referee, 5_000);
      await Promise.all([sync(a), sync(b)]);
      // Two batches more, later: still the one reward.
      await earn(b, referee, 1_000);
      await sync(b);
      for (const t of [a, b]) await sync(t);

      expect(await rewards(referee)).toEqual([{ referrer_id: referrer }]);
      const refereeAtHq = await hqPoints(referee);
      expect(refereeAtHq.keys).toHaveLength(1);
      expect(refereeAtHq.total).toBe(100 + 200 + 50 + 10 + refereePoints);
      const referrerAtHq = await hqPoints(referrer);
      expect(referrerAtHq.keys).toHaveLength(1);
      expect(referrerAtHq.total).toBe(referrerBefore + referrerPoints);
      // The referee's desk and another desk both hold HQ's figures after a pull.
      for (const t of [a, b]) {
        expect(await balance(t, referee)).toBe(refereeAtHq.total);
        expect(await balance(t, referrer)).toBe(referrerAtHq.total);
      }
      const [signup] = await hq.db.query<{ referral_rewarded_op: string | null }>('SELECT referral_rewarded_op FROM member_signups WHERE member_id = $1', [referee]);
      expect(signup!.referral_rewarded_op).not.toBeNull();
    } finally {
      a.close();
      b.close();
    }
  });

  it('a referrer who owes points after a return (docs/returns.md "Owing points") repays it from the reward first', async () => {
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-owing'), clock);
    try {
      await sync(a);
      const referrer = 'M00000012';
      // As a return would leave them: no spendable points, some owed.
      const owed = referrerPoints - 50;
      await hq.db.query(
        `UPDATE members SET lots = (SELECT coalesce(jsonb_agg(jsonb_set(l, '{remaining}', '0')), '[]'::jsonb) FROM jsonb_array_elements(lots) AS l), points_owed = $2, seq = NULL WHERE id = $1`,
        [referrer, owed],
      );
      const referee = await join(a, '13755550016', referrer);
      await earn(a, referee, 10_000);
      await sync(a);
      expect(await rewards(referee)).toEqual([{ referrer_id: referrer }]);
      const [row] = await hq.db.query<{ owed: number }>('SELECT points_owed AS owed FROM members WHERE id = $1', [referrer]);
      expect(Number(row!.owed)).toBe(0);
      expect((await hqPoints(referrer)).total).toBe(50);
      await sync(a);
      expect(await balance(a, referrer)).toBe(50);
    } finally {
      a.close();
    }
  });

  it('keeps the referrer\'s own purchases of the same batch beside the reward (the batch writes the member before the credit)', async () => {
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-both'), clock);
    try {
      await sync(a);
      const referrer = 'M00000014';
      const before = (await hqPoints(referrer)).total;
      const referee = await join(a, '13755550024', referrer);
      // One batch: the referrer buys, the referee's first purchase, the referrer buys again.
      const ops = [await earn(a, referrer, 30_000), await earn(a, referee, 10_000), await earn(a, referrer, 20_000)];
      const s = await sync(a);
      expect(s.pushed).toBeGreaterThanOrEqual(4);
      expect(await rewards(referee)).toEqual([{ referrer_id: referrer }]);
      const earned = async (memberId: string) =>
        Number((await hq.db.query<{ n: string }>("SELECT coalesce(sum(points), 0) AS n FROM operations WHERE member_id = $1 AND id = ANY($2) AND status = 'applied'", [memberId, ops]))[0]!.n);
      const referrerEarned = await earned(referrer);
      expect(referrerEarned).toBeGreaterThan(0);
      const referrerAtHq = await hqPoints(referrer);
      expect(referrerAtHq.keys).toHaveLength(1);
      expect(referrerAtHq.total).toBe(before + referrerEarned + referrerPoints);
      expect((await hqPoints(referee)).total).toBe((await earned(referee)) + refereePoints);
      await sync(a);
      expect(await balance(a, referrer)).toBe(referrerAtHq.total);
    } finally {
      a.close();
    }
  });

  it('does not give it again when the first purchase is voided and another follows', async () => {
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-void'), clock);
    try {
      await sync(a);
      const referrer = 'M00000006';
      const referee = await join(a, '13755550002', referrer);
      const first = await earn(a, referee, 10_000);
      await sync(a);
      expect(await rewards(referee)).toHaveLength(1);
      const voided = await operatorSession(a.service, { staffId: 'mgr-01', managerId: 'mgr-01' })('operation.void', { opId: first });
      expect(voided.ok, JSON.stringify(voided)).toBe(true);
      await sync(a);
      await earn(a, referee, 30_000);
      await sync(a);
      await sync(a);
      expect(await rewards(referee)).toHaveLength(1);
      // The reward stands (the void takes back the purchase's own points only).
      expect((await hqPoints(referee)).total).toBe(300 + refereePoints);
      expect((await hqPoints(referrer)).keys).toHaveLength(1);
      expect(await balance(a, referee)).toBe(300 + refereePoints);
    } finally {
      a.close();
    }
  });

  it('gives it once across a merge of two sign-ups of one phone: to the referrer of the sign-up HQ received first', async () => {
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-m1'), clock);
    const b = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'ref-m2'), clock);
    try {
      for (const t of [a, b]) await sync(t);
      const first = await join(a, '13755550003', 'M00000007');
      const other = await join(b, '13755550003', 'M00000008');
      await earn(b, other, 10_000);
      await earn(a, first, 20_000);
      await sync(a);
      await sync(b);
      await earn(b, first, 5_000);
      for (const t of [a, b, a]) await sync(t);
      expect(await rewards(first)).toEqual([{ referrer_id: 'M00000007' }]);
      expect(await rewards(other)).toEqual([]);
      expect((await hqPoints('M00000007')).keys).toHaveLength(1);
      expect((await hqPoints('M00000008')).keys).toHaveLength(0);
      expect((await hqPoints(first)).keys).toHaveLength(1);
      expect(await balance(b, other)).toBe((await hqPoints(first)).total);
    } finally {
      a.close();
      b.close();
    }
  });

  /** A terminal of its own whose events the test writes itself (as a hostile or buggy terminal could). */
  const forger = async (name: string) => {
    const t = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, name), clock);
    await sync(t);
    const credential = getSyncState(t.db, 'credential')!;
    const { storeId, terminalId } = t.service.deps.identity;
    t.close();
    const [k] = await hq.db.query<{ k: Buffer | Uint8Array }>("SELECT phone_key AS k FROM brand WHERE id = 'brand'");
    const key = Buffer.from(k!.k).toString('base64url');
    const [own] = await hq.db.query<{ start: number }>('SELECT start::int AS start FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [terminalId]);
    let n = own!.start;
    let seq = 0;
    const signup = (phone: string, over: Partial<MemberJoined> = {}): MemberJoined => ({
      v: 1, joinId: randomUUID(), memberId: randomUUID(), cardNo: issuedCardNo(n++), phone, phoneHash: phoneHash(key, phone), name: '周九', birthday: null,
      referrerId: null, termsVersion: 1, staffId: 'clerk-01', storeId, terminalId, at: NOW, ...over,
    });
    const op = (kind: 'earn' | 'redeem', memberId: string, over: { amountFen?: number; benefitId?: string } = {}) => ({
      v: 2 as const, opId: randomUUID(), kind, memberId, benefitId: over.benefitId ?? null, itemId: null, targetOpId: null, staffId: 'clerk-01', approvedBy: null,
      storeId, terminalId, at: NOW, businessDate: '2026-11-23', valueFen: 0, points: Math.floor((over.amountFen ?? 0) / 100), amountFen: over.amountFen ?? null,
      detail: {}, offline: true, dayClosed: false, lots: [], lines: over.amountFen ? [{ category: 'general', amountFen: over.amountFen }] : [], rulesVersion: 1,
    });
    const push = (payloads: unknown[]) => {
      const events = payloads.map((payload) => ({
        seq: ++seq, id: randomUUID(), type: (payload as { joinId?: string }).joinId ? 'member.joined' : 'operation.recorded', createdAt: NOW, payload,
      })) as AnyPushEvent[];
      return createHqClient({ url: hq.url, credential }).push(events);
    };
    return { signup, op, push };
  };

  it('gives nothing to a referrer who is the referee or an alias of them, however the sign-ups are forged', async () => {
    const { signup, op, push } = await forger('ref-self');
    const holder = signup('+8613755550004');
    // The same phone again, naming the member it will be merged into as its referrer.
    const alias = signup('+8613755550004', { referrerId: holder.memberId });
    const selfId = randomUUID();
    const self = signup('+8613755550005', { memberId: selfId, referrerId: selfId });
    const answer = await push([holder, alias, self, op('earn', alias.memberId, { amountFen: 10_000 }), op('earn', selfId, { amountFen: 10_000 })]);
    expect(answer.value.acks.map((x) => x.status), JSON.stringify(answer.value.conflicts)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    expect(answer.value.conflicts.map((c) => c.kind).sort()).toEqual(['referrer_unknown', 'signup_merged']);
    for (const id of [holder.memberId, alias.memberId, selfId]) expect(await rewards(id)).toEqual([]);
    const [row] = await hq.db.query<{ n: number }>("SELECT count(*)::int AS n FROM members WHERE id = ANY($1) AND lots::text LIKE '%referral:%'", [[holder.memberId, selfId]]);
    expect(row!.n).toBe(0);
  });

  it('says merge_benefit_twice when both merged sign-ups used a once-only benefit, and only benefit_limit for one member using it twice', async () => {
    const { signup, op, push } = await forger('merge-benefit');
    const holder = signup('+8613755550006');
    const alias = signup('+8613755550006');
    const single = signup('+8613755550007');
    // A once-only benefit any new member may use (the demo's 回归礼 is once-only too, but not for a member who just joined).
    const onceOnly = { ...demoBenefits(NOW).find((b) => b.id === 'B-VOUCHER-20')!, id: 'B-ONCE-TEST', perMemberLimit: 1 };
    await hq.admin('POST', '/v1/admin/benefits', { benefits: [onceOnly] });
    const once = { benefitId: onceOnly.id };
    // The holder's use reaches HQ in one batch, the merged sign-up's in the next (as two terminals would push them).
    const first = await push([holder, op('redeem', holder.memberId, once), single, op('redeem', single.memberId, once), op('redeem', single.memberId, once)]);
    expect(first.value.acks.every((a) => a.status === 'applied'), JSON.stringify(first.value.conflicts)).toBe(true);
    const second = await push([alias, op('redeem', alias.memberId, once)]);
    expect(second.value.acks.map((a) => a.status)).toEqual(['applied', 'applied']);
    const kinds = (r: typeof first, memberId: string) => r.value.conflicts.filter((c) => c.memberId === memberId).map((c) => c.kind).sort();
    expect(kinds(first, single.memberId)).toEqual(['benefit_limit']);
    expect(kinds(first, holder.memberId)).toEqual([]);
    expect(kinds(second, holder.memberId)).toEqual(['benefit_limit', 'merge_benefit_twice']);
    const merged = second.value.conflicts.find((c) => c.kind === 'merge_benefit_twice')!;
    expect(merged).toMatchObject({ decision: 'honored', detail: { benefitId: onceOnly.id, aliasId: alias.memberId } });
  });
});

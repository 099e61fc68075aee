// Referral points are earned points (docs/join.md "Referral reward"): each side's credit counts
// toward its member-day earning cap, with HQ's earns of that day. Without that, one enrolled terminal
// signed up made-up members naming one referrer, gave each a 1-fen purchase, and the referrer got
// 200 points a pair — 50,000 a push of 500 events, without end. Real HQ on loopback over HTTP
// (PGlite, and PostgreSQL with DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedCardNo } from '../../src/loyalty/cardNumber';
import { phoneHash } from '../../src/loyalty/phone';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import type { MemberJoined } from '../../src/sync/joinEvent';
import type { AnyPushEvent } from '../../src/sync/protocol';
import { createHqClient } from '../../src/syncClient/hqClient';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, seedHq, startTestHq, type TestHq } from './harness';
import { earn, enroll, eventsOf, push, type Desk } from './events';

const CAP = 1_000;

describe.each(BACKENDS)('referral points within the member-day cap, on %s', (backend) => {
  let hq: TestHq;
  let desk: Desk;
  const tmp = tempDir('ld-referral-cap-');

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir, 20);
    const [{ v }] = (await hq.db.query<{ v: number }>('SELECT max(version)::int AS v FROM rules_versions')) as [{ v: number }];
    await hq.admin('PUT', '/v1/admin/rules', { ...DEFAULT_RULES, version: v + 1, earn: { ...DEFAULT_RULES.earn, maxPointsPerMemberDay: CAP } });
    desk = await enroll(hq, tmp.dir, 'farm');
  }, 120_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  const balance = async (id: string) => {
    const [m] = await hq.db.query<{ lots: { remaining: number }[] }>('SELECT lots FROM members WHERE id = $1', [id]);
    return m!.lots.reduce((s, l) => s + l.remaining, 0);
  };

  it('gives a referrer named by many sign-ups of one day no more than the cap leaves, and counts it against its own earns that day', async () => {
    const referrer = 'M00000007';
    const before = await balance(referrer);
    const [row] = await hq.db.query<{ k: Buffer | Uint8Array }>("SELECT phone_key AS k FROM brand WHERE id = 'brand'");
    const key = Buffer.from(row!.k).toString('base64url');
    const [own] = await hq.db.query<{ start: number; used: number }>('SELECT start::int AS start, used FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [desk.terminalId]);
    let n = own!.start + own!.used;
    const joins: MemberJoined[] = Array.from({ length: 10 }, () => {
      const phone = `+86137${String(2000_0000 + n).slice(-8)}`;
      return {
        v: 1, joinId: randomUUID(), memberId: randomUUID(), cardNo: issuedCardNo(n++), phone, phoneHash: phoneHash(key, phone), name: '钱七', birthday: null,
        referrerId: referrer, termsVersion: 1, staffId: 'clerk-01', storeId: desk.storeId, terminalId: desk.terminalId, at: NOW,
      };
    });
    const events = [
      ...joins.map((payload) => ({ seq: ++desk.seq, id: randomUUID(), type: 'member.joined', createdAt: NOW, payload })),
      ...eventsOf(desk, joins.map((j, i) => earn(desk, j.memberId, 1, { at: NOW + i }))),
    ] as AnyPushEvent[];
    const answer = await createHqClient({ url: hq.url, credential: desk.credential }).push(events);
    expect(new Set(answer.value.acks.map((a) => a.status))).toEqual(new Set(['applied']));
    // Ten referrals of 200 points claim 2,000; the day's cap is 1,000.
    expect((await balance(referrer)) - before).toBe(CAP);
    const [{ n: recorded }] = (await hq.db.query<{ n: number }>('SELECT sum(referrer_points)::int AS n FROM referral_rewards WHERE referrer_id = $1', [referrer])) as [{ n: number }];
    expect(recorded).toBe(CAP);
    // Each referee got its 100: its own day is far from the cap.
    for (const j of joins) expect(await balance(j.memberId)).toBe(DEFAULT_RULES.referral.refereePoints);
    // The referrer's own purchase later that day earns nothing more: the referral points filled the day.
    const own5 = earn(desk, referrer, 50_000, { at: NOW + 60_000 });
    const r = await push(hq, desk, [own5]);
    expect(r.conflicts.find((c) => c.opId === own5.opId)).toMatchObject({ kind: 'earn_capped', detail: { applied: 0 } });
    expect((await balance(referrer)) - before).toBe(CAP);
  });
});

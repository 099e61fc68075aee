// Sign-up at the desk against a real HQ (docs/join.md): terms and a card block arrive with the first
// sync, a member signed up offline reaches HQ with its phone once and comes back as HQ's row, a low
// block is topped up, and hostile sign-up events are refused alone (each with a conflict) without
// stalling the outbox. PGlite always; PostgreSQL too with DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuedCardNo } from '../../src/loyalty/cardNumber';
import { phoneHash } from '../../src/loyalty/phone';
import { createHqClient } from '../../src/syncClient/hqClient';
import { syncOnce } from '../../src/syncClient/syncRun';
import { getSyncState } from '../../src/store/syncState';
import type { MemberJoined } from '../../src/sync/joinEvent';
import type { AnyPushEvent } from '../../src/sync/protocol';
import type { Queryable } from '../../src/hq/db';
import { CARD_BLOCK_LOW_WATER, CARD_BLOCK_SIZE } from '../../src/hq/services/cardBlocks';
import { NOW, tempDir } from '../helpers/demoDb';
import { operatorSession } from '../helpers/sessions';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';
import { MAX_SIGNUPS_PER_TERMINAL } from '../../src/hq/services/terminalCaps';

async function phoneKeyAt(q: Queryable): Promise<string> {
  const [row] = await q.query<{ k: Buffer | Uint8Array }>("SELECT phone_key AS k FROM brand WHERE id = 'brand'");
  return Buffer.from(row!.k).toString('base64url');
}

describe.each(BACKENDS)('sign-up with HQ, on %s', (backend) => {
  let hq: TestHq;
  let tmp: ReturnType<typeof tempDir>;
  let dbPath: string;

  beforeAll(async () => {
    tmp = tempDir('ld-join-hq-');
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir, 40);
    dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'desk');
  }, 120_000);
  afterAll(async () => {
    await hq.stop();
    tmp.cleanup();
  });

  it('a terminal gets the terms and a card block at its first sync, signs up offline, and HQ holds the member (phone stored as HQ stores phones)', async () => {
    const clock = { now: NOW };
    const t = openAt(dbPath, clock);
    try {
      expect(t.db.prepare('SELECT count(*) AS n FROM privacy_terms').get()).toEqual({ n: 0 });
      await syncOnce(t.db, { now: () => clock.now });
      expect(t.db.prepare('SELECT count(*) AS n FROM privacy_terms').get()).toEqual({ n: 1 });
      const block = t.db.prepare('SELECT start, size, used FROM card_blocks').all() as { start: number; size: number; used: number }[];
      expect(block).toHaveLength(1);
      expect(block[0]!.size).toBe(CARD_BLOCK_SIZE);

      const call = operatorSession(t.service, { staffId: 'clerk-01' });
      const joined = await call('member.join', { phone: '13700000001', phoneAgain: '13700000001', name: '赵六', birthday: '07-15', consentTermsVersion: 1 });
      expect(joined.ok).toBe(true);
      if (!joined.ok) return;
      const member = (joined.value as { member: { id: string; cardNo: string } }).member;
      expect(member.cardNo).toBe(issuedCardNo(block[0]!.start));

      const summary = await syncOnce(t.db, { now: () => clock.now });
      expect(summary.refused).toBe(0);
      expect(summary.pending).toBe(0);
      // The number has left the terminal: the outbox row that carried it is gone.
      expect(t.db.prepare("SELECT count(*) AS n FROM outbox WHERE type = 'member.joined'").get()).toEqual({ n: 0 });

      const [row] = await hq.db.query<{ phone: string; phone_hash: string; card_no: string; tier: string; name: string }>(
        'SELECT phone, phone_hash, card_no, tier, name FROM members WHERE id = $1',
        [member.id],
      );
      expect(row).toMatchObject({ phone: '+8613700000001', card_no: member.cardNo, tier: 'basic', name: '赵六' });
      expect(row!.phone_hash).toBe(phoneHash(await phoneKeyAt(hq.db), '+8613700000001'));
      const [signup] = await hq.db.query<{ terms_version: number; staff_id: string; terminal_id: string }>('SELECT terms_version, staff_id, terminal_id FROM member_signups WHERE member_id = $1', [member.id]);
      expect(signup).toMatchObject({ terms_version: 1, staff_id: 'clerk-01' });
      // HQ's row came back and replaced the terminal's own (same hash, same card).
      expect(t.db.prepare('SELECT card_no, phone_last4 FROM members WHERE id = ?').get(member.id)).toEqual({ card_no: member.cardNo, phone_last4: '0001' });
    } finally {
      t.close();
    }
  });

  it('tops a low card block up at the next pull', async () => {
    const clock = { now: NOW };
    const t = openAt(dbPath, clock);
    try {
      const terminalId = t.service.deps.identity.terminalId;
      await hq.db.query('UPDATE card_blocks SET used = size - $2 + 1 WHERE terminal_id = $1', [terminalId, CARD_BLOCK_LOW_WATER]);
      await syncOnce(t.db, { now: () => clock.now });
      const blocks = t.db.prepare('SELECT start, size FROM card_blocks ORDER BY start').all() as { start: number; size: number }[];
      expect(blocks).toHaveLength(2);
      expect(blocks[1]!.start).toBeGreaterThanOrEqual(blocks[0]!.start + blocks[0]!.size);
      const [other] = await hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM card_blocks WHERE terminal_id <> $1', [terminalId]);
      expect(other!.n).toBe(0);
    } finally {
      t.close();
    }
  });

  it('refuses hostile sign-ups alone, each with a conflict, and applies the honest one in the same batch', async () => {
    const clock = { now: NOW };
    const t = openAt(dbPath, clock);
    const credential = getSyncState(t.db, 'credential')!;
    const { storeId, terminalId } = t.service.deps.identity;
    t.close();
    const key = await phoneKeyAt(hq.db);
    const [own] = await hq.db.query<{ start: number; used: number }>('SELECT start::int AS start, used FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [terminalId]);
    const [taken] = await hq.db.query<{ id: string; card_no: string }>("SELECT id, card_no FROM members WHERE id LIKE 'M%' ORDER BY id LIMIT 1");
    let n = own!.start + own!.used;
    const join = (over: Partial<MemberJoined> = {}): MemberJoined => {
      const phone = over.phone ?? `+86137${String(1000_0000 + n).slice(-8)}`;
      return {
        v: 1, joinId: randomUUID(), memberId: randomUUID(), cardNo: issuedCardNo(n++), phone, phoneHash: phoneHash(key, phone), name: '钱七', birthday: null,
        referrerId: null, termsVersion: 1, staffId: 'clerk-01', storeId, terminalId, at: NOW, ...over,
      };
    };
    const honest = join();
    const hostile: [string, MemberJoined][] = [
      ['card_outside_block', join({ cardNo: issuedCardNo(9_000_000) })],
      ['card_outside_block', join({ cardNo: taken!.card_no })],
      // A number of its own block that another sign-up (the honest one, first in the batch) already has.
      ['card_taken', join({ cardNo: honest.cardNo })],
      ['id_taken', join({ memberId: taken!.id })],
      ['phone_mismatch', join({ phoneHash: phoneHash(key, '+8613999999999') })],
      ['name_bidi', join({ name: '钱\u202e七' })],
      ['birthday_invalid', join({ birthday: '02-30' })],
      ['staff_unknown', join({ staffId: 'nobody' })],
      ['terms_unknown', join({ termsVersion: 99 })],
    ];
    const payloads = [honest, ...hostile.map(([, j]) => j)];
    const seq0 = Number((await hq.db.query<{ s: number }>('SELECT last_seq::int AS s FROM terminals WHERE id = $1', [terminalId]))[0]!.s);
    const events = payloads.map((payload, i) => ({ seq: seq0 + i + 1, id: randomUUID(), type: 'member.joined' as const, createdAt: NOW, payload })) as AnyPushEvent[];
    const answer = await createHqClient({ url: hq.url, credential }).push(events);
    expect(answer.value.acks.map((a) => a.status)).toEqual(['applied', ...hostile.map(() => 'refused')]);
    const reasons = answer.value.conflicts.filter((c) => c.kind === 'signup_refused').map((c) => c.detail.reason);
    expect(reasons).toEqual(hostile.map(([r]) => r));
    expect(await hq.db.query('SELECT id FROM members WHERE id = $1', [honest.memberId])).toHaveLength(1);
    for (const [, j] of hostile) expect(await hq.db.query('SELECT 1 FROM member_signups WHERE join_id = $1', [j.joinId])).toHaveLength(0);
    // The same events again: duplicates, nothing applied twice.
    const again = await createHqClient({ url: hq.url, credential }).push(events);
    expect(again.value.acks.every((a) => a.status === 'duplicate')).toBe(true);
  });

  it('merges two offline sign-ups of one phone into the one HQ received first; the other id and card still find the member on both terminals', async () => {
    const clock = { now: NOW };
    // Two terminals of their own (the hostile test above pushed under the first desk's sequence numbers).
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'merge-1'), clock);
    const second = await enrollNew(hq.url, hq.admin, tmp.dir, 'merge-2');
    const b = openAt(second, clock);
    try {
      for (const t of [a, b]) await syncOnce(t.db, { now: () => clock.now });
      const form = { phone: '13766660000', phoneAgain: '13766660000', name: '冯二', consentTermsVersion: 1 };
      const ja = await operatorSession(a.service, { staffId: 'clerk-01' })('member.join', form);
      const callB = operatorSession(b.service, { staffId: 'clerk-01' });
      const jb = await callB('member.join', form);
      expect(ja.ok && jb.ok).toBe(true);
      if (!ja.ok || !jb.ok) return;
      const first = (ja.value as { member: { id: string; cardNo: string } }).member;
      const other = (jb.value as { member: { id: string; cardNo: string } }).member;
      // The second sign-up's member buys something offline before its terminal syncs.
      const earned = await callB('points.earn', { memberId: other.id, lines: [{ category: 'general', amountFen: 25_000 }] });
      expect(earned.ok).toBe(true);

      await syncOnce(a.db, { now: () => clock.now });
      const sb = await syncOnce(b.db, { now: () => clock.now });
      expect(sb.refused).toBe(0);
      await syncOnce(a.db, { now: () => clock.now });

      // HQ: one member, the first; the other is an alias; its purchase is on the member it became.
      expect(await hq.db.query('SELECT 1 FROM members WHERE id = $1', [other.id])).toHaveLength(0);
      const [alias] = await hq.db.query<{ member_id: string; card_no: string }>('SELECT member_id, card_no FROM member_aliases WHERE alias_id = $1', [other.id]);
      expect(alias).toEqual({ member_id: first.id, card_no: other.cardNo });
      const [kept] = await hq.db.query<{ lots: { points: number }[] }>('SELECT lots FROM members WHERE id = $1', [first.id]);
      expect(kept!.lots.reduce((n, l) => n + l.points, 0)).toBe(250);
      const [merged] = await hq.db.query<{ kind: string }>("SELECT kind FROM conflicts WHERE member_id = $1 AND kind = 'signup_merged'", [other.id]);
      expect(merged).toBeDefined();

      // Both terminals: the other id and its card find the first member; its phone finds only that one.
      for (const t of [a, b]) {
        const call = operatorSession(t.service, {});
        for (const ref of [{ memberId: other.id }, { cardNo: other.cardNo }, { phone: '13766660000' }, { memberId: first.id }]) {
          const found = await call('member.lookup', ref);
          expect(found.ok && (found.value as { id: string }).id, JSON.stringify(ref)).toBe(first.id);
        }
      }
      const card = await operatorSession(b.service, {})('member.card', { memberId: first.id });
      expect(card.ok && (card.value as { points: { balance: number } }).points.balance).toBe(250);
    } finally {
      a.close();
      b.close();
    }
  });

  it(`signs up at most ${MAX_SIGNUPS_PER_TERMINAL} members per terminal in 24 hours of HQ's clock: the rest are refused as signup_cap`, async () => {
    const clock = { now: NOW };
    const t = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'signup-flood'), clock);
    await syncOnce(t.db, { now: () => clock.now });
    const credential = getSyncState(t.db, 'credential')!;
    const { storeId, terminalId } = t.service.deps.identity;
    t.close();
    // What this terminal signed up earlier today (and the day before, which no longer counts), as HQ recorded it.
    const record = (count: number, receivedAt: number, tag: string) =>
      hq.db.query(
        `INSERT INTO member_signups(join_id, member_id, terminal_id, store_id, card_no, terms_version, consent_at, staff_id, received_at)
         SELECT $4 || g, $4 || 'm' || g, $1, $2, 'earlier', 1, $3, 'clerk-01', $3 FROM generate_series(1, $5::int) g`,
        [terminalId, storeId, receivedAt, tag, count],
      );
    await record(MAX_SIGNUPS_PER_TERMINAL, NOW - 25 * 3_600_000, 'yesterday-');
    await record(MAX_SIGNUPS_PER_TERMINAL - 1, NOW - 3_600_000, 'today-');
    const key = await phoneKeyAt(hq.db);
    const [own] = await hq.db.query<{ start: number; used: number }>('SELECT start::int AS start, used FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [terminalId]);
    let n = own!.start + own!.used;
    const joins: MemberJoined[] = Array.from({ length: 3 }, () => {
      const phone = `+86136${String(3000_0000 + n).slice(-8)}`;
      return { v: 1, joinId: randomUUID(), memberId: randomUUID(), cardNo: issuedCardNo(n++), phone, phoneHash: phoneHash(key, phone), name: '钱七', birthday: null, referrerId: null, termsVersion: 1, staffId: 'clerk-01', storeId, terminalId, at: NOW };
    });
    const seq0 = Number((await hq.db.query<{ s: number }>('SELECT last_seq::int AS s FROM terminals WHERE id = $1', [terminalId]))[0]!.s);
    const events = joins.map((payload, i) => ({ seq: seq0 + i + 1, id: randomUUID(), type: 'member.joined' as const, createdAt: NOW, payload })) as AnyPushEvent[];
    const answer = await createHqClient({ url: hq.url, credential }).push(events);
    expect(answer.value.acks.map((a) => a.status)).toEqual(['applied', 'refused', 'refused']);
    expect(answer.value.conflicts.filter((c) => c.kind === 'signup_refused').map((c) => c.detail)).toEqual([
      { reason: 'signup_cap', limit: MAX_SIGNUPS_PER_TERMINAL },
      { reason: 'signup_cap', limit: MAX_SIGNUPS_PER_TERMINAL },
    ]);
    expect(await hq.db.query('SELECT id FROM members WHERE id = ANY($1)', [joins.map((j) => j.memberId)])).toEqual([{ id: joins[0]!.memberId }]);
  });
});

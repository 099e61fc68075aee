// 挂失补卡 against a real HQ (docs/lostcard.md): terminal A replaces a member's card offline, HQ
// re-derives the event, and terminal B refuses the old card's code and number after its next sync.
// Hostile replacement events are refused alone (each with a conflict) without stalling the batch.
// PGlite always; PostgreSQL too with DATABASE_URL.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { issuedCardNo } from '../../src/loyalty/cardNumber';
import { parsePrivateJwk } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import type { CardReplaced } from '../../src/sync/cardReplaceEvent';
import type { AnyPushEvent } from '../../src/sync/protocol';
import { createHqClient } from '../../src/syncClient/hqClient';
import { syncOnce } from '../../src/syncClient/syncRun';
import { getSyncState } from '../../src/store/syncState';
import { signedCodeOfCurrentCard } from '../../src/store/replacedCards';
import { parseCode } from '../../src/scan/codeFormat';
import { cli } from '../helpers/cliChild';
import { NOW, tempDir } from '../helpers/demoDb';
import { operatorSession } from '../helpers/sessions';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';
import { MAX_CARD_REPLACEMENTS_PER_TERMINAL } from '../../src/hq/services/terminalCaps';

describe.each(BACKENDS)('lost card with HQ, on %s', (backend) => {
  let hq: TestHq;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    tmp = tempDir('ld-card-hq-');
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir, 40);
  }, 120_000);
  afterAll(async () => {
    await hq.stop();
    tmp.cleanup();
  });

  const codeFor = (mid: string, cs: number): string => {
    const key = parsePrivateJwk(readFileSync(join(tmp.dir, 'hq-key.jwk.json'), 'utf8'));
    if (!key) throw new Error('no HQ key');
    return mintCardCode(key, { mid, cs, iat: Math.floor(NOW / 1000) - 60 });
  };

  it('A replaces the card; HQ moves the member to the new card; B refuses the old code and number after its sync', async () => {
    const clock = { now: NOW };
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'a'), clock);
    const b = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'b'), clock);
    try {
      for (const t of [a, b]) await syncOnce(t.db, { now: () => clock.now });
      const [m] = await hq.db.query<{ id: string; card_no: string }>("SELECT id, card_no FROM members WHERE id LIKE 'M%' AND card_serial = 1 AND status = 'active' ORDER BY id LIMIT 1");
      const oldCode = codeFor(m!.id, 1);
      const scanB = operatorSession(b.service, {});
      expect((await scanB('scan.submit', { code: oldCode })).ok).toBe(true);

      const done = await operatorSession(a.service, { staffId: 'clerk-01', managerId: 'mgr-01' })('member.replaceCard', { memberId: m!.id });
      expect(done.ok).toBe(true);
      if (!done.ok) return;
      const newCardNo = (done.value as { newCardNo: string }).newCardNo;
      const sa = await syncOnce(a.db, { now: () => clock.now });
      expect(sa.refused).toBe(0);
      expect(sa.pending).toBe(0);

      const [row] = await hq.db.query<{ card_no: string; card_serial: number }>('SELECT card_no, card_serial FROM members WHERE id = $1', [m!.id]);
      expect(row).toEqual({ card_no: newCardNo, card_serial: 2 });
      const [rep] = await hq.db.query<{ old_card_no: string; approved_by: string; staff_id: string }>('SELECT old_card_no, approved_by, staff_id FROM card_replacements WHERE member_id = $1', [m!.id]);
      expect(rep).toEqual({ old_card_no: m!.card_no, approved_by: 'mgr-01', staff_id: 'clerk-01' });

      await syncOnce(b.db, { now: () => clock.now });
      const byCode = await scanB('scan.submit', { code: oldCode });
      expect(!byCode.ok && byCode.error.code).toBe('CARD_SUPERSEDED');
      const byNumber = await scanB('scan.submit', { code: m!.card_no });
      expect(!byNumber.ok && byNumber.error.code).toBe('CARD_SUPERSEDED');
      const byNew = await scanB('scan.submit', { code: newCardNo });
      expect(byNew.ok && (byNew.value as { member: { id: string } }).member.id).toBe(m!.id);
      expect((await scanB('scan.submit', { code: codeFor(m!.id, 2) })).ok).toBe(true);
      // A keeps the replacement after pulling HQ's copy of the member.
      await syncOnce(a.db, { now: () => clock.now });
      expect(a.db.prepare('SELECT card_no, card_serial FROM members WHERE id = ?').get(m!.id)).toEqual({ card_no: newCardNo, card_serial: 2 });
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses hostile replacements alone, each with a conflict, and applies the honest one in the same batch', async () => {
    const clock = { now: NOW };
    const t = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'hostile'), clock);
    await syncOnce(t.db, { now: () => clock.now });
    const credential = getSyncState(t.db, 'credential')!;
    const { storeId, terminalId } = t.service.deps.identity;
    t.close();
    const [own] = await hq.db.query<{ start: number; used: number }>('SELECT start::int AS start, used FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [terminalId]);
    const [other] = await hq.db.query<{ start: number }>('SELECT start::int AS start FROM card_blocks WHERE terminal_id <> $1 ORDER BY start LIMIT 1', [terminalId]);
    const members = await hq.db.query<{ id: string; card_no: string }>("SELECT id, card_no FROM members WHERE id LIKE 'M%' AND card_serial = 1 AND status = 'active' ORDER BY id DESC LIMIT 8");
    let n = own!.start + own!.used;
    let k = 0;
    const replace = (over: Partial<CardReplaced> = {}): CardReplaced => {
      const m = members[k++]!;
      return {
        v: 1, replaceId: randomUUID(), memberId: m.id, oldCardNo: m.card_no, oldSerial: 1, newCardNo: issuedCardNo(n++), newSerial: 2,
        staffId: 'clerk-01', approvedBy: 'mgr-01', storeId, terminalId, at: NOW, ...over,
      };
    };
    const honest = replace();
    const hostile: [string, CardReplaced][] = [
      ['card_outside_block', replace({ newCardNo: issuedCardNo(other!.start) })],
      ['card_outside_block', replace({ newCardNo: issuedCardNo(9_000_000) })],
      ['approver_not_manager', replace({ approvedBy: 'clerk-02' })],
      // A manager of another store approves nothing here.
      ['approver_not_manager', replace({ approvedBy: 'bj-mgr-01' })],
      ['staff_unknown', replace({ staffId: 'nobody' })],
      // Another terminal replaced the same lost card first (the honest event): this one's old card is no longer current.
      ['card_not_current', replace({ memberId: honest.memberId, oldCardNo: honest.oldCardNo })],
      ['card_not_current', replace({ oldSerial: 5, newSerial: 6 })],
    ];
    const payloads = [honest, ...hostile.map(([, r]) => r)];
    // Refused ones change nothing: their members keep the card they had.
    const before = await hq.db.query<{ id: string; card_no: string; card_serial: number }>('SELECT id, card_no, card_serial FROM members WHERE id = ANY($1) ORDER BY id', [hostile.map(([, r]) => r.memberId)]);
    const seq0 = Number((await hq.db.query<{ s: number }>('SELECT last_seq::int AS s FROM terminals WHERE id = $1', [terminalId]))[0]!.s);
    const events = payloads.map((payload, i) => ({ seq: seq0 + i + 1, id: randomUUID(), type: 'card.replaced' as const, createdAt: NOW, payload })) as AnyPushEvent[];
    const answer = await createHqClient({ url: hq.url, credential }).push(events);
    expect(answer.value.acks.map((a) => a.status)).toEqual(['applied', ...hostile.map(() => 'refused')]);
    expect(answer.value.conflicts.filter((c) => c.kind === 'card_replace_refused').map((c) => c.detail.reason)).toEqual(hostile.map(([r]) => r));
    // Only the second replacement of the honest one's card left a row: its new number, retired (docs/lostcard.md).
    const retired = await hq.db.query<{ old_card_no: string; new_card_no: string }>('SELECT old_card_no, new_card_no FROM card_replacements WHERE replace_id = ANY($1)', [hostile.map(([, r]) => r.replaceId)]);
    expect(retired).toEqual([{ old_card_no: hostile[5]![1].newCardNo, new_card_no: honest.newCardNo }]);
    const after = await hq.db.query<{ id: string; card_no: string; card_serial: number }>('SELECT id, card_no, card_serial FROM members WHERE id = ANY($1) ORDER BY id', [hostile.map(([, r]) => r.memberId)]);
    expect(after.filter((m) => m.id !== honest.memberId)).toEqual(before.filter((m) => m.id !== honest.memberId));
    const [moved] = await hq.db.query<{ card_no: string }>('SELECT card_no FROM members WHERE id = $1', [honest.memberId]);
    expect(moved!.card_no).toBe(honest.newCardNo);
    // The same events again: duplicates, nothing applied twice.
    const again = await createHqClient({ url: hq.url, credential }).push(events);
    expect(again.value.acks.every((a) => a.status === 'duplicate')).toBe(true);
  });

  it('generated malformed replacement payloads are refused alone as malformed; the honest one in the batch applies', async () => {
    const clock = { now: NOW };
    const t = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'fuzz'), clock);
    await syncOnce(t.db, { now: () => clock.now });
    const credential = getSyncState(t.db, 'credential')!;
    const { storeId, terminalId } = t.service.deps.identity;
    t.close();
    const [own] = await hq.db.query<{ start: number; used: number }>('SELECT start::int AS start, used FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [terminalId]);
    const [m] = await hq.db.query<{ id: string; card_no: string }>("SELECT id, card_no FROM members WHERE id LIKE 'M%' AND card_serial = 1 AND status = 'active' ORDER BY id LIMIT 1 OFFSET 3");
    const honest: CardReplaced = {
      v: 1, replaceId: randomUUID(), memberId: m!.id, oldCardNo: m!.card_no, oldSerial: 1, newCardNo: issuedCardNo(own!.start + own!.used), newSerial: 2,
      staffId: 'clerk-01', approvedBy: 'mgr-01', storeId, terminalId, at: NOW,
    };
    // Each mutation breaks the schema (wrong type, out of range, unstorable text, missing field): never a valid event by chance.
    const rnd = mulberry32(1703);
    const keys = Object.keys(honest) as (keyof CardReplaced)[];
    const breakers: ((v: unknown) => unknown)[] = [
      () => undefined,
      () => ({ nested: true }),
      () => [1, 2],
      (v) => (typeof v === 'number' ? String(v) : 12_345),
      () => 'x\u0000y',
      () => '\uD800',
      () => 'z'.repeat(300),
      () => -1.5,
    ];
    const bad: Record<string, unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      const key = keys[Math.floor(rnd() * keys.length)]!;
      const breaker = breakers[Math.floor(rnd() * breakers.length)]!;
      const payload: Record<string, unknown> = { ...honest, replaceId: randomUUID(), [key]: breaker(honest[key]) };
      if (payload[key] === undefined) delete payload[key];
      // A string where a string was wanted may still fit (e.g. a short text as staffId): keep only sure breaks.
      const sure = !['staffId', 'approvedBy'].includes(key) || typeof payload[key] !== 'string' || (payload[key] as string).length > 80 || /\u0000|[\uD800-\uDFFF]/.test(payload[key] as string);
      const storeOrTerminal = (key === 'storeId' || key === 'terminalId') && typeof payload[key] === 'string';
      if (sure && !storeOrTerminal) bad.push(payload);
    }
    expect(bad.length).toBeGreaterThan(30);
    const seq0 = Number((await hq.db.query<{ s: number }>('SELECT last_seq::int AS s FROM terminals WHERE id = $1', [terminalId]))[0]!.s);
    const events = [honest, ...bad].map((payload, i) => ({ seq: seq0 + i + 1, id: randomUUID(), type: 'card.replaced' as const, createdAt: NOW, payload }));
    const answer = await createHqClient({ url: hq.url, credential }).push(events as AnyPushEvent[]);
    expect(answer.value.acks.map((a) => a.status)).toEqual(['applied', ...bad.map(() => 'refused')]);
    expect(answer.value.conflicts.filter((c) => c.kind === 'malformed')).toHaveLength(bad.length);
    const [moved] = await hq.db.query<{ card_no: string; card_serial: number }>('SELECT card_no, card_serial FROM members WHERE id = $1', [m!.id]);
    expect(moved).toEqual({ card_no: honest.newCardNo, card_serial: 2 });
    expect(await hq.db.query('SELECT 1 FROM card_replacements WHERE member_id = $1', [m!.id])).toHaveLength(1);
  });

  /** The scan as the desk does it: the member id, or the refusal's code. */
  const scanAt = async (t: ReturnType<typeof openAt>, code: string): Promise<string> => {
    const r = await operatorSession(t.service, {})('scan.submit', { code });
    return r.ok ? (r.value as { member: { id: string } }).member.id : r.error.code;
  };

  it("HQ signs the new card's static code at the sync after the replacement: accepted at both terminals, the old one refused", async () => {
    const clock = { now: NOW };
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'sign-a'), clock);
    const bPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'sign-b');
    const b = openAt(bPath, clock);
    try {
      for (const t of [a, b]) await syncOnce(t.db, { now: () => clock.now });
      const [m] = await hq.db.query<{ id: string }>("SELECT id FROM members WHERE id LIKE 'M%' AND card_serial = 1 AND status = 'active' AND id NOT IN (SELECT member_id FROM card_replacements) ORDER BY id LIMIT 1 OFFSET 3");
      const done = await operatorSession(a.service, { staffId: 'clerk-01', managerId: 'mgr-01' })('member.replaceCard', { memberId: m!.id });
      expect(done.ok).toBe(true);
      // Until the sync, nothing is signed for the new serial (the member is found by phone or the new number).
      expect(signedCodeOfCurrentCard(a.db, m!.id)).toBeNull();
      await syncOnce(a.db, { now: () => clock.now });
      const [row] = await hq.db.query<{ card_code: string }>('SELECT card_code FROM card_replacements WHERE member_id = $1', [m!.id]);
      const code = row!.card_code;
      const parsed = parseCode(code);
      expect(parsed.kind === 'static' && { mid: parsed.payload.mid, cs: parsed.payload.cs }).toEqual({ mid: m!.id, cs: 2 });
      // A pulled it with the replacement; B pulls it at its own sync; both accept it and refuse the old card's code.
      expect(signedCodeOfCurrentCard(a.db, m!.id)).toBe(code);
      await syncOnce(b.db, { now: () => clock.now });
      expect(signedCodeOfCurrentCard(b.db, m!.id)).toBe(code);
      for (const t of [a, b]) {
        expect(await scanAt(t, code)).toBe(m!.id);
        expect(await scanAt(t, codeFor(m!.id, 1))).toBe('CARD_SUPERSEDED');
      }
      const verified = await operatorSession(b.service, {})('scan.submit', { code });
      expect(verified.ok && (verified.value as { check: string }).check).toBe('signed');
      // An enrolled terminal holds no HQ key: `member-qr` prints the code HQ signed for the new card.
      const qr = await cli('member-qr', '--db', bPath, '--member', m!.id);
      expect(qr).toMatchObject({ code: 0, json: { code } });
    } finally {
      a.close();
      b.close();
    }
  });

  it('two offline replacements of one card: the first HQ receives stands, the second number is retired, both terminals converge', async () => {
    const clock = { now: NOW };
    const a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'twice-a'), clock);
    const b = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'twice-b'), clock);
    try {
      for (const t of [a, b]) await syncOnce(t.db, { now: () => clock.now });
      const [m] = await hq.db.query<{ id: string; card_no: string }>("SELECT id, card_no FROM members WHERE id LIKE 'M%' AND card_serial = 1 AND status = 'active' AND id NOT IN (SELECT member_id FROM card_replacements) ORDER BY id LIMIT 1 OFFSET 5");
      const replace = async (t: typeof a) => {
        const r = await operatorSession(t.service, { staffId: 'clerk-01', managerId: 'mgr-01' })('member.replaceCard', { memberId: m!.id });
        if (!r.ok) throw new Error(r.error.code);
        return (r.value as { newCardNo: string }).newCardNo;
      };
      const fromA = await replace(a);
      const fromB = await replace(b);
      expect(fromA).not.toBe(fromB);
      await syncOnce(a.db, { now: () => clock.now });
      const sb = await syncOnce(b.db, { now: () => clock.now });
      expect(sb.pending).toBe(0);
      expect(sb.refused).toBe(1);

      const [atHq] = await hq.db.query<{ card_no: string; card_serial: number }>('SELECT card_no, card_serial FROM members WHERE id = $1', [m!.id]);
      expect(atHq).toEqual({ card_no: fromA, card_serial: 2 });
      const [conflict] = await hq.db.query<{ kind: string; decision: string; detail: Record<string, unknown> }>(
        "SELECT kind, decision, detail FROM conflicts WHERE member_id = $1 AND kind = 'card_replace_refused'",
        [m!.id],
      );
      expect(conflict).toMatchObject({ decision: 'refused', detail: { reason: 'card_not_current', currentCardNo: fromA, retiredCardNo: fromB } });
      expect(await hq.db.query('SELECT old_card_no, new_card_no FROM card_replacements WHERE member_id = $1 ORDER BY old_card_no = $2', [m!.id, fromB])).toEqual([
        { old_card_no: m!.card_no, new_card_no: fromA },
        { old_card_no: fromB, new_card_no: fromA },
      ]);

      await syncOnce(a.db, { now: () => clock.now });
      const code = signedCodeOfCurrentCard(a.db, m!.id)!;
      for (const t of [a, b]) {
        expect(t.db.prepare('SELECT card_no, card_serial FROM members WHERE id = ?').get(m!.id)).toEqual({ card_no: fromA, card_serial: 2 });
        expect(await scanAt(t, fromA)).toBe(m!.id);
        expect(await scanAt(t, fromB)).toBe('CARD_SUPERSEDED');
        expect(await scanAt(t, m!.card_no)).toBe('CARD_SUPERSEDED');
        expect(signedCodeOfCurrentCard(t.db, m!.id)).toBe(code);
        expect(await scanAt(t, code)).toBe(m!.id);
      }
    } finally {
      a.close();
      b.close();
    }
  });

  it(`replaces at most ${MAX_CARD_REPLACEMENTS_PER_TERMINAL} cards per terminal in 24 hours of HQ's clock: the rest are refused as replace_cap and their members keep their cards`, async () => {
    const clock = { now: NOW };
    const t = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'flood'), clock);
    await syncOnce(t.db, { now: () => clock.now });
    const credential = getSyncState(t.db, 'credential')!;
    const { storeId, terminalId } = t.service.deps.identity;
    t.close();
    const [own] = await hq.db.query<{ start: number; used: number }>('SELECT start::int AS start, used FROM card_blocks WHERE terminal_id = $1 ORDER BY start LIMIT 1', [terminalId]);
    const members = await hq.db.query<{ id: string; card_no: string }>(
      "SELECT id, card_no FROM members WHERE id LIKE 'M%' AND card_serial = 1 AND status = 'active' AND id NOT IN (SELECT member_id FROM card_replacements) ORDER BY id LIMIT $1",
      [MAX_CARD_REPLACEMENTS_PER_TERMINAL + 2],
    );
    expect(members).toHaveLength(MAX_CARD_REPLACEMENTS_PER_TERMINAL + 2);
    let n = own!.start + own!.used;
    let seq = Number((await hq.db.query<{ s: number }>('SELECT last_seq::int AS s FROM terminals WHERE id = $1', [terminalId]))[0]!.s);
    const replacing = (m: { id: string; card_no: string }, at: number) => ({
      seq: ++seq, id: randomUUID(), type: 'card.replaced' as const, createdAt: at,
      payload: { v: 1, replaceId: randomUUID(), memberId: m.id, oldCardNo: m.card_no, oldSerial: 1, newCardNo: issuedCardNo(n++), newSerial: 2, staffId: 'clerk-01', approvedBy: 'mgr-01', storeId, terminalId, at } satisfies CardReplaced,
    });
    const client = createHqClient({ url: hq.url, credential });
    const events = members.map((m) => replacing(m, NOW));
    const answer = await client.push(events as AnyPushEvent[]);
    expect(answer.value.acks.map((a) => a.status)).toEqual(members.map((_, i) => (i < MAX_CARD_REPLACEMENTS_PER_TERMINAL ? 'applied' : 'refused')));
    expect(answer.value.conflicts.filter((c) => c.kind === 'card_replace_refused').map((c) => c.detail)).toEqual([
      { reason: 'replace_cap', limit: MAX_CARD_REPLACEMENTS_PER_TERMINAL },
      { reason: 'replace_cap', limit: MAX_CARD_REPLACEMENTS_PER_TERMINAL },
    ]);
    const refused = members.slice(MAX_CARD_REPLACEMENTS_PER_TERMINAL);
    expect(await hq.db.query('SELECT card_no, card_serial FROM members WHERE id = ANY($1) ORDER BY id', [refused.map((m) => m.id)])).toEqual(refused.map((m) => ({ card_no: m.card_no, card_serial: 1 })));
    // A day later on HQ's clock the terminal may replace cards again.
    hq.setClock(NOW + 24 * 3_600_000 + 60_000);
    try {
      const later = await client.push([replacing(refused[0]!, NOW + 24 * 3_600_000)] as AnyPushEvent[]);
      expect(later.value.acks.map((a) => a.status)).toEqual(['applied']);
    } finally {
      hq.setClock(NOW);
    }
  });
});

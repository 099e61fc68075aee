// 挂失补卡 (issue 17 item 3) on a real encrypted SQLite file, through the real dispatcher as a desk
// window and the command line's operator call it. The old card's codes and number are refused at
// once (CARD_SUPERSEDED); every refusal leaves the file as it was.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import type { TerminalApi } from '../../src/contract/terminalApi';
import { docLines } from '../../src/print/doc';
import { layoutCardReplacedJob } from '../../src/print/cardReplacedReceipt';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { parsePrivateJwk } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { CURRENT_CARD_CODE_SQL } from '../../src/store/replacedCards';
import { applyChange } from '../../src/store/syncApply';
import { signCardCode } from '../../src/sync/cardCode';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { readQrModules } from '../helpers/readQr';
import { deskApi, operatorSession, present } from '../helpers/sessions';

let t: DemoTerminal;
let api: TerminalApi;
let member: { id: string; card_no: string; card_serial: number };

beforeEach(async () => {
  t = openDemoTerminal(120);
  api = deskApi(t.service);
  expect((await api['staff.signIn']({ pin: '1234' })).ok).toBe(true);
  member = t.db.prepare("SELECT id, card_no, card_serial FROM members WHERE status = 'active' AND card_serial = 1 ORDER BY id LIMIT 1").get() as typeof member;
  await present(api, t, member.id);
});
afterEach(() => t.cleanup());

/** Everything a replacement writes: a refusal must leave all of it as it was. */
function fingerprint() {
  const n = (sql: string) => (t.db.prepare(sql).get() as { n: number }).n;
  return {
    member: t.db.prepare('SELECT card_no, card_serial, updated_at FROM members WHERE id = ?').get(member.id),
    replaced: n('SELECT count(*) AS n FROM replaced_cards'),
    outbox: n('SELECT count(*) AS n FROM outbox'),
    audit: n('SELECT count(*) AS n FROM audit'),
    used: n('SELECT coalesce(sum(used), 0) AS n FROM card_blocks'),
    prints: n('SELECT count(*) AS n FROM print_jobs'),
  };
}

function code(cs: number): string {
  const key = parsePrivateJwk(readFileSync(join(t.dir, HQ_KEY_FILE), 'utf8'));
  if (!key) throw new Error('no demo HQ key');
  return mintCardCode(key, { mid: member.id, cs, iat: Math.floor(Date.UTC(2026, 0, 1) / 1000) });
}

async function refusal<T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>): Promise<{ code: string; message: string }> {
  const r = await p;
  if (r.ok) throw new Error('expected a refusal');
  return r.error;
}

describe('member.replaceCard at the desk', () => {
  it('with the manager PIN: a new card from the block, the old code and number refused at once, the receipt says which replaced which', async () => {
    const preview = await api['member.replaceCardPreview']({ memberId: member.id });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    expect(preview.value.oldCardNo).toBe(member.card_no);
    expect(preview.value.newCardNo).toMatch(/^8870\d{12}$/);

    const r = await api['member.replaceCard']({ memberId: member.id, managerPin: '9999' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ oldCardNo: member.card_no, newCardNo: preview.value.newCardNo, cardSerial: 2, approvedBy: { id: 'mgr-01' } });
    expect(r.value.member.cardNo).toBe(preview.value.newCardNo);

    // The old card: its signed code and its number are an old card now, in the UI's language.
    const oldCode = await refusal(api['scan.submit']({ code: code(1) }));
    expect(oldCode.code).toBe('CARD_SUPERSEDED');
    expect(oldCode.message).toContain('旧卡');
    expect((await refusal(api['scan.submit']({ code: member.card_no }))).code).toBe('CARD_SUPERSEDED');
    expect((await refusal(api['member.card']({ cardNo: member.card_no }))).code).toBe('CARD_SUPERSEDED');
    await api['session.setLang']({ lang: 'en' });
    expect((await refusal(api['scan.submit']({ code: code(1) }))).message).toMatch(/old card/);

    // The new card: found by its number (unverified until HQ signs its code), and a serial-2 code is accepted.
    const byNew = await api['scan.submit']({ code: r.value.newCardNo });
    expect(byNew.ok && byNew.value).toMatchObject({ via: 'card', member: { id: member.id } });
    const newCode = await api['scan.submit']({ code: code(2) });
    expect(newCode.ok && newCode.value.check).toBe('signed');

    // Outbox event for HQ, audit entry, and the receipt (masked cards, the approver).
    const event = t.db.prepare("SELECT payload_json FROM outbox WHERE type = 'card.replaced'").get() as { payload_json: string };
    expect(JSON.parse(event.payload_json)).toMatchObject({ memberId: member.id, oldCardNo: member.card_no, oldSerial: 1, newCardNo: r.value.newCardNo, newSerial: 2, staffId: 'clerk-01', approvedBy: 'mgr-01' });
    expect(t.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'card.replaced' AND actor = 'clerk-01'").get()).toEqual({ n: 1 });
    const job = t.db.prepare('SELECT kind, payload_json FROM print_jobs WHERE id = ?').get(r.value.printJobId) as { kind: string; payload_json: string };
    expect(job.kind).toBe('cardReplaced');
    const lines = docLines(layoutCardReplacedJob(JSON.parse(job.payload_json), 32, 'zh-CN')).join('\n');
    expect(lines).toContain(`****${member.card_no.slice(-4)}`);
    expect(lines).toContain(`****${r.value.newCardNo.slice(-4)}`);
    expect(lines).toContain('李娜');
    expect(lines).not.toContain(member.card_no);
    expect(lines).not.toContain(r.value.newCardNo);
  });

  it('refuses without a manager, with a clerk as manager, with an empty block and for an unknown member, changing nothing', async () => {
    const before = fingerprint();
    expect((await refusal(api['member.replaceCard']({ memberId: member.id }))).code).toBe('NOT_MANAGER');
    expect((await refusal(api['member.replaceCard']({ memberId: member.id, managerPin: '2345' }))).code).toBe('MANAGER_PIN_WRONG');
    expect((await refusal(api['member.replaceCard']({ memberId: 'M99999999', managerPin: '9999' }))).code).toBe('UNKNOWN_MEMBER');
    t.db.prepare('UPDATE card_blocks SET used = size').run();
    const emptied = fingerprint();
    expect((await refusal(api['member.replaceCardPreview']({ memberId: member.id }))).code).toBe('CARD_BLOCK_EMPTY');
    const empty = await refusal(api['member.replaceCard']({ memberId: member.id, managerPin: '9999' }));
    expect(empty.code).toBe('CARD_BLOCK_EMPTY');
    expect(empty.message).toContain('卡号');
    expect(fingerprint()).toEqual(emptied);
    expect({ ...emptied, used: before.used }).toEqual(before);
    // The old card still works: nothing was replaced.
    expect((await api['scan.submit']({ code: code(1) })).ok).toBe(true);
  });

  it('generated bad inputs are refused with a typed error and write nothing', async () => {
    const rnd = mulberry32(17_3);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const junk = (): unknown => {
      const len = Math.floor(rnd() * 60);
      const chars = 'M0123456789-_ 汉字\u202e\u0000\'";<>%$.{}';
      const s = Array.from({ length: len }, () => chars[Math.floor(rnd() * chars.length)]).join('');
      return pick([s, len, null, true, [s], { memberId: s }, `M${len}`, '', s.repeat(5)]);
    };
    const before = fingerprint();
    const codes = new Set<string>();
    const started = Date.now();
    for (let i = 0; i < 300 && Date.now() - started < 20_000; i++) {
      const input: Record<string, unknown> = { memberId: junk() };
      // Never a digit-only PIN: a random one could be a real staff PIN (and five wrong ones lock the pad).
      if (rnd() < 0.5) input.managerPin = pick(['', 'abcd', '12', '123456789', 'x'.repeat(9), 9999, null]);
      if (rnd() < 0.2) input[pick(['cardNo', 'newCardNo', 'approvedBy', '__proto__'])] = junk();
      const r = await api['member.replaceCard'](input as never);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      codes.add(r.error.code);
      // INVALID_INPUT's sentence is the dispatcher's (describeZodError), shared by every method.
      if (r.error.code !== 'INVALID_INPUT') expect(r.error.message).not.toMatch(/memberId|managerPin|[A-Za-z]{4}/);
    }
    expect([...codes].every((c) => ['INVALID_INPUT', 'UNKNOWN_MEMBER', 'NOT_MANAGER', 'MANAGER_PIN_WRONG'].includes(c))).toBe(true);
    expect(codes.has('INVALID_INPUT')).toBe(true);
    expect(fingerprint()).toEqual(before);
  });
});

/** The QR the desk draws from member.cardCode's modules, read back by a real decoder. */
function decodeModules(q: { size: number; modules: string }): string {
  return readQrModules(q.size, (i) => q.modules[i] === '1');
}

describe("the new card's member code on the desk's member card", () => {
  it('is offered once HQ’s signed code has been pulled, to a member verified here only, and scans as the new card', async () => {
    const r = await api['member.replaceCard']({ memberId: member.id, managerPin: '9999' });
    if (!r.ok) throw new Error(r.error.code);
    // Before HQ applied the replacement and the pull brought its code: nothing to offer.
    const before = await api['member.card']({ memberId: member.id });
    expect(before.ok && before.value.cardCode).toBe(false);
    const none = await api['member.cardCode']({ memberId: member.id });
    expect(none.ok && none.value).toEqual({ memberId: member.id, cardNo: r.value.newCardNo, code: null });

    // The pull's cardReplaced change with HQ's code (signed as HQ signs it, with the demo folder's HQ key).
    const key = parsePrivateJwk(readFileSync(join(t.dir, HQ_KEY_FILE), 'utf8'))!;
    const signed = signCardCode(key, { mid: member.id, cs: 2, iatMs: t.clock.now });
    t.db.transaction(() =>
      applyChange(t.db, 'SH001', { entity: 'cardReplaced', id: member.card_no, seq: 900, deleted: false, data: { memberId: member.id, cardSerial: 1, replacedBy: r.value.newCardNo, at: t.clock.now, code: signed } }, t.clock.now),
    )();
    const after = await api['member.card']({ memberId: member.id });
    expect(after.ok && after.value.cardCode).toBe(true);
    // The member was verified by their (old) card's code before the replacement: the code is theirs to photograph.
    const shown = await api['member.cardCode']({ memberId: member.id });
    if (!shown.ok) throw new Error(shown.error.code);
    expect(shown.value.cardNo).toBe(r.value.newCardNo);
    expect(shown.value.code?.text).toBe(signed);
    expect(decodeModules(shown.value.code!)).toBe(signed);

    // Another desk: found by the new card number (anyone could type it), the code is not handed out;
    // not presented at all, neither. Once the member shows that code, they are verified by it.
    const other = deskApi(t.service);
    expect((await other['staff.signIn']({ pin: '1234' })).ok).toBe(true);
    expect((await refusal(other['member.cardCode']({ memberId: member.id }))).code).toBe('MEMBER_NOT_SCANNED');
    expect((await other['scan.submit']({ code: r.value.newCardNo })).ok).toBe(true);
    expect((await refusal(other['member.cardCode']({ memberId: member.id }))).code).toBe('PHONE_NOT_CONFIRMED');
    const scanned = await other['scan.submit']({ code: decodeModules(shown.value.code!) });
    expect(scanned.ok && scanned.value).toMatchObject({ verified: true, check: 'signed', member: { id: member.id } });
    expect((await other['member.cardCode']({ memberId: member.id })).ok).toBe(true);
  });

  it('draws every signed code so that it reads back: 300 codes HQ signed at generated times', async () => {
    const r = await api['member.replaceCard']({ memberId: member.id, managerPin: '9999' });
    if (!r.ok) throw new Error(r.error.code);
    const key = parsePrivateJwk(readFileSync(join(t.dir, HQ_KEY_FILE), 'utf8'))!;
    const rand = mulberry32(240);
    const unread: string[] = [];
    for (let k = 0; k < 300; k++) {
      // Each pull of a replacement may carry a code signed at another moment: a different QR each time.
      const iatMs = t.clock.now - Math.floor(rand() * 400 * 86_400_000);
      const signed = signCardCode(key, { mid: member.id, cs: 2, iatMs });
      t.db.transaction(() =>
        applyChange(t.db, 'SH001', { entity: 'cardReplaced', id: member.card_no, seq: 1000 + k, deleted: false, data: { memberId: member.id, cardSerial: 1, replacedBy: r.value.newCardNo, at: t.clock.now, code: signed } }, t.clock.now),
      )();
      const shown = await api['member.cardCode']({ memberId: member.id });
      if (!shown.ok || shown.value.code?.text !== signed) throw new Error(`code ${k} not handed out as pulled`);
      let text: string | null = null;
      try {
        text = decodeModules(shown.value.code);
      } catch {
        // counted below
      }
      if (text !== signed) unread.push(`iat ${iatMs}: ${text === null ? 'not read' : 'misread'}`);
    }
    expect(unread).toEqual([]);
  });

  it('finds the held code by member, by index: every card that opens asks (schema 240)', () => {
    const sql = `EXPLAIN QUERY PLAN ${CURRENT_CARD_CODE_SQL}`;
    const plan = (t.db.prepare(sql).all(member.id) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH r USING INDEX replaced_cards_member/);
    expect(plan).not.toMatch(/SCAN r\b/);
  });
});

describe('member.replaceCard as an operator (--staff, --manager)', () => {
  it('needs an active manager as --manager; a clerk there is NOT_MANAGER; a manager approves', async () => {
    const before = fingerprint();
    const noManager = await operatorSession(t.service, { staffId: 'clerk-01' })('member.replaceCard', { memberId: member.id });
    expect(!noManager.ok && noManager.error.code).toBe('NOT_MANAGER');
    const clerk = await operatorSession(t.service, { staffId: 'clerk-01', managerId: 'clerk-02' })('member.replaceCard', { memberId: member.id });
    expect(!clerk.ok && clerk.error.code).toBe('NOT_MANAGER');
    expect(fingerprint()).toEqual(before);
    const done = await operatorSession(t.service, { staffId: 'clerk-01', managerId: 'mgr-01' })('member.replaceCard', { memberId: member.id });
    expect(done.ok).toBe(true);
    const again = await operatorSession(t.service, { staffId: 'clerk-01', managerId: 'mgr-01' })('member.lookup', { cardNo: member.card_no });
    expect(!again.ok && again.error.code).toBe('CARD_SUPERSEDED');
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash, verifyAuditChain } from '../../src/store/audit';
import type { TerminalApi } from '../../src/contract/terminalApi';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi, present } from '../helpers/sessions';
import { demoPhones, otherPhone } from '../helpers/demoPhones';
import { snapshot } from '../helpers/snapshot';

let t: DemoTerminal;
let api: TerminalApi;
beforeEach(() => {
  t = openDemoTerminal();
  api = deskApi(t.service);
});
afterEach(() => t.cleanup());

describe('TerminalApi', () => {
  it('refuses everything but sign-in until a PIN is given, then knows who is signed in', async () => {
    const card = await api['member.card']({ memberId: 'M00000001' });
    expect(card).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN', message: '请先输入 PIN 登录。' } });
    const me = await api['staff.signIn']({ pin: '1234' });
    expect(me).toEqual({ ok: true, value: { id: 'clerk-01', name: '王芳', role: 'clerk' } });
    expect((await api['session.current']({})).ok && (await api['session.current']({}))).toMatchObject({ value: { staff: { id: 'clerk-01' } } });
    expect((await api['member.card']({ memberId: 'M00000001' })).ok).toBe(true);
  });

  it('locks the PIN pad for 5 minutes after 5 wrong PINs, with messages in the UI language', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await api['staff.signIn']({ pin: '0000' }));
    expect(answers.map((a) => !a.ok && a.error.code)).toEqual(['WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'WRONG_PIN', 'LOCKED_OUT']);
    expect(!answers[0]!.ok && answers[0]!.error.message).toBe('PIN 不正确。再错 4 次将锁定。');
    await api['session.setLang']({ lang: 'en' });
    const locked = await api['staff.signIn']({ pin: '1234' });
    expect(!locked.ok && locked.error).toMatchObject({
      code: 'LOCKED_OUT',
      message: 'Too many wrong PINs. The desk is locked until 2026-11-23 10:05 (about 5 min left). A manager can unlock it now with their PIN.',
    });
    t.clock.now = NOW + 5 * 60 * 1000 + 1;
    expect((await api['staff.signIn']({ pin: '1234' })).ok).toBe(true);
  });

  const badInputs: [string, unknown][] = [
    ['a negative amount', { memberId: 'M00000001', benefitId: 'B-THRESHOLD-100-10', amountFen: -100 }],
    ['a huge amount', { memberId: 'M00000001', benefitId: 'B-THRESHOLD-100-10', amountFen: 1e15 }],
    ['a fractional amount', { memberId: 'M00000001', benefitId: 'B-THRESHOLD-100-10', amountFen: 10.5 }],
    ['a malformed member id', { memberId: "M1'; DROP TABLE members;--", benefitId: 'B-VOUCHER-20' }],
    ['an unknown field', { memberId: 'M00000001', benefitId: 'B-VOUCHER-20', staffId: 'mgr-01' }],
    ['no input at all', undefined],
  ];
  it.each(badInputs)('answers %s with INVALID_INPUT and changes nothing', async (_what, input) => {
    await api['staff.signIn']({ pin: '1234' });
    const before = snapshot(t.db);
    const r = await (api['benefit.redeem'] as (i: unknown) => ReturnType<TerminalApi['benefit.redeem']>)(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('INVALID_INPUT');
    // One sentence in the UI's language naming what is wrong, never a field's identifier.
    expect(!r.ok && r.error.message).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*。$/);
    expect(snapshot(t.db)).toEqual(before);
  });

  it('explains a refused input in the UI language, never in zod\'s English', async () => {
    await api['staff.signIn']({ pin: '1234' });
    const redeem = api['benefit.redeem'] as (i: unknown) => ReturnType<TerminalApi['benefit.redeem']>;
    const huge = { memberId: 'M00000001', benefitId: 'B-THRESHOLD-100-10', amountFen: 1e15 };
    const zh = await redeem(huge);
    expect(!zh.ok && zh.error.message).toBe('金额最多 ¥10,000,000.00。');
    await api['session.setLang']({ lang: 'zh-TW' });
    const tw = await redeem(huge);
    expect(!tw.ok && tw.error.message).toBe('金額最多 ¥10,000,000.00。');
    await api['session.setLang']({ lang: 'en' });
    const en = await redeem(huge);
    expect(!en.ok && en.error.message).toBe('The amount can be at most ¥10,000,000.00.');
  });

  it('shows an unexpected failure as a reference IT can find in the log, not the raw error', async () => {
    const logged: { err: unknown; ref: string | undefined }[] = [];
    const logging = deskApi(t.service, { onInternal: (err, ref) => logged.push({ err, ref }) });
    await logging['staff.signIn']({ pin: '1234' });
    t.db.exec('DROP TABLE catalog_items'); // the next catalog read fails inside SQLite
    const r = await logging['catalog.list']({});
    expect(!r.ok && r.error.code).toBe('INTERNAL');
    const message = !r.ok ? r.error.message : '';
    expect(message).toMatch(/^会员服务台内部出错（查询编号 [0-9A-F]{6}）。/);
    expect(message).not.toMatch(/catalog_items|SQLITE|no such table/i);
    expect(logged).toHaveLength(1);
    expect(String(logged[0]!.err)).toMatch(/no such table/);
    expect(message).toContain(logged[0]!.ref!.replace(/^ref /, ''));
  });

  it('voids with a manager PIN given at the desk, and refuses a clerk\'s PIN', async () => {
    await api['staff.signIn']({ pin: '1234' });
    await present(api, t, 'M00000001');
    const r = await api['benefit.redeem']({ memberId: 'M00000001', benefitId: 'B-VOUCHER-20' });
    if (!r.ok) throw new Error(r.error.message);
    const byClerk = await api['operation.void']({ opId: r.value.opId, managerPin: '2345' });
    // A clerk's PIN where a manager's is asked is a wrong PIN, told and counted like one (issue 18).
    expect(!byClerk.ok && byClerk.error.code).toBe('MANAGER_PIN_WRONG');
    const ok = await api['operation.void']({ opId: r.value.opId, managerPin: '9999' });
    expect(ok.ok && ok.value.targetOpId).toBe(r.value.opId);
  });

  it('reprints a receipt as a marked copy and audits who asked', async () => {
    await api['staff.signIn']({ pin: '1234' });
    await present(api, t, 'M00000001');
    const r = await api['benefit.redeem']({ memberId: 'M00000001', benefitId: 'B-VOUCHER-20' });
    if (!r.ok) throw new Error(r.error.message);
    // The receipt still waits (no printer here): a reprint says so and adds nothing (docs/print.md).
    const early = await api['receipt.reprint']({ opId: r.value.opId });
    expect(!early.ok && early.error.code).toBe('RECEIPT_ALREADY_WAITING');
    t.db.prepare("UPDATE print_jobs SET status = 'printed' WHERE op_id = ?").run(r.value.opId);
    const again = await api['receipt.reprint']({ opId: r.value.opId });
    expect(again.ok).toBe(true);
    const jobs = (await api['print.unprinted']({})) as { ok: true; value: { opId: string | null; payload: { copy?: boolean } }[] };
    const forOp = jobs.value.filter((j) => j.opId === r.value.opId);
    expect(forOp.map((j) => j.payload.copy ?? false)).toEqual([true]);
    expect(t.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'receipt.reprint' AND ref = ?").get(r.value.opId)).toEqual({ n: 1 });
  });
});

describe('audit chain', () => {
  it('verifies a chain of operations and names the first entry that was changed', async () => {
    await api['staff.signIn']({ pin: '9999' });
    for (const m of ['M00000001', 'M00000002', 'M00000005']) {
      await present(api, t, m);
      expect((await api['benefit.redeem']({ memberId: m, benefitId: 'B-SVC-WRAP' })).ok).toBe(true);
    }
    const ok = verifyAuditChain(t.db);
    expect(ok).toMatchObject({ ok: true, entries: 3 });
    t.db.prepare("UPDATE audit SET content_json = replace(content_json, 'mgr-01', 'mgr-02') WHERE seq = 2").run();
    t.db.prepare("UPDATE audit SET actor = 'someone-else' WHERE seq = 3").run();
    expect(verifyAuditChain(t.db)).toEqual({ ok: false, entries: 2, firstBrokenSeq: 2, problem: 'hash' });
  });
});

describe('audit chain with damaged content', () => {
  it.each(['not json', '[1,2]', 'null', '"a string"', '42'])('names the entry whose content is %j (hashes recomputed), never crashing', async (content) => {
    await api['staff.signIn']({ pin: '9999' });
    for (const m of ['M00000001', 'M00000002', 'M00000005']) {
      await present(api, t, m);
      expect((await api['benefit.redeem']({ memberId: m, benefitId: 'B-SVC-WRAP' })).ok).toBe(true);
    }
    // A careful forger: entry 2's content replaced and every hash from there on recomputed.
    const rows = t.db.prepare('SELECT seq, prev_hash, content_json FROM audit ORDER BY seq').all() as { seq: number; prev_hash: string; content_json: string }[];
    let prev = rows[0]!.prev_hash;
    for (const r of rows) {
      const body = r.seq === 2 ? content : r.content_json;
      const hash = auditHash(prev, body);
      t.db.prepare('UPDATE audit SET prev_hash = ?, content_json = ?, hash = ? WHERE seq = ?').run(prev, body, hash, r.seq);
      prev = hash;
    }
    expect(verifyAuditChain(t.db)).toEqual({ ok: false, entries: 2, firstBrokenSeq: 2, problem: 'content' });
  });
});

describe('the phone check and lookup by phone', () => {
  const phones = demoPhones({ seed: 'test', now: NOW, members: 300 });
  const activeMember = (offset = 0) =>
    t.db.prepare("SELECT id, card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET ?").get(offset) as { id: string; card_no: string };

  it('counts wrong numbers per card across sessions, so a fresh session gets no fresh tries', async () => {
    const member = activeMember();
    const phone = phones.get(member.id)!;
    const wrong = otherPhone(phone);
    const session = async () => {
      const s = deskApi(t.service);
      await s['staff.signIn']({ pin: '1234' });
      expect((await s['scan.submit']({ code: member.card_no })).ok).toBe(true);
      return s;
    };
    const first = await session();
    const codes = [];
    // Not a phone number at all: refused, and not counted as a try.
    const notPhone = await first['member.confirmPhone']({ memberId: member.id, phone: phone.slice(-4) });
    codes.push(!notPhone.ok && notPhone.error.code);
    for (let i = 0; i < 2; i++) {
      const r = await first['member.confirmPhone']({ memberId: member.id, phone: wrong });
      codes.push(!r.ok && r.error.code);
    }
    const second = await session();
    const third = await second['member.confirmPhone']({ memberId: member.id, phone: wrong });
    codes.push(!third.ok && third.error.code);
    const right = await second['member.confirmPhone']({ memberId: member.id, phone });
    codes.push(!right.ok && right.error.code);
    expect(codes).toEqual(['PHONE_INVALID', 'PHONE_MISMATCH', 'PHONE_MISMATCH', 'PHONE_CHECK_LOCKED', 'PHONE_CHECK_LOCKED']);
    t.clock.now = NOW + 15 * 60 * 1000 + 1;
    // The number as people write it: +86, spaces, dashes.
    const spoken = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
    const later = await (await session())['member.confirmPhone']({ memberId: member.id, phone: spoken });
    expect(later.ok).toBe(true);
  });

  it('never carries a verification over to a later presentation by a typed card or phone number', async () => {
    const member = activeMember(5);
    const phone = phones.get(member.id)!;
    const s = deskApi(t.service);
    await s['staff.signIn']({ pin: '1234' });
    const free = async () => {
      const card = await s['member.card']({ memberId: member.id });
      return card.ok ? card.value.benefits.find((b) => b.eligible && !b.needsAmount) : undefined;
    };
    // The member proves the card with their phone; re-reading the card by id keeps that.
    expect((await s['scan.submit']({ code: member.card_no })).ok).toBe(true);
    expect((await s['member.confirmPhone']({ memberId: member.id, phone })).ok).toBe(true);
    expect(await free()).toBeDefined();
    // Later someone types that card number, or the phone number, again: a new presentation, unverified.
    for (const typed of [member.card_no, phone]) {
      const again = await s['scan.submit']({ code: typed });
      expect(again).toMatchObject({ ok: true, value: { verified: false } });
      const b = await free();
      const before = snapshot(t.db);
      const spent = await s['benefit.redeem']({ memberId: member.id, benefitId: b!.id, amountFen: null });
      expect(!spent.ok && spent.error.code).toBe('PHONE_NOT_CONFIRMED');
      expect(snapshot(t.db)).toEqual(before);
    }
    const viaLookup = await s['member.lookup']({ cardNo: member.card_no });
    expect(viaLookup.ok).toBe(true);
    const b = await free();
    const spent = await s['benefit.redeem']({ memberId: member.id, benefitId: b!.id, amountFen: null });
    expect(!spent.ok && spent.error.code).toBe('PHONE_NOT_CONFIRMED');
  });

  it('finds a member by the number they say, unverified: points can be earned, nothing spent until a code is scanned', async () => {
    const member = activeMember(3);
    const s = deskApi(t.service);
    await s['staff.signIn']({ pin: '1234' });
    const found = await s['scan.submit']({ code: phones.get(member.id)! });
    expect(found).toMatchObject({ ok: true, value: { via: 'phone', verified: false, check: 'unverified', member: { id: member.id } } });
    if (!found.ok) return;
    expect(found.value.member.maskedPhone).toBe(`****${phones.get(member.id)!.slice(-4)}`);
    // The number that found them cannot also verify them.
    const again = await s['member.confirmPhone']({ memberId: member.id, phone: phones.get(member.id)! });
    expect(!again.ok && again.error.code).toBe('PHONE_CHECK_NEEDS_CODE');
    const card = await s['member.card']({ memberId: member.id });
    expect(card.ok).toBe(true);
    const free = card.ok ? card.value.benefits.find((b) => b.eligible && !b.needsAmount) : undefined;
    expect(free).toBeDefined();
    const spent = await s['benefit.redeem']({ memberId: member.id, benefitId: free!.id, amountFen: null });
    expect(!spent.ok && spent.error.code).toBe('PHONE_NOT_CONFIRMED');
    const earned = await s['points.earn']({ memberId: member.id, lines: [{ category: 'general', amountFen: 10_000 }] });
    expect(earned.ok).toBe(true);
    // member.lookup by phone presents the member the same way.
    const s2 = deskApi(t.service);
    await s2['staff.signIn']({ pin: '1234' });
    expect(await s2['member.lookup']({ phone: phones.get(member.id)! })).toMatchObject({ ok: true, value: { id: member.id } });
    expect([...phones.values()]).not.toContain('19999999999');
    const unknown = await s2['member.lookup']({ phone: '19999999999' });
    expect(!unknown.ok && unknown.error.code).toBe('PHONE_UNKNOWN');
    expect(!unknown.ok && unknown.error.message).toContain('9999');
    expect(!unknown.ok && unknown.error.message).not.toContain('19999999999');
  });
});

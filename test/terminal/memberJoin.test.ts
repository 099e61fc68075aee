// Sign-up at the desk (开卡, issue 17): offline, on a real encrypted SQLite file, through the real
// dispatcher as a desk window calls it. A refused sign-up writes nothing; the phone number is kept
// nowhere but the sign-up's outbox event.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import type { TerminalApi } from '../../src/contract/terminalApi';
import { issuedCardSeq } from '../../src/loyalty/cardNumber';
import { docLines } from '../../src/print/doc';
import { layoutMemberJoinedJob } from '../../src/print/memberJoinedReceipt';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { demoPhones } from '../helpers/demoPhones';
import { deskApi } from '../helpers/sessions';

let t: DemoTerminal;
let api: TerminalApi;
const phones = demoPhones({ seed: 'test', now: NOW, members: 300 });

beforeEach(async () => {
  t = openDemoTerminal(300);
  api = deskApi(t.service);
  const signedIn = await api['staff.signIn']({ pin: '1234' });
  expect(signedIn.ok).toBe(true);
});
afterEach(() => t.cleanup());

const form = (over: Record<string, unknown> = {}) => ({ phone: '13912345678', phoneAgain: '139 1234 5678', name: '王小明', birthday: '03-08', ...over });

/** Everything a sign-up writes: a refusal must leave all of it as it was. */
function fingerprint() {
  const n = (sql: string) => (t.db.prepare(sql).get() as { n: number }).n;
  return {
    members: n('SELECT count(*) AS n FROM members'),
    consents: n('SELECT count(*) AS n FROM member_consents'),
    outbox: n('SELECT count(*) AS n FROM outbox'),
    audit: n('SELECT count(*) AS n FROM audit'),
    used: n('SELECT coalesce(sum(used), 0) AS n FROM card_blocks'),
    grants: n('SELECT count(*) AS n FROM benefit_grants'),
    slips: n('SELECT count(*) AS n FROM print_jobs'),
  };
}

describe('member.join', () => {
  it('asks for consent last, then creates the member offline with a card from the block and no phone number kept', async () => {
    const before = fingerprint();
    const asked = await api['member.join'](form());
    expect(asked.ok).toBe(false);
    if (asked.ok) return;
    expect(asked.error.code).toBe('CONSENT_REQUIRED');
    expect(asked.error.params.version).toBe(1);
    expect(fingerprint()).toEqual(before);

    const terms = await api['terms.current']({});
    expect(terms.ok && terms.value?.version).toBe(1);
    const joined = await api['member.join'](form({ consentTermsVersion: 1 }));
    expect(joined.ok).toBe(true);
    if (!joined.ok) return;
    const { member } = joined.value;
    expect(member.maskedPhone).toBe('****5678');
    expect(member.tier).toBe('basic');
    expect(issuedCardSeq(member.cardNo)).toBe(1);
    expect(member.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
    expect(joined.value.consent).toEqual({ termsVersion: 1, at: NOW, staffId: 'clerk-01' });
    expect(joined.value.expectedReferralReward).toBeNull();

    // Kept: hash and last four; the number only in the outbox event, which HQ's ack deletes.
    const row = t.db.prepare('SELECT * FROM members WHERE id = ?').get(member.id) as Record<string, unknown>;
    expect(Object.values(row).some((v) => typeof v === 'string' && v.includes('13912345678'))).toBe(false);
    expect(row.phone_last4).toBe('5678');
    const events = t.db.prepare("SELECT payload_json FROM outbox WHERE type = 'member.joined'").all() as { payload_json: string }[];
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]!.payload_json)).toMatchObject({ memberId: member.id, phone: '+8613912345678', termsVersion: 1, staffId: 'clerk-01', cardNo: member.cardNo });
    const audit = t.db.prepare("SELECT content_json FROM audit WHERE action = 'member.joined'").get() as { content_json: string };
    expect(audit.content_json).not.toContain('5678');
    expect(t.db.prepare('SELECT terms_version, staff_id FROM member_consents WHERE member_id = ?').get(member.id)).toEqual({ terms_version: 1, staff_id: 'clerk-01' });

    // The new member is found at once, by the number in any spelling and by the card.
    const byPhone = await api['member.lookup']({ phone: '+86 139-1234-5678' });
    expect(byPhone.ok && byPhone.value.id).toBe(member.id);
    const card = await api['member.card']({ cardNo: member.cardNo });
    expect(card.ok && card.value.member.joinedAt).toBe(NOW);
  });

  it("prints the sign-up's slip; 今日业务 lists it to reprint (once, however often reprinted) and never to void", async () => {
    const joined = await api['member.join'](form({ consentTermsVersion: 1 }));
    if (!joined.ok) throw new Error(joined.error.code);
    const job = t.db.prepare('SELECT op_id, kind, payload_json FROM print_jobs WHERE id = ?').get(joined.value.printJobId) as { op_id: string | null; kind: string; payload_json: string };
    expect(job).toMatchObject({ op_id: null, kind: 'memberJoined' });
    const slip = docLines(layoutMemberJoinedJob(JSON.parse(job.payload_json), 32, 'zh-CN')).join('\n');
    expect(slip).toContain('开卡凭条');
    expect(slip).toContain(`****${joined.value.member.cardNo.slice(-4)}`);
    expect(slip).toContain('王**');
    expect(slip).not.toContain('王小明');
    expect(slip).toContain('****5678');
    expect(slip).not.toContain('1391234');

    const listed = await api['operation.recent']({ limit: 30 });
    if (!listed.ok) throw new Error(listed.error.code);
    const row = listed.value.find((o) => o.kind === 'memberJoined')!;
    expect(row).toMatchObject({ memberId: joined.value.member.id, maskedName: '王**', staffId: 'clerk-01', voided: false, valueFen: 0, points: 0, printStatus: 'pending' });

    // The slip still waits (no printer here): a reprint says so and adds nothing; once printed, it adds a copy.
    const early = await api['receipt.reprint']({ opId: row.opId });
    expect(!early.ok && early.error.code).toBe('RECEIPT_ALREADY_WAITING');
    t.db.prepare("UPDATE print_jobs SET status = 'printed' WHERE id = ?").run(joined.value.printJobId);
    const again = await api['receipt.reprint']({ opId: row.opId });
    if (!again.ok) throw new Error(again.error.code);
    const waiting = await api['receipt.reprint']({ opId: row.opId });
    expect(!waiting.ok && waiting.error).toMatchObject({ code: 'RECEIPT_ALREADY_WAITING', params: { context: 'copy' } });
    const copy = t.db.prepare('SELECT op_id, kind, payload_json FROM print_jobs WHERE id = ?').get(again.value.printJobId) as typeof job;
    expect(copy).toMatchObject({ op_id: null, kind: 'memberJoined' });
    expect(docLines(layoutMemberJoinedJob(JSON.parse(copy.payload_json), 32, 'zh-CN')).join('\n')).toContain('重印');
    const relisted = await api['operation.recent']({ limit: 30 });
    expect(relisted.ok && relisted.value.filter((o) => o.kind === 'memberJoined').map((o) => o.opId)).toEqual([row.opId]);

    // Not an operation: nothing to void, and 补打 finds no slip by an id it never listed.
    const voided = await api['operation.void']({ opId: row.opId, managerPin: '9999' });
    expect(!voided.ok && voided.error.code).toBe('UNKNOWN_OPERATION');
    const unknown = await api['receipt.reprint']({ opId: '0190a0a0-0000-7000-8000-000000000000' });
    expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_OPERATION');
  });

  it('does not offer the 回归礼 to a member who signed up minutes ago; a truly lapsed member still gets it', async () => {
    const joined = await api['member.join'](form({ consentTermsVersion: 1 }));
    if (!joined.ok) throw new Error(joined.error.code);
    const winBack = (memberId: string) => t.service.memberCard({ memberId }).benefits.find((b) => b.type === 'win_back')!;
    expect(winBack(joined.value.member.id)).toMatchObject({ eligible: false, reason: { code: 'NOT_DORMANT', params: { dormantDays: 90 } } });
    const lapsed = t.db.prepare("SELECT id FROM members WHERE status = 'active' AND last_purchase_at < ? ORDER BY id LIMIT 1").get(NOW - 120 * 86_400_000) as { id: string };
    const offered = winBack(lapsed.id);
    expect(offered.reason?.code).not.toBe('NOT_DORMANT');
    expect(offered.eligible || offered.needsAmount).toBe(true);
  });

  it('one member per phone: a known number is PHONE_TAKEN, offering that member (masked)', async () => {
    const [memberId, phone] = [...phones.entries()][5]!;
    const before = fingerprint();
    const r = await api['member.join'](form({ phone, phoneAgain: phone, consentTermsVersion: 1 }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('PHONE_TAKEN');
    expect(r.error.params).toMatchObject({ memberId, maskedPhone: `****${phone.slice(-4)}` });
    expect(JSON.stringify(r.error)).not.toContain(phone);
    expect(fingerprint()).toEqual(before);
  });

  it('takes a referrer by phone, card number or id; an unknown one is REFERRER_UNKNOWN', async () => {
    const [refId, refPhone] = [...phones.entries()][7]!;
    const refCard = (t.db.prepare('SELECT card_no FROM members WHERE id = ?').get(refId) as { card_no: string }).card_no;
    const numbers = ['13900000001', '13900000002', '13900000003'];
    for (const [i, referrer] of [refPhone, refCard, refId].entries()) {
      const r = await api['member.join'](form({ phone: numbers[i], phoneAgain: numbers[i], referrer, consentTermsVersion: 1 }));
      expect(r.ok && r.value.referrer?.id).toBe(refId);
      // What the desk may tell them; HQ gives it at the first purchase (the demo rules' defaults).
      expect(r.ok && r.value.expectedReferralReward).toEqual({ referrerPoints: 200, refereePoints: 100 });
    }
    const before = fingerprint();
    const r = await api['member.join'](form({ phone: '13900000009', phoneAgain: '13900000009', referrer: '13800000000', consentTermsVersion: 1 }));
    expect(!r.ok && r.error.code).toBe('REFERRER_UNKNOWN');
    expect(fingerprint()).toEqual(before);
  });

  it('CARD_BLOCK_EMPTY when the block is used up; outdated consent asks again', async () => {
    t.db.prepare('UPDATE card_blocks SET size = 2').run();
    for (const p of ['13900000011', '13900000012']) expect((await api['member.join'](form({ phone: p, phoneAgain: p, consentTermsVersion: 1 }))).ok).toBe(true);
    const before = fingerprint();
    const empty = await api['member.join'](form({ phone: '13900000013', phoneAgain: '13900000013', consentTermsVersion: 1 }));
    expect(!empty.ok && empty.error.code).toBe('CARD_BLOCK_EMPTY');
    t.db.prepare('UPDATE card_blocks SET size = 10').run();
    t.db.prepare("INSERT INTO privacy_terms(version, text_json, published_at, updated_at) SELECT 2, text_json, ?, ? FROM privacy_terms WHERE version = 1").run(NOW, NOW);
    const outdated = await api['member.join'](form({ phone: '13900000013', phoneAgain: '13900000013', consentTermsVersion: 1 }));
    expect(!outdated.ok && outdated.error).toMatchObject({ code: 'CONSENT_REQUIRED', params: { context: 'outdated', version: 2 } });
    expect(fingerprint()).toEqual(before);
  });

  it('needs a signed-in clerk (a window) and refuses with nothing written', async () => {
    await api['staff.signOut']({});
    const r = await api['member.join'](form({ consentTermsVersion: 1 }));
    expect(!r.ok && r.error.code).toBe('NOT_SIGNED_IN');
  });
});

// Generated bad input (seeded): each is refused with its typed error, in a sentence of the session's
// language that names no schema path and no code, and nothing is written.
describe('member.join with generated bad input', () => {
  const CONTROL = ['\u0000', '\n', '\u0007', '\u001b', '\u0085', '\u2028'];
  const BIDI = ['\u202e', '\u202a', '\u2066', '\u200f', '\u061c'];
  const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u3164'];
  const pick = <T,>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  function badCase(rand: () => number): { input: Record<string, unknown>; code: string } {
    const phone = `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
    const good = { phone, phoneAgain: phone, name: '李娜', birthday: '12-31', consentTermsVersion: 1 };
    switch (Math.floor(rand() * 7)) {
      case 0: {
        const bad = pick(rand, ['12345', '1391234567', '139123456789', '23912345678', '+85212345678', '+8869123', 'abcdefghijk', '１２３', '+1 415 555 0100', '00861391234567']);
        return { input: { ...good, phone: bad, phoneAgain: bad }, code: 'PHONE_INVALID' };
      }
      case 1: {
        const other = `${phone.slice(0, 10)}${(Number(phone.at(-1)) + 1 + Math.floor(rand() * 8)) % 10}`;
        return { input: { ...good, phoneAgain: other }, code: 'PHONE_MISMATCH' };
      }
      case 2: {
        const at = Math.floor(rand() * 3);
        const ch = pick(rand, [...CONTROL, ...BIDI, ...INVISIBLE]);
        return { input: { ...good, name: ['李', '娜'].toSpliced(at, 0, ch).join('') }, code: 'MEMBER_NAME_INVALID' };
      }
      case 3:
        return { input: { ...good, name: pick(rand, ['', '   ', '\u200b\u200b', '\u3000', '—', '!!!', '张'.repeat(41)]) }, code: 'MEMBER_NAME_INVALID' };
      case 4:
        return { input: { ...good, birthday: pick(rand, ['13-01', '00-10', '02-30', '04-31', '1-1', '2026-03-08', '0308', '03/08', 'ab-cd', '']) }, code: 'BIRTHDAY_INVALID' };
      case 5:
        return { input: { ...good, referrer: pick(rand, ['M99999999', '8860000099999999', '13000000000', 'LD1C.bad.sig', 'nobody', '+85290000000']) }, code: 'REFERRER_UNKNOWN' };
      default:
        return { input: { ...good, consentTermsVersion: undefined }, code: 'CONSENT_REQUIRED' };
    }
  }

  it('refuses 300 generated bad sign-ups, each with its code, in zh-CN, zh-TW and en, writing nothing', async () => {
    const rand = mulberry32(17_001);
    const langs = ['zh-CN', 'zh-TW', 'en'] as const;
    const before = fingerprint();
    const started = Date.now();
    for (let i = 0; i < 300 && Date.now() - started < 60_000; i++) {
      const { input, code } = badCase(rand);
      const lang = langs[i % 3]!;
      await api['session.setLang']({ lang });
      const r = await api['member.join'](input as never);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (r.ok) continue;
      expect(r.error.code, JSON.stringify(input)).toBe(code);
      expect(r.error.message).not.toMatch(/[A-Z]{2,}_[A-Z]{2,}|\bphone(Again)?:|\bname:|\bbirthday:/);
      // No English words inside a Chinese sentence (NUL is the one technical name kept).
      if (lang !== 'en') expect(r.error.message.replace(/NUL/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    }
    expect(fingerprint()).toEqual(before);
  });
});

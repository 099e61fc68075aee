// Little personal data on a terminal (docs/privacy.md): HQ sends a member's phone only as its keyed
// hash and last four digits (v1 terminals: the number masked to its last four), the brand's key with
// it, the name as the brand's setting says; the hash HQ computes in SQL is the terminal's HMAC; a
// terminal finds and checks members by the number they say; an old HQ's bare numbers are normalized
// and hashed when it migrates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastFour, normalizePhone, phoneHash } from '../../src/loyalty/phone';
import { getSyncState } from '../../src/store/syncState';
import { z } from 'zod';
import type { Queryable } from '../../src/hq/db';
import { changeSchema, memberDataSchema } from '../../src/sync/protocolEntities';

/** Protocol v1's member, as terminals in the field parse it: `phone` where v2 has the hash. */
const memberDataSchemaV1 = memberDataSchema.omit({ phoneHash: true, phoneLast4: true }).extend({ phone: z.string().max(20) });

/** The brand's phone key as terminals receive it (base64url). */
async function brandPhoneKey(q: Queryable): Promise<string> {
  const [row] = await q.query<{ k: Buffer | Uint8Array }>("SELECT phone_key AS k FROM brand WHERE id = 'brand'");
  return Buffer.from(row!.k).toString('base64url');
}
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { demoPhones, otherPhone } from '../helpers/demoPhones';
import { deskApi } from '../helpers/sessions';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';

const MEMBERS = 60;
const PHONES = demoPhones({ seed: 'test', now: NOW, members: MEMBERS });

/** Mobile numbers in every form the desk takes, from a seeded generator. */
function generatedPhones(n: number): string[] {
  let x = 12345;
  const next = (m: number) => (x = (x * 1103515245 + 12345) % 2 ** 31) % m;
  const digits = (k: number) => Array.from({ length: k }, () => next(10)).join('');
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const form = next(3);
    out.push(form === 0 ? `1${3 + next(7)}${digits(9)}` : form === 1 ? `+852${4 + next(6)}${digits(7)}` : `+886 9${digits(8)}`);
  }
  return out;
}

async function pullAll(hq: TestHq, credential: string, version: 1 | 2): Promise<{ changes: Record<string, unknown>[]; body: string }> {
  const changes: Record<string, unknown>[] = [];
  let body = '';
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await fetch(`${hq.url}/v${version}/sync/pull?limit=5000${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${credential}` } });
    const text = await res.text();
    body += text;
    const json = JSON.parse(text) as { changes: Record<string, unknown>[]; cursor: string; more: boolean };
    changes.push(...json.changes);
    if (!json.more) break;
    cursor = json.cursor;
  }
  return { changes, body };
}

describe.each(BACKENDS)('private member data from HQ, on %s', (backend) => {
  let hq: TestHq;
  let tmp: ReturnType<typeof tempDir>;
  let dbPath: string;
  let credential: string;

  beforeAll(async () => {
    tmp = tempDir('ld-privacy-');
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir, MEMBERS);
    dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'desk');
    const t = openAt(dbPath, { now: NOW });
    credential = getSyncState(t.db, 'credential')!;
    t.close();
  }, 120_000);
  afterAll(async () => {
    await hq.stop();
    tmp.cleanup();
  });

  it("computes in SQL the same HMAC the terminal computes, for every form of number (and stores the E.164 form)", async () => {
    const key = await brandPhoneKey(hq.db);
    const phones = generatedPhones(150);
    const members = phones.map((p, i) => ({
      id: `P${String(i).padStart(5, '0')}`, cardNo: `88709${String(i).padStart(11, '0')}`, name: '测试', phone: p, birthday: null, tier: 'basic',
      tierSince: NOW, cardSerial: 1, status: 'active', joinedAt: NOW, lastPurchaseAt: null,
    }));
    await hq.admin('POST', '/v1/admin/members', { members });
    const rows = await hq.db.query<{ id: string; phone: string; phone_hash: string }>("SELECT id, phone, phone_hash FROM members WHERE id LIKE 'P%' ORDER BY id");
    expect(rows).toHaveLength(phones.length);
    for (const [i, r] of rows.entries()) {
      const e164 = normalizePhone(phones[i]!)!;
      expect(r.phone).toBe(e164);
      expect(r.phone_hash).toBe(phoneHash(key, e164));
    }
    for (const m of members) await hq.admin('DELETE', `/v1/admin/members/${m.id}`);
  });

  it('refuses a member whose phone is not a mobile number the desk takes, and writes nothing', async () => {
    const before = await hq.db.query<{ n: number }>('SELECT count(*)::int AS n FROM members');
    for (const phone of ['12345', '+1 415 555 0100', '1234567890123', '+85212345678', '', '１２８００１３８０００']) {
      const body = { members: [{ id: 'BAD1', cardNo: '8870900000000001', name: '坏', phone, birthday: null, tier: 'basic', tierSince: NOW, cardSerial: 1, status: 'active', joinedAt: NOW, lastPurchaseAt: null }] };
      await expect(hq.admin('POST', '/v1/admin/members', body)).rejects.toThrow();
    }
    expect(await hq.db.query('SELECT count(*)::int AS n FROM members')).toEqual(before);
  });

  it('sends v2 terminals the hash, the last four digits and the key, never the number; v1 terminals the number masked, and no key', async () => {
    const key = await brandPhoneKey(hq.db);
    const v2 = await pullAll(hq, credential, 2);
    const members = v2.changes.filter((c) => c.entity === 'member' && c.deleted === false);
    expect(members.length).toBeGreaterThanOrEqual(MEMBERS);
    expect(v2.changes.filter((c) => c.entity === 'brand')).toEqual([expect.objectContaining({ id: 'brand', data: { phoneKey: key, nameDisplay: 'full' } })]);
    for (const c of v2.changes) expect(changeSchema.safeParse(c).success).toBe(true);
    for (const c of members) {
      const phone = PHONES.get(c.id as string);
      if (!phone) continue;
      const data = c.data as { phoneHash: string; phoneLast4: string; phone?: string };
      expect(data.phone).toBeUndefined();
      expect(data.phoneHash).toBe(phoneHash(key, `+86${phone}`));
      expect(data.phoneLast4).toBe(lastFour(phone));
    }
    const v1 = await pullAll(hq, credential, 1);
    expect(v1.changes.some((c) => c.entity === 'brand')).toBe(false);
    for (const c of v1.changes.filter((x) => x.entity === 'member' && x.deleted === false)) {
      const data = memberDataSchemaV1.parse(c.data);
      expect(data.phone).toMatch(/^\*+\d{4}$/);
    }
    // Nothing of any member's number but its last four digits is in either feed.
    for (const phone of PHONES.values()) for (const body of [v2.body, v1.body]) expect(body).not.toContain(phone.slice(0, 7));
  });

  it('a terminal that synced finds members by the number they say, and checks a card against the whole number', async () => {
    const t = openAt(dbPath, { now: NOW });
    try {
      await syncOnce(t.db, { now: () => NOW });
      const cols = (t.db.prepare('PRAGMA table_info(members)').all() as { name: string }[]).map((c) => c.name);
      expect(cols).not.toContain('phone');
      const s = deskApi(t.service);
      await s['staff.signIn']({ pin: '1234' });
      const [id, phone] = [...PHONES.entries()].find(([mid]) => (t.db.prepare("SELECT 1 FROM members WHERE id = ? AND status = 'active'").get(mid) as unknown) !== undefined)!;
      expect(await s['scan.submit']({ code: `+86 ${phone}` })).toMatchObject({ ok: true, value: { via: 'phone', member: { id, maskedPhone: `****${phone.slice(-4)}` } } });
      const card = (t.db.prepare('SELECT card_no FROM members WHERE id = ?').get(id) as { card_no: string }).card_no;
      expect((await s['scan.submit']({ code: card })).ok).toBe(true);
      expect(await s['member.confirmPhone']({ memberId: id, phone: otherPhone(phone) })).toMatchObject({ ok: false, error: { code: 'PHONE_MISMATCH' } });
      expect(await s['member.confirmPhone']({ memberId: id, phone })).toMatchObject({ ok: true });
    } finally {
      t.close();
    }
  });

  it("masks every name on every terminal that syncs once the brand says so, and shows them whole again when it says so", async () => {
    await hq.admin('PUT', '/v1/admin/brand', { nameDisplay: 'masked' });
    const t = openAt(dbPath, { now: NOW });
    try {
      const s = await syncOnce(t.db, { now: () => NOW });
      expect(s.pulled).toBeGreaterThanOrEqual(MEMBERS);
      const names = (t.db.prepare('SELECT name FROM members WHERE tombstone = 0').all() as { name: string }[]).map((r) => r.name);
      for (const n of names) expect(n).toMatch(/^.\*+$/u);
      expect(t.db.prepare("SELECT name_display FROM brand").get()).toEqual({ name_display: 'masked' });
      await hq.admin('PUT', '/v1/admin/brand', { nameDisplay: 'full' });
      await syncOnce(t.db, { now: () => NOW });
      const again = (t.db.prepare('SELECT name FROM members WHERE tombstone = 0').all() as { name: string }[]).map((r) => r.name);
      expect(again.some((n) => !n.includes('*'))).toBe(true);
    } finally {
      t.close();
    }
    await expect(hq.admin('PUT', '/v1/admin/brand', { nameDisplay: 'initials' })).rejects.toThrow();
  });
});

describe('an HQ migrating to schema 70', () => {
  it('keeps every member, stores their numbers as E.164 with the hash, and publishes them again', async () => {
    const { openHqDb } = await import('../../src/hq/db');
    const { loadHqMigrations, migrateHq } = await import('../../src/hq/migrate');
    const db = await openHqDb({});
    try {
      const all = loadHqMigrations();
      await migrateHq(db, all.filter((m) => m.version < 70));
      await db.query("INSERT INTO members(id, card_no, name, phone, tier, tier_since, card_serial, status, joined_at, seq) VALUES ('OLD1', '8860000000000999', '旧', '13912345678', 'basic', 1, 1, 'active', 1, nextval('change_seq'))");
      const [before] = await db.query<{ seq: number }>("SELECT seq FROM members WHERE id = 'OLD1'");
      await migrateHq(db, all);
      const [after] = await db.query<{ phone: string; phone_hash: string; seq: number }>("SELECT phone, phone_hash, seq FROM members WHERE id = 'OLD1'");
      const key = await brandPhoneKey(db);
      expect(Buffer.from(key, 'base64url')).toHaveLength(32);
      expect(after!.phone).toBe('+8613912345678');
      expect(after!.phone_hash).toBe(phoneHash(key, '+8613912345678'));
      expect(Number(after!.seq)).toBeGreaterThan(Number(before!.seq));
      // A second start makes no second key.
      await migrateHq(db, all);
      expect(await brandPhoneKey(db)).toBe(key);
    } finally {
      await db.close();
    }
  });
});

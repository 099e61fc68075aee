import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3-multiple-ciphers';
import { openRaw } from '../../src/store/open';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { tempDir } from '../helpers/demoDb';
import { otherPhone } from '../helpers/demoPhones';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');
const NOW_S = String(Date.UTC(2026, 10, 23, 2, 0, 0) / 1000);

/** Runs the real command in a child process: exit code and parsed JSON. */
async function cli(...args: string[]): Promise<{ code: number; json: Record<string, any>; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, json: JSON.parse(stdout), stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, json: JSON.parse(e.stdout), stderr: e.stderr };
  }
}

/** The same command in-process, for the many cases that need no child. */
async function inProcess(...args: string[]): Promise<{ code: number; json: Record<string, any> }> {
  const out: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: () => {}, now: () => Number(NOW_S) * 1000 });
  return { code, json: JSON.parse(out.join('')) };
}

let dir: string;
let cleanup: () => void;
let db: string;
let samples: { mid: string; cardNo: string; phone: string; note: string }[];
beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  db = join(dir, 'desk.db');
  const seeded = await cli('seed', '--db', db, '--members', '500', '--now', NOW_S);
  expect(seeded.code).toBe(0);
  samples = seeded.json.sample;
});
afterAll(() => cleanup());

describe('loyalty-desk', () => {
  it('seed prints a summary with the HQ key file, samples (one with cs ≥ 2) and the demo staff', async () => {
    const { json } = await inProcess('seed', '--db', join(dir, 'again.db'), '--members', '500', '--now', NOW_S);
    expect(json.ok).toBe(true);
    expect(existsSync(json.hqKeyFile)).toBe(true);
    const jwk = privateJwkSchema.parse(JSON.parse(readFileSync(json.hqKeyFile, 'utf8')));
    expect(jwk.kid).toBe(json.hqKeyId);
    expect(json.sample.some((s: { cs: number }) => s.cs >= 2)).toBe(true);
    expect(json.staff).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'mgr-01', role: 'manager', pin: '9999' }), expect.objectContaining({ role: 'clerk' })]),
    );
  });

  it('seeds the same data from the same seed on the same day', async () => {
    const a = await inProcess('member', '--db', db, '--id', 'M00000042', '--now', NOW_S);
    const b = await inProcess('member', '--db', join(dir, 'again.db'), '--id', 'M00000042', '--now', NOW_S);
    expect(a.json).toEqual(b.json);
  });

  it('refuses to seed over an existing database', async () => {
    const r = await inProcess('seed', '--db', db, '--members', '10');
    expect(r).toMatchObject({ code: 2, json: { ok: false, error: { code: 'DB_EXISTS' } } });
  });

  it('redeems with exit 0, refuses with exit 2 and a sentence in the chosen language', async () => {
    const ok = await cli('redeem', '--db', db, '--member', 'M00000001', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01');
    expect(ok.code).toBe(0);
    expect(ok.json).toMatchObject({ ok: true, valueFen: 2000 });
    const refused = await cli('redeem', '--db', db, '--member', 'M00000001', '--benefit', 'B-SPRING', '--staff', 'clerk-01', '--lang', 'en');
    expect(refused.code).toBe(2);
    expect(refused.json.error.code).toBe('NOT_YET_VALID');
    expect(refused.json.error.message).toMatch(/^This benefit can be used from \d{4}-\d{2}-\d{2} \d{2}:\d{2}\.$/);
    const tw = await inProcess('redeem', '--db', db, '--member', 'M99999999', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01', '--lang', 'zh-TW');
    expect(tw.json.error).toMatchObject({ code: 'UNKNOWN_MEMBER', message: '找不到會員 M99999999。請核對號碼或重新掃碼。' });
  });

  it('goes through the same role checks as the desk: --staff names who acts, --manager who approves', async () => {
    const db = join(dir, 'roles.db');
    expect((await inProcess('seed', '--db', db, '--members', '50', '--now', NOW_S)).code).toBe(0);
    const before = readFileSync(db);
    const nobody = await inProcess('redeem', '--db', db, '--member', 'M00000007', '--benefit', 'B-SVC-WRAP');
    expect(nobody).toMatchObject({ code: 2, json: { ok: false, error: { code: 'STAFF_REQUIRED' } } });
    const stranger = await inProcess('redeem', '--db', db, '--member', 'M00000007', '--benefit', 'B-SVC-WRAP', '--staff', 'clerk-99');
    expect(stranger).toMatchObject({ code: 2, json: { error: { code: 'UNKNOWN_STAFF' } } });
    expect(readFileSync(db).equals(before)).toBe(true);

    const done = await inProcess('redeem', '--db', db, '--member', 'M00000007', '--benefit', 'B-SVC-WRAP', '--staff', 'clerk-02');
    expect(done.code).toBe(0);
    const byClerk = await inProcess('void', '--db', db, '--op', done.json.opId, '--staff', 'clerk-01');
    expect(byClerk).toMatchObject({ code: 2, json: { error: { code: 'NOT_MANAGER' } } });
    const approvedByClerk = await inProcess('void', '--db', db, '--op', done.json.opId, '--staff', 'clerk-01', '--manager', 'clerk-02');
    expect(approvedByClerk).toMatchObject({ code: 2, json: { error: { code: 'NOT_MANAGER' } } });
    const approved = await inProcess('void', '--db', db, '--op', done.json.opId, '--staff', 'clerk-01', '--manager', 'mgr-01', '--lang', 'en');
    expect(approved).toMatchObject({ code: 0, json: { ok: true, targetOpId: done.json.opId } });

    const raw = openRaw(db, { readonly: true });
    try {
      const ops = raw.prepare('SELECT kind, staff_id, approved_by FROM operations WHERE id = ? OR target_op_id = ? ORDER BY at, kind').all(done.json.opId, done.json.opId);
      expect(ops).toEqual([
        { kind: 'redeem', staff_id: 'clerk-02', approved_by: null },
        { kind: 'void', staff_id: 'clerk-01', approved_by: 'mgr-01' },
      ]);
    } finally {
      raw.close();
    }
  });

  it('earn applies the earning limits: --manager approves above ¥10,000 (recorded on the operation and its receipt), ¥100,000+ is refused', async () => {
    const db = join(dir, 'limits.db');
    expect((await inProcess('seed', '--db', db, '--members', '50', '--now', NOW_S)).code).toBe(0);
    const earn = (...args: string[]) => inProcess('earn', '--db', db, '--now', NOW_S, ...args);
    const before = readFileSync(db);
    const alone = await earn('--member', 'M00000011', '--staff', 'clerk-01', '--amount', '3000000', '--lang', 'en');
    expect(alone).toMatchObject({ code: 2, json: { error: { code: 'EARN_NEEDS_MANAGER', message: "A purchase above ¥10,000.00 needs a manager's PIN." } } });
    expect((await earn('--member', 'M00000011', '--staff', 'clerk-01', '--manager', 'clerk-02', '--amount', '3000000')).json.error.code).toBe('NOT_MANAGER');
    const huge = await earn('--member', 'M00000011', '--staff', 'clerk-01', '--manager', 'mgr-01', '--amount', '258000000');
    expect(huge).toMatchObject({ code: 2, json: { error: { code: 'EARN_AMOUNT_CAP', message: '单笔消费超过 ¥100,000.00，服务台不能积分：请由总部后台处理。' } } });
    expect(readFileSync(db).equals(before)).toBe(true);

    // The real command in a child process: the approval is in its answer, the operation and the receipt.
    const approved = await cli('earn', '--db', db, '--member', 'M00000011', '--staff', 'clerk-01', '--manager', 'mgr-01', '--amount', '3000000', '--now', NOW_S);
    expect(approved).toMatchObject({ code: 0, json: { ok: true, approvedBy: { id: 'mgr-01', name: '李娜' } } });
    // Accepted on any earn: a small one with --manager records the approval too; without, none.
    const small = await earn('--member', 'M00000012', '--staff', 'clerk-01', '--manager', 'mgr-01', '--amount', '30000');
    expect(small).toMatchObject({ code: 0, json: { points: expect.any(Number), approvedBy: { id: 'mgr-01' } } });
    const plain = await earn('--member', 'M00000013', '--staff', 'clerk-01', '--amount', '30000');
    expect(plain).toMatchObject({ code: 0, json: { approvedBy: null } });

    const raw = openRaw(db, { readonly: true });
    try {
      const row = (id: string) => raw.prepare('SELECT o.approved_by, p.payload_json FROM operations o JOIN print_jobs p ON p.op_id = o.id WHERE o.id = ?').get(id) as { approved_by: string | null; payload_json: string };
      for (const [r, by] of [[approved, 'mgr-01'], [small, 'mgr-01'], [plain, null]] as const) {
        const { approved_by, payload_json } = row(r.json.opId);
        expect(approved_by).toBe(by);
        expect(JSON.parse(payload_json).approvedBy?.id ?? null).toBe(by);
      }
    } finally {
      raw.close();
    }
  });

  it('reads without naming anyone (the operator holds the data folder), and shows no more of the phone than its last four digits', async () => {
    const r = await inProcess('member', '--db', db, '--id', 'M00000007');
    expect(r.code).toBe(0);
    expect(r.json.member.maskedPhone).toMatch(/^\*{4}\d{4}$/);
  });

  it('finds a member by phone (--phone), and with --card or --id checks their whole number instead (exit 2 on a wrong one)', async () => {
    const m = samples.find((s) => s.note !== 'revoked')!;
    expect(m.phone).toMatch(/^1[3-9]\d{9}$/);
    const found = await inProcess('member', '--db', db, '--phone', m.phone);
    expect(found).toMatchObject({ code: 0, json: { ok: true, member: { id: m.mid, maskedPhone: `****${m.phone.slice(-4)}` } } });
    const checked = await inProcess('member', '--db', db, '--card', m.cardNo, '--phone', `+86 ${m.phone.slice(0, 3)} ${m.phone.slice(3)}`);
    expect(checked).toMatchObject({ code: 0, json: { ok: true, phoneCheck: 'match', member: { id: m.mid } } });
    const wrong = await inProcess('member', '--db', db, '--id', m.mid, '--phone', otherPhone(m.phone));
    expect(wrong).toMatchObject({ code: 2, json: { ok: false, error: { code: 'PHONE_MISMATCH' } } });
    const notPhone = await inProcess('member', '--db', db, '--phone', '12345');
    expect(notPhone).toMatchObject({ code: 2, json: { ok: false, error: { code: 'PHONE_INVALID' } } });
    const nobody = await inProcess('member', '--db', db, '--phone', '19999999999', '--lang', 'en');
    expect(nobody).toMatchObject({ code: 2, json: { ok: false, error: { code: 'PHONE_UNKNOWN', message: expect.stringContaining('****9999') } } });
  });

  const badArgs: [string, string[]][] = [
    ['a negative amount', ['earn', '--member', 'M00000001', '--staff', 'clerk-01', '--amount', '-5']],
    ['a non-number amount', ['earn', '--member', 'M00000001', '--staff', 'clerk-01', '--amount', '12.5']],
    ['a huge amount', ['earn', '--member', 'M00000001', '--staff', 'clerk-01', '--amount', '99999999999999']],
    ['a missing member', ['redeem', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01']],
    ['a malformed operation id', ['void', '--op', 'not-a-uuid', '--staff', 'mgr-01']],
    ['an unknown flag', ['outbox', '--bogus', 'x']],
  ];
  it.each(badArgs)('answers %s with INVALID_INPUT (exit 2) and writes nothing', async (_what, args) => {
    const before = readFileSync(db);
    const r = await inProcess(...args, '--db', db);
    expect(r.code).toBe(2);
    expect(r.json.error.code).toBe('INVALID_INPUT');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it.each(['toString', '__proto__', 'constructor', 'hasOwnProperty', 'bench', ''])('answers the command name %j with usage (exit 2)', async (name) => {
    const r = await inProcess(name);
    expect(r).toMatchObject({ code: 2, json: { ok: false, error: { code: 'INVALID_INPUT' } } });
  });

  it('refuses a file that is not a Loyalty Desk database without touching it', async () => {
    const other = join(dir, 'shop.db');
    const o = new Database(other);
    o.exec('CREATE TABLE sales (id INTEGER PRIMARY KEY)');
    o.close();
    const before = readFileSync(other);
    const r = await cli('member', '--db', other, '--id', 'M00000001');
    expect(r).toMatchObject({ code: 2, json: { ok: false, error: { code: 'NOT_LOYALTY_DB' } } });
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(existsSync(`${other}-wal`)).toBe(false);
  });

  it('lists pending outbox events and takes --data DIR for --db', async () => {
    const r = await inProcess('outbox', '--data', dir);
    expect(r.code).toBe(0);
    expect(r.json.pending).toBeGreaterThanOrEqual(1);
    expect(r.json.events[0]).toMatchObject({ type: 'operation.recorded', payload: { kind: 'redeem' } });
  });

  it('doctor says a kiosk.json the kiosk would refuse to start with, instead of a healthy report', async () => {
    // The store's IT person: the kiosk will not start (CONFIG_INVALID), and doctor must say why too.
    const kioskJson = join(dir, 'kiosk.json');
    writeFileSync(kioskJson, JSON.stringify({ idleSeconds: 20 }));
    try {
      const r = await inProcess('doctor', '--db', db, '--lang', 'en');
      expect(r.code).not.toBe(0);
      expect(r.json.error).toMatchObject({ code: 'CONFIG_INVALID', params: { setting: 'kiosk.idleSeconds' } });
      expect(r.json.error.message).toContain('kiosk.json');
    } finally {
      rmSync(kioskJson);
    }
    expect((await inProcess('doctor', '--db', db)).json.healthy).toBe(true);
  });

  it('doctor reports a healthy file, then names the first broken audit entry', async () => {
    const fine = await cli('doctor', '--db', db);
    expect(fine.code).toBe(0);
    expect(fine.json).toMatchObject({ healthy: true, schemaVersion: expect.any(Number), integrity: ['ok'], audit: { ok: true } });
    expect(fine.json.counts.members).toBe(500);

    for (const m of ['M00000002', 'M00000003']) await inProcess('redeem', '--db', db, '--member', m, '--benefit', 'B-SVC-WRAP', '--staff', 'clerk-01');
    const raw = openRaw(db);
    raw.prepare("UPDATE audit SET content_json = replace(content_json, 'M00000002', 'M00000009') WHERE seq = 2").run();
    raw.close();
    const broken = await cli('doctor', '--db', db, '--lang', 'en');
    expect(broken.code).toBe(2);
    expect(broken.json.error.code).toBe('AUDIT_CHAIN_BROKEN');
    expect(broken.json.error.message).toContain('entry 2');
    expect(broken.json.report.audit).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it('start prepares a data folder with demo data once and reuses it after', async () => {
    const folder = join(dir, 'data');
    const first = await inProcess('start', '--data', folder, '--prepare');
    expect(first.json).toMatchObject({ ok: true, seeded: true, db: join(folder, 'desk.db') });
    expect(JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8'))).toMatchObject({ storeId: 'SH001', tz: 'Asia/Shanghai', lang: 'zh-CN' });
    writeFileSync(join(folder, 'marker'), 'x');
    const second = await inProcess('start', '--data', folder, '--prepare');
    expect(second.json).toMatchObject({ ok: true, seeded: false });
  });
});

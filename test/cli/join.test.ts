// `loyalty-desk join` (开卡) as an operator runs it: the real command in a child process on a
// seeded data folder. Without --consent nothing is written (CONSENT_REQUIRED, exit 2).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/demoDb';
import { cli } from '../helpers/cliChild';

const NOW_S = String(Date.UTC(2026, 10, 23, 2, 0, 0) / 1000);

let dir: string;
let cleanup: () => void;
let db: string;
let referrer: { mid: string; phone: string };
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('ld-join-cli-'));
  db = join(dir, 'desk.db');
  const seeded = await cli('seed', '--db', db, '--members', '100', '--now', NOW_S);
  expect(seeded.code).toBe(0);
  referrer = seeded.json.sample[0];
}, 60_000);
afterAll(() => cleanup());

describe('loyalty-desk join', () => {
  it('refuses without --consent (exit 2, nothing written), signs up with it, and refuses the same phone again', async () => {
    const base = ['join', '--db', db, '--now', NOW_S, '--phone', '13600000007', '--name', '孙八', '--staff', 'clerk-01'];
    const asked = await cli(...base);
    expect(asked.code).toBe(2);
    expect(asked.json.error.code).toBe('CONSENT_REQUIRED');
    expect((await cli('outbox', '--db', db)).json.pending).toBe(0);

    const joined = await cli(...base, '--consent', '--birthday', '11-23', '--referrer', referrer.phone);
    expect(joined.code).toBe(0);
    expect(joined.json).toMatchObject({ ok: true, member: { maskedPhone: '****0007', tier: 'basic' }, consent: { termsVersion: 1, staffId: 'clerk-01' }, referrer: { id: referrer.mid } });
    expect(joined.json.member.cardNo).toMatch(/^8870\d{12}$/);
    const outbox = await cli('outbox', '--db', db);
    expect(outbox.json.events.map((e: { type: string }) => e.type)).toEqual(['member.joined']);

    const again = await cli(...base, '--consent', '--lang', 'en');
    expect(again.code).toBe(2);
    expect(again.json.error).toMatchObject({ code: 'PHONE_TAKEN', params: { memberId: joined.json.member.id } });
    const found = await cli('member', '--db', db, '--phone', '136 0000 0007');
    expect(found.json.member.id).toBe(joined.json.member.id);
  });

  it('names the field a person got wrong: no --staff, a bad birthday, a name with a right-to-left override', async () => {
    const base = ['join', '--db', db, '--now', NOW_S, '--phone', '13600000008', '--consent'];
    expect((await cli(...base, '--name', '周九')).json.error.code).toBe('STAFF_REQUIRED');
    expect((await cli(...base, '--name', '周九', '--staff', 'clerk-01', '--birthday', '2-30')).json.error.code).toBe('BIRTHDAY_INVALID');
    const bidi = await cli(...base, '--name', '周\u202e九', '--staff', 'clerk-01');
    expect(bidi.code).toBe(2);
    expect(bidi.json.error).toMatchObject({ code: 'MEMBER_NAME_INVALID', params: { context: 'bidi' } });
    expect((await cli('outbox', '--db', db)).json.pending).toBe(1);
  });
});

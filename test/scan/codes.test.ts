// Member codes v1 end to end through scanMember: every rejection reachable with a realistic code,
// the order of the checks, the ±1 step window and a replay cache that survives a restart.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskError, SCAN_REJECTIONS } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { LANGS } from '../../src/loyalty/types';
import { fromBase64url, toBase64url } from '../../src/scan/codeFormat';
import { demoDeviceKey, type PrivateJwk } from '../../src/scan/hqKeys';
import { mintAppCredential, mintCardCode, mintRotatingCode, stepAt } from '../../src/scan/mintCode';
import { upsertRevocation, upsertTrustedKey } from '../../src/store/scanCache';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { scanMember } from '../../src/terminal/operations/scan';
import { count, NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';
import { appCode, cardCode, hqKeyOf, strangerKey } from './fixtures';

let t: DemoTerminal;
let hq: PrivateJwk;
const scan = (code: string) => scanMember(t.service.deps, code);

function rejection(code: string): string {
  try {
    scan(code);
  } catch (err) {
    if (err instanceof DeskError) return err.code;
    throw err;
  }
  return 'ACCEPTED';
}

function memberWhere(sql: string): { id: string; card_no: string; card_serial: number } {
  const row = t.db.prepare(`SELECT id, card_no, card_serial FROM members WHERE ${sql} ORDER BY id LIMIT 1`).get() as
    | { id: string; card_no: string; card_serial: number }
    | undefined;
  if (!row) throw new Error(`no demo member where ${sql}`);
  return row;
}

beforeEach(() => {
  t = openDemoTerminal(300);
  hq = hqKeyOf(t.dir);
});
afterEach(() => t.cleanup());

describe('accepted codes', () => {
  it('a static card code is signed, a rotating code rotating, a card number unverified', () => {
    const m = memberWhere("status = 'active' AND card_serial = 1");
    expect(scan(cardCode(hq, m.id, 1, NOW))).toMatchObject({ verified: 'signed', member: { id: m.id, cardSerial: 1 } });
    expect(scan(appCode(hq, m.id, 1, NOW))).toMatchObject({ verified: 'rotating', member: { id: m.id } });
    const plain = scan(m.card_no);
    expect(plain).toMatchObject({ verified: 'unverified', member: { id: m.id } });
    expect(plain.member.maskedPhone).toMatch(/^\*{4}\d{4}$/);
  });

  it('takes what scanners add or change: a CR LF suffix, a Tab, Caps Lock inverting every letter', () => {
    const m = memberWhere("status = 'active'");
    const code = cardCode(hq, m.id, m.card_serial, NOW);
    expect(scan(`${code}\r\n`).member.id).toBe(m.id);
    expect(scan(`\t${m.card_no}\t`).member.id).toBe(m.id);
    const inverted = code.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
    expect(scan(inverted).member.id).toBe(m.id);
  });

  it('accepts a rotating code one step either side of the terminal clock, not two', () => {
    const m = memberWhere("status = 'active'");
    expect(scan(appCode(hq, m.id, m.card_serial, NOW, { stepOffset: -1 })).verified).toBe('rotating');
    expect(scan(appCode(hq, m.id, m.card_serial, NOW, { stepOffset: 1 })).verified).toBe('rotating');
    expect(rejection(appCode(hq, m.id, m.card_serial, NOW, { stepOffset: -2 }))).toBe('EXPIRED');
    expect(rejection(appCode(hq, m.id, m.card_serial, NOW, { stepOffset: 2 }))).toBe('NOT_YET_VALID');
  });

  it('a card serial newer than the cache knows is HQ-signed and accepted (the reissue has not synced yet)', () => {
    const m = memberWhere("status = 'active' AND card_serial = 1");
    expect(scan(cardCode(hq, m.id, 2, NOW)).member.id).toBe(m.id);
  });
});

describe('rejections', () => {
  it('reaches every one of the nine codes with a realistic code', () => {
    const m = memberWhere("status = 'active' AND card_serial = 1");
    const superseded = memberWhere("status = 'active' AND card_serial >= 2");
    const revoked = memberWhere("status = 'revoked'");
    const cs = m.card_serial;
    const [p, s] = cardCode(hq, m.id, cs, NOW).split('.').slice(1) as [string, string];
    const otherMember = cardCode(hq, 'M00000002', 1, NOW).split('.')[2]!;
    const rotating = appCode(hq, m.id, cs, NOW);
    const seen: Record<string, string> = {
      MALFORMED: rejection(`https://example.com/?c=${p}`),
      UNKNOWN_KEY: rejection(cardCode(strangerKey(), m.id, cs, NOW)),
      BAD_SIGNATURE: rejection(`LD1C.${p}.${otherMember}`),
      EXPIRED: rejection(appCode(hq, m.id, cs, NOW, { expS: Math.floor(NOW / 1000) - 60 })),
      NOT_YET_VALID: rejection(mintCardCode(hq, { mid: m.id, cs, iat: Math.floor(NOW / 1000) + 3600 })),
      UNKNOWN_MEMBER: rejection(cardCode(hq, 'M99999999', 1, NOW)),
      REVOKED: rejection(cardCode(hq, revoked.id, revoked.card_serial, NOW)),
      CARD_SUPERSEDED: rejection(cardCode(hq, superseded.id, 1, NOW)),
      REPLAYED: (scan(rotating), rejection(rotating)),
    };
    expect(s.length).toBe(86);
    expect(Object.keys(seen).sort()).toEqual([...SCAN_REJECTIONS].sort());
    for (const [expected, got] of Object.entries(seen)) expect(got, expected).toBe(expected);
  });

  it('checks in DESIGN.md order: shape, key, signatures, time, member, replay', () => {
    const revoked = memberWhere("status = 'revoked'");
    const past = Math.floor(NOW / 1000) - 60;
    // Expired and badly signed: the signature is checked first.
    const expired = appCode(hq, revoked.id, 1, NOW, { expS: past });
    const parts = expired.split('.');
    parts[4] = toBase64url(Buffer.alloc(64, 7));
    expect(rejection(parts.join('.'))).toBe('BAD_SIGNATURE');
    // A stranger's key with an unknown member, far in the future: the key comes first.
    expect(rejection(mintCardCode(strangerKey(), { mid: 'NOBODY', cs: 1, iat: Math.floor(NOW / 1000) + 99_999 }))).toBe('UNKNOWN_KEY');
    // Same kid as the trusted key but signed by another: a forgery, not an unknown key.
    expect(rejection(cardCode(strangerKey(hq.kid), revoked.id, 1, NOW))).toBe('BAD_SIGNATURE');
    // Expired and for a revoked member: time before member.
    expect(rejection(expired)).toBe('EXPIRED');
    // Unknown member with a superseded serial: unknown first; revoked before superseded.
    expect(rejection(cardCode(hq, 'M99999999', 1, NOW))).toBe('UNKNOWN_MEMBER');
    upsertRevocation(t.db, { memberId: memberWhere('card_serial >= 2').id, cardSerial: 1, revokedAt: NOW, reason: 'lost' }, NOW);
    expect(rejection(cardCode(hq, memberWhere('card_serial >= 2').id, 1, NOW))).toBe('REVOKED');
  });

  it('a device signature from another device is BAD_SIGNATURE', () => {
    const m = memberWhere("status = 'active'");
    const credential = mintAppCredential(hq, { mid: m.id, cs: m.card_serial, dpk: demoDeviceKey(hq, m.id).dpk, exp: Math.floor(NOW / 1000) + 600 });
    expect(rejection(mintRotatingCode(credential, demoDeviceKey(hq, 'someone-else').privateKey, stepAt(NOW)))).toBe('BAD_SIGNATURE');
  });

  it('honours key validity, withdrawn keys and revocations from the cache', () => {
    const m = memberWhere("status = 'active' AND card_serial = 1");
    const code = cardCode(hq, m.id, 1, NOW);
    upsertTrustedKey(t.db, { kid: hq.kid, x: hq.x, validFrom: NOW - 1000, validTo: NOW }, NOW);
    expect(rejection(code)).toBe('EXPIRED');
    upsertTrustedKey(t.db, { kid: hq.kid, x: hq.x, validFrom: NOW + 1000, validTo: null }, NOW);
    expect(rejection(code)).toBe('NOT_YET_VALID');
    upsertTrustedKey(t.db, { kid: hq.kid, x: hq.x, validFrom: 0, validTo: null, tombstone: true }, NOW);
    expect(rejection(code)).toBe('UNKNOWN_KEY');
    upsertTrustedKey(t.db, { kid: hq.kid, x: hq.x, validFrom: 0, validTo: null }, NOW);
    expect(scan(code).member.id).toBe(m.id);
    upsertRevocation(t.db, { memberId: m.id, cardSerial: 0, revokedAt: NOW, reason: 'fraud' }, NOW);
    expect(rejection(code)).toBe('REVOKED');
    expect(rejection(m.card_no)).toBe('REVOKED');
  });

  it('a seed sample member with card serial ≥ 2 scanned with serial 1 is CARD_SUPERSEDED', () => {
    const m = memberWhere("status = 'active' AND card_serial >= 2");
    expect(rejection(cardCode(hq, m.id, 1, NOW))).toBe('CARD_SUPERSEDED');
    expect(rejection(appCode(hq, m.id, m.card_serial - 1, NOW))).toBe('CARD_SUPERSEDED');
    expect(scan(cardCode(hq, m.id, m.card_serial, NOW)).member.cardSerial).toBe(m.card_serial);
  });

  it('writes nothing for a refused code: a code that fails is never recorded as seen', () => {
    const revoked = memberWhere("status = 'revoked'");
    const before = snapshot(t.db);
    const refused = appCode(hq, revoked.id, revoked.card_serial, NOW);
    expect(rejection(refused)).toBe('REVOKED');
    expect(rejection(refused)).toBe('REVOKED');
    expect(snapshot(t.db)).toEqual(before);
    const m = memberWhere("status = 'active'");
    scan(appCode(hq, m.id, m.card_serial, NOW));
    expect(count(t, 'SELECT count(*) AS n FROM seen_codes')).toBe(1);
    // The replay cache commits without an fsync; everything else stays synchronous=FULL.
    expect(t.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('a replay after a restart (the database reopened) is still REPLAYED', () => {
    const m = memberWhere("status = 'active'");
    const code = appCode(hq, m.id, m.card_serial, NOW);
    expect(scan(code).verified).toBe('rotating');
    t.close();
    const again = openTerminal(t.dbPath, { clock: () => NOW + 20_000 });
    try {
      expect(() => scanMember(again.service.deps, code)).toThrowError(expect.objectContaining({ code: 'REPLAYED' }));
      // The same member's code for the next step is new.
      expect(scanMember(again.service.deps, appCode(hq, m.id, m.card_serial, NOW + 30_000)).verified).toBe('rotating');
    } finally {
      again.close();
      t = { ...t, close: () => undefined };
    }
  });

  it('prunes the replay cache of steps that can never be accepted again', () => {
    const m = memberWhere("status = 'active'");
    scan(appCode(hq, m.id, m.card_serial, NOW));
    t.clock.now = NOW + 24 * 3600_000;
    scan(appCode(hq, m.id, m.card_serial, t.clock.now, { expS: Math.floor(t.clock.now / 1000) + 60 }));
    expect(count(t, 'SELECT count(*) AS n FROM seen_codes')).toBe(1);
  });

  it('refuses non-canonical base64url, so a code has one accepted spelling', () => {
    const m = memberWhere("status = 'active'");
    const code = cardCode(hq, m.id, m.card_serial, NOW);
    const sig = code.split('.')[2]!;
    // The last character of an 86-char signature carries 4 unused bits: flip one of them.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(sig.at(-1)!);
    const twin = sig.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(twin, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    expect(fromBase64url(twin)).toBeNull();
    expect(rejection(code.replace(sig, twin))).toBe('MALFORMED');
  });

  it('gives every rejection a sentence in zh-CN, zh-TW and en, the code one apart from the benefit one', () => {
    for (const lang of LANGS) {
      const tr = createTranslator(lang);
      for (const code of SCAN_REJECTIONS) expect(tr.error(code, code === 'NOT_YET_VALID' ? { context: 'code' } : { ref: 'M00000001' }), `${lang} ${code}`).not.toMatch(/error\.|\{\{/);
      expect(tr.error('NOT_YET_VALID', { context: 'code' })).not.toBe(tr.error('NOT_YET_VALID', { validFrom: NOW }));
    }
    expect(createTranslator('en').error('NOT_YET_VALID', { context: 'code' })).toMatch(/clock/);
  });
});

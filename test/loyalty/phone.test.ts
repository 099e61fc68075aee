// Mobile numbers as people type and say them (src/loyalty/phone.ts): every accepted text becomes one
// E.164 form, the same number written any way gets the same hash, and anything else is null, never a
// throw: checked over thousands of generated texts, not a handful.
import { describe, expect, it } from 'vitest';
import { maskedPhone, normalizePhone, phoneHash } from '../../src/loyalty/phone';

const E164 = /^\+(?:861[3-9]\d{9}|852[4-9]\d{7}|8869\d{8})$/;

function generator(seed: number) {
  let x = seed;
  const next = (m: number) => (x = (x * 1103515245 + 12345) % 2 ** 31) % m;
  const digits = (k: number) => Array.from({ length: k }, () => next(10)).join('');
  return { next, digits };
}

describe('normalizePhone', () => {
  it('writes each accepted spelling of a number as the same E.164 form', () => {
    const g = generator(7);
    for (let i = 0; i < 2_000; i++) {
      const mainland = `1${3 + g.next(7)}${g.digits(9)}`;
      const spellings = [mainland, `+86${mainland}`, `0086 ${mainland}`, `86-${mainland.slice(0, 3)}-${mainland.slice(3, 7)}-${mainland.slice(7)}`, ` (${mainland.slice(0, 3)}) ${mainland.slice(3)} `];
      const fullWidth = `＋８６${[...mainland].map((d) => String.fromCharCode(0xff10 + Number(d))).join('')}`;
      for (const s of [...spellings, fullWidth]) expect(normalizePhone(s), s).toBe(`+86${mainland}`);
      const hk = `${4 + g.next(6)}${g.digits(7)}`;
      for (const s of [`+852${hk}`, `+852 ${hk.slice(0, 4)} ${hk.slice(4)}`, `00852${hk}`]) expect(normalizePhone(s), s).toBe(`+852${hk}`);
      const tw = `9${g.digits(8)}`;
      for (const s of [`+886${tw}`, `+886 0${tw}`, `00886-${tw}`]) expect(normalizePhone(s), s).toBe(`+886${tw}`);
    }
  });

  it('answers null (never throws) for thousands of texts that are not a mobile number, and is idempotent', () => {
    const g = generator(99);
    const alphabet = '0123456789+-() ．.abcX１２\u0000\u202e';
    let accepted = 0;
    for (let i = 0; i < 20_000; i++) {
      const len = g.next(40);
      const text = Array.from({ length: len }, () => alphabet[g.next(alphabet.length)]).join('');
      const out = normalizePhone(text);
      if (out !== null) {
        accepted++;
        expect(out).toMatch(E164);
        expect(normalizePhone(out)).toBe(out);
      }
    }
    for (const bad of ['', '12345', '12812345678', '1381234567', '138123456789', '+85212345678', '+8869123', '+1 415 555 0100', '１２８１２３４５６７８', 'x'.repeat(10_000)]) {
      expect(normalizePhone(bad), bad).toBeNull();
    }
    expect(accepted).toBeLessThan(20_000);
  });

  it('hashes under the key only: another key gives another hash; the mask shows four digits', () => {
    const k1 = Buffer.alloc(32, 1).toString('base64url');
    const k2 = Buffer.alloc(32, 2).toString('base64url');
    expect(phoneHash(k1, '+8613800138000')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(phoneHash(k1, '+8613800138000')).not.toBe(phoneHash(k2, '+8613800138000'));
    expect(phoneHash(k1, '+8613800138000')).not.toBe(phoneHash(k1, '+8613800138001'));
    expect(maskedPhone('8000')).toBe('****8000');
    expect(maskedPhone('')).toBe('****');
    expect(maskedPhone('12345')).toBe('****');
  });
});

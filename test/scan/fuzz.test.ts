// Anything a scanner can send: 100,000+ random and mutated codes through scanMember. Nothing
// escapes but a DeskError with one of the nine rejection codes, and nothing is written but the
// replay cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError, SCAN_REJECTIONS } from '../../src/contract/errors';

/** What the scan field answers for a mobile number that finds no one member (docs/privacy.md). */
const PHONE_LOOKUP_REFUSALS = ['PHONE_UNKNOWN', 'PHONE_AMBIGUOUS', 'PHONE_LOOKUP_UNAVAILABLE'];
import { toBase64url } from '../../src/scan/codeFormat';
import type { PrivateJwk } from '../../src/scan/hqKeys';
import { scanMember } from '../../src/terminal/operations/scan';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';
import { appCode, cardCode, hqKeyOf, strangerKey } from './fixtures';
import { mulberry32 } from '../../src/bench/prng';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

let t: DemoTerminal;
let hq: PrivateJwk;
beforeAll(() => {
  t = openDemoTerminal(200);
  hq = hqKeyOf(t.dir);
});
afterAll(() => t.cleanup());

describe('fuzzing scanMember', () => {
  it('refuses 100,000+ random and mutated codes with only the listed codes, writing nothing but the replay cache', () => {
    const rand = mulberry32(20261123);
    const int = (n: number) => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');

    const members = (t.db.prepare('SELECT id, card_no, card_serial FROM members ORDER BY id LIMIT 60').all() as { id: string; card_no: string; card_serial: number }[]);
    const seeds: string[] = [];
    for (const m of members) {
      seeds.push(cardCode(hq, m.id, m.card_serial, NOW), appCode(hq, m.id, m.card_serial, NOW, { stepOffset: int(3) - 1 }), m.card_no);
    }
    seeds.push(cardCode(strangerKey(), 'M00000001', 1, NOW));

    const payloadVariants = (): string => {
      const base = { v: 1, kid: hq.kid, mid: pick(members).id, cs: 1, iat: Math.floor(NOW / 1000) };
      const wild: unknown[] = [0, -1, 1.5, 2 ** 53, '1', null, [], {}, 'x'.repeat(300), true];
      const field = pick(['v', 'kid', 'mid', 'cs', 'iat', 'dpk', 'exp', 'extra', '__proto__']);
      const obj: Record<string, unknown> = { ...base, [field]: pick(wild) };
      return toBase64url(rand() < 0.1 ? '{"v":1,' : JSON.stringify(obj));
    };

    const mutate = (code: string): string => {
      const parts = code.split('.');
      switch (int(12)) {
        case 0: { const i = int(code.length); return code.slice(0, i) + pick([...B64, '.', '=', ' ', '\u0000', '\u00e9', '码']) + code.slice(i + 1); }
        case 1: { const i = int(code.length); return code.slice(0, i) + code.slice(i + 1); }
        case 2: { const i = int(code.length); return code.slice(0, i) + pick([...B64, '.']) + code.slice(i); }
        case 3: return code.slice(0, int(code.length));
        case 4: return parts.length > 1 ? [...parts, parts[1]].join('.') : `${code}.${code}`;
        case 5: { const other = pick(seeds).split('.'); const k = int(Math.max(parts.length, 1)); parts[k] = other[k] ?? ''; return parts.join('.'); }
        case 6: if (parts.length > 1) parts[1] = payloadVariants(); return parts.join('.');
        case 7: if (parts.length === 5) parts[3] = pick(['-1', '01', '1e3', '99999999999999', String(Number(parts[3]) + int(5) - 2), '']); return parts.join('.');
        case 8: return code.replace(/^LD1./, pick(['LD1X', 'LD2C', 'ld1c', 'LD1C', 'LD1D', '']));
        case 9: return code.toLowerCase();
        case 10: return `${chars(ASCII, int(4))}${code}${pick(['\r\n', '\n', '\t', '', ' x'])}`;
        default: return parts.map((p) => (rand() < 0.3 ? chars(B64, p.length) : p)).join('.');
      }
    };

    const generators: (() => string)[] = [
      () => mutate(pick(seeds)),
      () => mutate(mutate(pick(seeds))),
      () => chars(ASCII, int(200)),
      () => String.fromCharCode(...Array.from({ length: int(64) }, () => int(256))),
      () => chars('0123456789', int(25)),
      () => `LD1${pick(['C', 'D'])}.${chars(B64 + '.', int(400))}`,
      () => pick(['', ' ', '\r\n', '\u0000', 'x'.repeat(10_240), 'LD1C..', 'LD1D....', 'https://weixin.qq.com/x', '{"v":1}', '0'.repeat(19), '1'.repeat(20)]),
      () => `LD1C.${payloadVariants()}.${chars(B64, 86)}`,
    ];

    const before = snapshot(t.db);
    delete before.seen_codes;
    const outcomes = new Map<string, number>();
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      const code = pick(generators)();
      let outcome: string;
      try {
        outcome = `ok:${scanMember(t.service.deps, code).verified}`;
      } catch (err) {
        if (!(err instanceof DeskError)) throw new Error(`${String(err)} escaped for ${JSON.stringify(code.slice(0, 200))}`);
        if (![...SCAN_REJECTIONS, ...PHONE_LOOKUP_REFUSALS].includes(err.code as never)) throw new Error(`${err.code} is not a rejection code (${JSON.stringify(code.slice(0, 200))})`);
        outcome = err.code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    const after = snapshot(t.db);
    delete after.seen_codes;
    expect(after).toEqual(before);
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(N);
    // The mix reached deep into the checks, not only the shape.
    for (const code of ['MALFORMED', 'UNKNOWN_KEY', 'BAD_SIGNATURE', 'UNKNOWN_MEMBER', 'REPLAYED']) expect(outcomes.get(code) ?? 0, code).toBeGreaterThan(0);
  });
});

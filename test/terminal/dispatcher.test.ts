// The one door, attacked with generated input: method names that are not methods (prototype names,
// other sessions' methods, long and odd strings) and inputs of every wrong shape, through desk,
// operator and kiosk sessions of the real dispatcher on a real SQLite file. Every answer must be a
// typed refusal with a sentence in the session's language — never INTERNAL, never a thrown error —
// and the database must be exactly as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kioskApiInputs } from '../../src/contract/kioskApi';
import { terminalApiInputs } from '../../src/contract/terminalApi';
import { mulberry32 } from '../../src/bench/prng';
import { createDispatcher, type Dispatcher, type Session } from '../../src/terminal/session/dispatcher';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';

const SEED = Number(process.env.DISPATCH_SEED ?? 20261204);
const HAN = /[\u4e00-\u9fff]/;

let t: DemoTerminal;
let d: Dispatcher;
beforeEach(() => {
  t = openDemoTerminal(60);
  d = createDispatcher(t.service, { onInternal: () => undefined });
});
afterEach(() => t.cleanup());

function badNames(rand: () => number, n: number): string[] {
  const fixed = ['', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', 'benefit', 'benefit.', '.redeem', 'BENEFIT.REDEEM', 'benefit.redeem ', 'manager.staff', 'kiosk', '../benefit.redeem', 'x'.repeat(5000)];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz._-/\\%\u0000\u202e会员';
  const out = [...fixed];
  for (let i = 0; out.length < n; i++) {
    const len = 1 + Math.floor(rand() * 40);
    let s = '';
    for (let j = 0; j < len; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    if (!Object.hasOwn(terminalApiInputs, s) && !Object.hasOwn(kioskApiInputs, s)) out.push(s);
  }
  return out;
}

function badInputs(rand: () => number, n: number): unknown[] {
  // Each has at least one wrong key or is no object: `{}` (and null, read as `{}`) would be a valid call of a method that takes none (a day-end).
  const fixed: unknown[] = [0, -1, 1e308, Number.NaN, '', 'x', true, [], [{}], JSON.parse('{"__proto__": {"memberId": "M00000001"}}'), { constructor: 1 }];
  const values: unknown[] = [null, -1, 1.5, 1e15, '', 'M00000001', "M1'; DROP TABLE members;--", 'x'.repeat(10_000), [], {}, true, { nested: { deep: [1, 2] } }];
  const keys = ['memberId', 'benefitId', 'amountFen', 'lines', 'pin', 'opId', 'staffId', 'approverId', 'code', 'limit', 'lang', 'date', 'points', 'itemId', 'pageId', 'zz'];
  const out = [...fixed];
  while (out.length < n) {
    const o: Record<string, unknown> = {};
    const k = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < k; i++) o[keys[Math.floor(rand() * keys.length)]!] = values[Math.floor(rand() * values.length)];
    out.push(o);
  }
  return out;
}

async function expectRefused(session: Session, method: string, input: unknown, codes: readonly string[]): Promise<void> {
  const r = await d.dispatch(session, method, input);
  expect(r.ok, `${method.slice(0, 40)} ${JSON.stringify(input)?.slice(0, 80)}`).toBe(false);
  if (r.ok) return;
  expect(codes).toContain(r.error.code);
  expect(r.error.message).toMatch(HAN);
}

describe('the dispatcher under generated input', () => {
  it('refuses 200 names that are not methods in desk, operator and kiosk sessions, changing nothing', async () => {
    const rand = mulberry32(SEED);
    const before = snapshot(t.db);
    const sessions = [d.openDesk(), d.openOperator({ staffId: 'mgr-01' }), d.openKiosk()];
    for (const name of badNames(rand, 200)) {
      for (const s of sessions) {
        expect(d.hasMethod(s, name)).toBe(false);
        await expectRefused(s, name, {}, ['INVALID_INPUT']);
        // Said in words; the name (which may be anything) stays in the params, for IT.
        const r = await d.dispatch(s, name, {});
        if (!r.ok) {
          expect(r.error.params).toMatchObject({ detailKey: 'command.unknownMethod', method: name.slice(0, 64) });
          expect(r.error.message).not.toMatch(/method/i);
          if (/[a-z]{3}/i.test(name)) expect(r.error.message).not.toContain(name.slice(0, 64));
        }
      }
    }
    expect(snapshot(t.db)).toEqual(before);
  });

  it('keeps each session to its own methods: a kiosk refuses every staff method by name, a desk every kiosk method', async () => {
    const kiosk = d.openKiosk();
    const desk = d.openDesk();
    for (const m of Object.keys(terminalApiInputs)) await expectRefused(kiosk, m, {}, ['KIOSK_STAFF_ONLY']);
    for (const m of Object.keys(kioskApiInputs)) await expectRefused(desk, m, {}, ['INVALID_INPUT']);
  });

  it('answers wrong-shaped input to every desk method with a typed refusal, as a manager operator, changing nothing', async () => {
    const rand = mulberry32(SEED + 1);
    const operator = d.openOperator({ staffId: 'mgr-01', managerId: 'mgr-01' });
    // A wrong PIN is a refusal that counts toward the lockout: the PIN's own table may change.
    const before = snapshot(t.db, ['lockouts']);
    const inputs = badInputs(rand, 40);
    const allowed = ['INVALID_INPUT', 'STAFF_REQUIRED', 'UNKNOWN_MEMBER', 'UNKNOWN_STAFF', 'UNKNOWN_OPERATION', 'DATE_INVALID', 'PRINTER_NOT_CONFIGURED'];
    for (const m of Object.keys(terminalApiInputs)) {
      for (const input of inputs) {
        const r = await d.dispatch(operator, m, input);
        expect(r.ok, `${m} ${JSON.stringify(input)?.slice(0, 80)} was accepted`).toBe(false);
        if (r.ok) continue;
        expect(r.error.code, `${m} ${JSON.stringify(input)?.slice(0, 80)}`).not.toBe('INTERNAL');
        expect(allowed.concat(['WRONG_PIN', 'LOCKED_OUT'])).toContain(r.error.code);
        expect(r.error.message).toMatch(HAN);
      }
    }
    expect(snapshot(t.db, ['lockouts'])).toEqual(before);
  });

  it('refuses every write of an operator who names no one, or someone who is not staff here', async () => {
    const before = snapshot(t.db);
    const writes = [
      ['benefit.redeem', { memberId: 'M00000001', benefitId: 'B-SVC-WRAP' }],
      ['points.earn', { memberId: 'M00000001', lines: [{ category: 'general', amountFen: 100 }] }],
      ['points.donate', { memberId: 'M00000001', points: 1 }],
      ['manager.staff.add', { name: '某人', pin: '4321' }],
      ['manager.dayEnd', {}],
    ] as const;
    for (const [who, code] of [[{}, 'STAFF_REQUIRED'], [{ staffId: 'ghost' }, 'UNKNOWN_STAFF'], [{ staffId: '__proto__' }, 'UNKNOWN_STAFF']] as const) {
      const s = d.openOperator(who);
      for (const [m, input] of writes) await expectRefused(s, m, input, [code]);
    }
    expect(snapshot(t.db)).toEqual(before);
  });
});

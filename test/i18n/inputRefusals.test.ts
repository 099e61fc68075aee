// Every refusal of a bad input is a sentence a person can act on, in the UI's language (issue 18
// item 1): each TerminalApi method's input schema is walked with generated failure modes for each of
// its fields (missing, wrong type, negative, fractional, huge, empty, overlong, wrong shape, an extra
// key) through the real dispatcher in zh-CN, zh-TW and en, and the command line's operations with
// generated bad flag values in-process. A message fails on a schema path or identifier ("lines.0",
// "amountFen"), zod's own wording, an English word inside a Chinese sentence, or Chinese in English;
// and nothing in the database changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mulberry32 } from '../../src/bench/prng';
import { main } from '../../src/cli/main';
import { terminalApiInputs } from '../../src/contract/terminalApi';
import type { Lang } from '../../src/loyalty/types';
import { createDispatcher } from '../../src/terminal/session/dispatcher';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';
import { sentenceProblems as problems } from '../helpers/sentence';

const LANGS: Lang[] = ['zh-CN', 'zh-TW', 'en'];
/** Generated wrong values for one field: each of the ways a person or a buggy client gets it wrong. */
function badValues(rand: () => number): unknown[] {
  const big = 10 ** (10 + Math.floor(rand() * 6));
  const text = (n: number) => Array.from({ length: n }, () => 'aZ9-_.!会 '[Math.floor(rand() * 10)]).join('');
  return [undefined, null, -1 - Math.floor(rand() * 1000), 0.5 + Math.floor(rand() * 100), big, '', text(1 + Math.floor(rand() * 20)), 'x'.repeat(300 + Math.floor(rand() * 5000)), true, [], [{}], { a: 1 }, Number.NaN];
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | null {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : null;
}

/** A valid-looking base input for a method, so one field at a time is wrong. */
function baseInput(method: string): Record<string, unknown> {
  const base: Record<string, unknown> = {
    memberId: 'M00000001', benefitId: 'B-VOUCHER-20', amountFen: 1000, lines: [{ category: 'general', amountFen: 1000 }], itemId: 'C-BAG', points: 10,
    opId: '0190a0a0-0000-7000-8000-000000000000', pin: '1234', code: 'LD1C.x.y', phone: '13800000000', lang: 'en', limit: 5, chart: 'byTier', id: 1,
    name: 'A', staffId: 'clerk-01',
  };
  const shape = objectShape(terminalApiInputs[method as keyof typeof terminalApiInputs] as z.ZodType) ?? {};
  return Object.fromEntries(Object.keys(shape).filter((k) => k in base).map((k) => [k, base[k]]));
}

let t: DemoTerminal;
beforeAll(() => {
  t = openDemoTerminal(40);
});
afterAll(() => t.cleanup());

describe('a refused input is a sentence in the UI language', () => {
  it.each(LANGS)('every field of every method, generated bad values, in %s', async (lang) => {
    const d = createDispatcher(t.service, { onInternal: () => undefined });
    const session = d.openDesk();
    expect((await d.dispatch(session, 'session.setLang', { lang })).ok).toBe(true);
    const rand = mulberry32(1800 + LANGS.indexOf(lang));
    const before = snapshot(t.db);
    const bad: string[] = [];
    let refusals = 0;
    const started = Date.now();
    for (const method of Object.keys(terminalApiInputs)) {
      const schema = terminalApiInputs[method as keyof typeof terminalApiInputs] as z.ZodType;
      const shape = objectShape(schema);
      const base = baseInput(method);
      const inputs: unknown[] = [{ ...base, zz: 1 }, 'text', 42];
      for (const key of Object.keys(shape ?? {})) {
        for (const value of badValues(rand)) inputs.push({ ...base, [key]: value });
        // A list's row with one wrong field: the row is named by its number, never by its path.
        if (key === 'lines') for (const value of badValues(rand)) inputs.push({ ...base, lines: [{ category: 'general', amountFen: 100 }, { category: 'general', amountFen: value }] });
      }
      for (const input of inputs) {
        if (schema.safeParse(input).success) continue;
        const r = await d.dispatch(session, method, input);
        expect(r.ok, `${method} ${JSON.stringify(input)?.slice(0, 80)}`).toBe(false);
        if (r.ok) continue;
        refusals++;
        expect(r.error.code).toBe('INVALID_INPUT');
        const wrong = problems(r.error.message, lang);
        if (wrong.length > 0) bad.push(`${method} ${JSON.stringify(input)?.slice(0, 60)} → ${r.error.message} (${wrong.join(', ')})`);
      }
      expect(Date.now() - started).toBeLessThan(60_000);
    }
    expect(bad).toEqual([]);
    expect(refusals).toBeGreaterThan(300);
    expect(snapshot(t.db)).toEqual(before);
  }, 90_000);

  it('says "too large" with the limit as money, and names the purchase line by its number', async () => {
    const d = createDispatcher(t.service, { onInternal: () => undefined });
    const session = d.openDesk();
    const expected: Record<Lang, [string, string]> = {
      'zh-CN': ['金额最多 ¥10,000,000.00。', '第 2 行的金额须大于 0。'],
      'zh-TW': ['金額最多 ¥10,000,000.00。', '第 2 行的金額須大於 0。'],
      en: ['The amount can be at most ¥10,000,000.00.', 'The amount on line 2 must be more than 0.'],
    };
    for (const lang of LANGS) {
      await d.dispatch(session, 'session.setLang', { lang });
      const tooBig = await d.dispatch(session, 'points.earnPreview', { memberId: 'M00000001', lines: [{ category: 'general', amountFen: 2_580_000_000 }] });
      const zeroLine = await d.dispatch(session, 'points.earnPreview', { memberId: 'M00000001', lines: [{ category: 'general', amountFen: 100 }, { category: 'general', amountFen: 0 }] });
      expect([!tooBig.ok && tooBig.error.message, !zeroLine.ok && zeroLine.error.message]).toEqual(expected[lang]);
    }
  });
});

describe('the command line refuses bad flags in the chosen language', () => {
  const cli = async (args: string[]) => {
    const out: string[] = [];
    const code = await main(args, { out: (s) => out.push(s), err: () => {}, now: () => Date.UTC(2026, 10, 23) });
    return { code, json: JSON.parse(out.join('')) as { ok: boolean; error?: { code: string; message: string } } };
  };

  it.each(LANGS)('generated bad values of --points, --amount, --member, --op and unknown flags, in %s', async (lang) => {
    const rand = mulberry32(1818 + LANGS.indexOf(lang));
    const db = t.dbPath;
    const before = snapshot(t.db);
    const bad: string[] = [];
    const values = () => ['-5', '-0', '12.5', '1e3', '', 'abc', '99999999999999', ' 7', '+3', `-${1 + Math.floor(rand() * 999)}`, `${Math.floor(rand() * 1e6)}.${Math.floor(rand() * 99)}`, '１２'];
    const runs: string[][] = [];
    for (const v of values()) {
      runs.push(['donate', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', `--points=${v}`]);
      runs.push(['earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', `--amount=${v}`]);
      runs.push(['cash', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--points', '100', `--amount=${v}`]);
      runs.push(['redeem', '--db', db, '--member', v || 'M 1', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01']);
      runs.push(['void', '--db', db, '--op', v || 'x', '--staff', 'mgr-01']);
    }
    runs.push(['donate', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--points', '-200']);
    runs.push(['donate', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--points']);
    runs.push(['donate', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--bogus', '1']);
    runs.push(['donate', '--db', db, '--member', 'M00000003', '--staff', 'bad id!', '--points', '5']);
    runs.push(['donate', '--data', '/nowhere', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--points', '5']);
    runs.push(['earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--lines', '[{"category":"general","amountFen":1},{"category":"Bad!","amountFen":1}]']);
    runs.push(['earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--lines', '{not json']);
    runs.push(['member', '--db', db, '--card', '12ab']);
    for (const args of runs) {
      const { code, json } = await cli([...args, '--lang', lang]);
      // A well-formed value may still name nobody (UNKNOWN_MEMBER): any refusal, told properly.
      if (code !== 2 || !json.error) {
        bad.push(`${args.slice(3).join(' ')} → exit ${code} ${JSON.stringify(json).slice(0, 120)}`);
        continue;
      }
      // A value echoed back ("未找到会员 abc") is the person's own text, not the message's words.
      const wrong = problems(args.reduce((m, a) => (a.length > 1 && !a.startsWith('-') ? m.split(a).join('') : m), json.error.message), lang);
      if (wrong.length > 0) bad.push(`${args.slice(3).join(' ')} → ${json.error.message} (${wrong.join(', ')})`);
    }
    expect(bad).toEqual([]);
    expect(snapshot(t.db)).toEqual(before);
  }, 60_000);

  it('words the two cases the issue found', async () => {
    const db = t.dbPath;
    const points = await cli(['donate', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--points', '12.5']);
    expect(points.json.error?.message).toBe('--points 须为整数，只写数字（不带正负号、小数点或指数）。');
    const negative = await cli(['earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--amount=-5', '--lang', 'zh-TW']);
    expect(negative.json.error?.message).toBe('--amount 不能為負數。');
    const spaced = await cli(['earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--amount', '-5', '--lang', 'en']);
    expect(spaced.json.error?.message).toBe('--amount cannot be negative.');
    const huge = await cli(['earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--amount', '99999999999']);
    expect(huge.json.error?.message).toBe('--amount 最多 ¥10,000,000.00。');
  });
});

// The command line's dev tools refuse a bad input in the chosen language too: `hq-admin` (a missing
// or unknown action, words after the action, a --file that cannot be read or is not JSON) and `scan`
// / `member-qr` (no code or several, no HQ signing key, a file that is not one). Generated bad inputs
// run through the real command line in zh-CN, zh-TW and en; each refusal must be INVALID_INPUT with
// its own worded sentence (never "输入无效：" followed by English detail), and what the person typed
// (a path, an extra word) is the only Latin text a Chinese sentence may carry. No HQ is contacted:
// every case is refused before the first request.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { main } from '../../src/cli/main';
import { createTranslator } from '../../src/i18n';
import type { Lang } from '../../src/loyalty/types';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { seedDemoDb } from '../helpers/demoDb';
import { sentenceProblems } from '../helpers/sentence';

const LANGS: Lang[] = ['zh-CN', 'zh-TW', 'en'];

async function cli(args: string[]): Promise<{ code: number; message: string; errCode: string }> {
  const out: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: () => {}, now: () => Date.UTC(2026, 10, 23) });
  const json = JSON.parse(out.join('')) as { ok: boolean; error?: { code: string; message: string } };
  return { code, message: json.error?.message ?? '', errCode: json.error?.code ?? '' };
}

let seeded: ReturnType<typeof seedDemoDb>;
let tokenFile: string;
beforeAll(() => {
  seeded = seedDemoDb(20);
  tokenFile = join(seeded.dir, 'token.txt');
  writeFileSync(tokenFile, 'dev-token\n', { mode: 0o600 });
  // No HQ key beside the database: member-qr without --signing-key has none to sign with.
  rmSync(join(seeded.dir, HQ_KEY_FILE), { force: true });
});
afterAll(() => seeded.cleanup());

interface Case {
  kind: string;
  args: string[];
  /** What the person typed or a path the command named: removed before the sentence is judged. */
  typed: string[];
}

function cases(rand: () => number, tag: string): Case[] {
  const word = () => Array.from({ length: 3 + Math.floor(rand() * 8) }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rand() * 26)]).join('');
  const hq = ['hq-admin', '--hq', 'http://127.0.0.1:9', '--token-file', tokenFile];
  const dir = seeded.dir;
  const out: Case[] = [];
  // hq-admin: no action, an action it does not know, a word too many after a real one.
  out.push({ kind: 'noAction', args: hq, typed: [] });
  for (let i = 0; i < 3; i++) {
    const action = word();
    out.push({ kind: 'unknownAction', args: [...hq, action], typed: [action] });
  }
  for (let i = 0; i < 3; i++) {
    const extra = Array.from({ length: 1 + Math.floor(rand() * 3) }, word);
    out.push({ kind: 'extra', args: [...hq, 'stores', ...extra], typed: extra });
  }
  // hq-admin --file: missing, a folder, not JSON (generated junk), empty.
  const missing = join(dir, `${tag}-missing-${word()}.json`);
  out.push({ kind: 'fileUnreadable', args: [...hq, 'members', '--file', missing], typed: [missing] });
  const folder = join(dir, `${tag}-folder-${word()}`);
  mkdirSync(folder, { recursive: true });
  out.push({ kind: 'fileUnreadable', args: [...hq, 'catalog', '--file', folder], typed: [folder] });
  for (let i = 0; i < 3; i++) {
    const junk = join(dir, `${tag}-junk-${i}.json`);
    writeFileSync(junk, ['{', `{"a": ${word()}}`, `[1, 2,`, word(), ''][i + Math.floor(rand() * 2)]!);
    out.push({ kind: 'notJson', args: [...hq, 'rules', '--file', junk], typed: [junk] });
  }
  // scan: no code, several codes.
  out.push({ kind: 'codeCount', args: ['scan', '--db', seeded.dbPath], typed: [seeded.dbPath] });
  const codes = Array.from({ length: 2 + Math.floor(rand() * 3) }, () => `LD1C.${word()}.${word()}`);
  out.push({ kind: 'codeCount', args: ['scan', '--db', seeded.dbPath, ...codes], typed: [seeded.dbPath, ...codes] });
  // member-qr: no HQ key at the path given, a file that is not a private key.
  const noKey = join(dir, `${tag}-nokey-${word()}.jwk.json`);
  out.push({ kind: 'noKey', args: ['member-qr', '--db', seeded.dbPath, '--member', 'M00000001', '--signing-key', noKey], typed: [seeded.dbPath, noKey] });
  out.push({ kind: 'noKey', args: ['member-qr', '--db', seeded.dbPath, '--member', 'M00000001'], typed: [join(dir, HQ_KEY_FILE)] });
  const notKeys = ['{}', '{"kty":"OKP","crv":"Ed25519","x":"abc"}', `${word()}`, '[]'];
  for (const [i, body] of notKeys.entries()) {
    const file = join(dir, `${tag}-notkey-${i}.jwk.json`);
    writeFileSync(file, body);
    out.push({ kind: 'notKey', args: ['member-qr', '--db', seeded.dbPath, '--member', 'M00000001', '--signing-key', file], typed: [seeded.dbPath, file] });
  }
  return out;
}

describe('the dev tools refuse a bad input in the chosen language', () => {
  it.each(LANGS)('generated bad inputs of hq-admin, scan and member-qr, in %s', async (lang) => {
    const rand = mulberry32(2600 + LANGS.indexOf(lang));
    const generic = createTranslator(lang).error('INVALID_INPUT', { detail: '' }).replace(/[。.]$/, '');
    const bad: string[] = [];
    const byKind = new Map<string, Set<string>>();
    const started = Date.now();
    for (const c of cases(rand, lang)) {
      const { code, message, errCode } = await cli([...c.args, '--lang', lang]);
      const said = `${c.kind} ${c.args.slice(-3).join(' ')} → exit ${code} ${errCode} ${message}`;
      if (code !== 2 || errCode !== 'INVALID_INPUT') {
        bad.push(said);
        continue;
      }
      const judged = c.typed.reduce((m, t) => m.split(t).join(''), message);
      const wrong = sentenceProblems(judged, lang);
      if (message.startsWith(generic)) wrong.push('the generic sentence with a detail');
      if (wrong.length > 0) bad.push(`${said} (${wrong.join(', ')})`);
      // Each kind has its own sentence: the same words (less what was typed) for every case of it.
      byKind.set(c.kind, (byKind.get(c.kind) ?? new Set()).add(judged.replace(/\d+/g, '#').replace(/\s+/g, ' ')));
      expect(Date.now() - started).toBeLessThan(30_000);
    }
    expect(bad).toEqual([]);
    for (const [kind, said] of byKind) expect([...said], kind).toHaveLength(1);
    const sentences = [...byKind.values()].flatMap((s) => [...s]);
    expect(new Set(sentences).size, JSON.stringify([...byKind].map(([k, v]) => [k, [...v]]))).toBe(sentences.length);
  }, 60_000);

  it('says the cases in words', async () => {
    const hq = ['hq-admin', '--hq', 'http://127.0.0.1:9', '--token-file', tokenFile];
    expect((await cli([...hq, 'stores', 'extra'])).message).toBe('只能给出一个操作，extra 是多余的。');
    expect((await cli([...hq, 'nope', '--lang', 'zh-TW'])).message).toBe('沒有這個操作，可用的操作見上方印出的用法說明。');
    expect((await cli(['scan', '--db', seeded.dbPath, '--lang', 'en'])).message).toBe('Give exactly one member code to scan (you gave 0).');
  });
});

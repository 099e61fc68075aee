// A settings file, a database or a backup that is broken is told in the reader's language, with no
// English inside a Chinese sentence: generated broken config.json and kiosk.json files (JSON broken
// at seeded places, wrong types, unknown keys, numbers out of range) and damaged databases and
// backups (cut short, random bytes, flipped pages) go through the real readers, openStore, restore
// and the command line. In zh-CN and zh-TW a message may carry Latin letters only in the file path
// the person gave, a config key in 「」, and PIN, HQ, IT, JSON, SQLite; it ends with full-width
// punctuation. In en it is a sentence. SQLite's own words stay out of the sentence and reach the
// command's JSON, doctor's bundle and the log line for IT.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { cleanFields, REDACTED } from '../../src/log/fields';
import { sqliteWords } from '../../src/store/sqliteWords';
import { main } from '../../src/cli/main';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { jsonErrorAt } from '../../src/i18n/configIssues';
import type { Lang } from '../../src/loyalty/types';
import { readKioskConfig } from '../../src/runtime/kioskConfig';
import { makeBackup } from '../../src/store/backup';
import { keyFileFor } from '../../src/store/dbKey';
import { keyOfConnection, openStore } from '../../src/store/open';
import { restoreBackup } from '../../src/store/restore';
import { createHqClient } from '../../src/syncClient/hqClient';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { readConfig } from '../../src/terminal/operations/config';
import { NOW, seedDemoDb, tempDir } from '../helpers/demoDb';

const LANGS: Lang[] = ['zh-CN', 'zh-TW', 'en'];
const HAN = /[\u3400-\u9fff]/;
// The only Latin a Chinese sentence here may carry besides the path and a quoted key: these words,
// a command-line flag as typed (--key) and the backup files' extension.
const ALLOWED_LATIN = /\b(PIN|HQ|IT|JSON|SQLite)\b|--[a-z-]+|\.ldbackup\b/g;
const ENGINE_WORDS = /Unexpected|expected|Invalid|position|token|SQLITE|malformed|not a database|checksum|header|integrity|Expected/;

/** What is wrong with one message; empty when it is a proper sentence in `lang`. */
function sentenceProblems(message: string, lang: Lang, path: string): string[] {
  const out: string[] = [];
  const rest = message.split(path).join(' ');
  if (!message.includes(path)) out.push('the path is not named');
  if (ENGINE_WORDS.test(rest)) out.push("the engine's or parser's words");
  if (lang === 'en') {
    if (HAN.test(message)) out.push('Chinese in English');
    if (!/^[A-Z]/.test(message.split(path).join('X'))) out.push('no capital at the start');
    if (!/[.!?]$/.test(message)) out.push('no full stop');
    if (/\.\.|\s{2}/.test(message.split(path).join('X'))) out.push('doubled punctuation or space');
  } else {
    const latin = rest.replace(/「[^」]{1,80}」/g, ' ').replace(ALLOWED_LATIN, ' ');
    if (/[A-Za-z]/.test(latin)) out.push(`Latin inside Chinese: ${latin}`);
    if (!HAN.test(message)) out.push('no Chinese');
    if (!/[。！？]$/.test(message)) out.push('not ended by full-width punctuation');
    if (/[。，；：][。，；：]/.test(message)) out.push('doubled punctuation');
  }
  return out;
}

function expectSentences(err: DeskError, path: string, what: string): void {
  for (const lang of LANGS) {
    const message = createTranslator(lang).error(err.code, err.params);
    expect(sentenceProblems(message, lang, path), `${what} (${lang}): ${message}`).toEqual([]);
  }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return null;
}

const tmp = tempDir('ld-filerefusals-');
afterAll(() => tmp.cleanup());

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const DESK_CONFIG: Json = {
  storeId: DEMO_STORE.id,
  terminalId: DEMO_TERMINAL,
  tz: 'Asia/Shanghai',
  printer: null,
  scanner: { wedge: { enabled: true, maxInterKeyMs: 35, minLength: 8 }, serial: { port: null, baud: 9600 }, camera: { deviceId: null } },
  lang: 'zh-CN',
  printerPorts: [9200],
  serialPaths: ['/dev/ttyS9'],
};
const KIOSK_CONFIG: Json = { idleSeconds: 30, pageTtlSeconds: 300, camera: false, maxSlips: 2, slipWaitSeconds: 20 };

/** Every place a value sits, the file's root included. */
function pathsOf(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const here = [at];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...at, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, k]))];
  return here;
}

function withValue(root: Json, path: (string | number)[], value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  const copy = structuredClone(root) as Record<string | number, Json>;
  let here = copy;
  for (const k of path.slice(0, -1)) here = here[k] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(here)) here.splice(Number(last), 1);
    else delete here[last];
  } else here[last] = value;
  return copy;
}

const WRONG_VALUES: (Json | undefined)[] = [undefined, null, 'x', '', -1, 0, 1.5, 1e9, true, [], {}, 'x'.repeat(400), Array.from({ length: 40 }, () => 9100)];

/** Generated broken texts of one settings file: schema mistakes first, then JSON broken at seeded places. */
function brokenFiles(valid: Json, seed: number): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const path of pathsOf(valid)) {
    for (const v of WRONG_VALUES) out.push({ name: `${path.join('.') || '(root)'} = ${JSON.stringify(v)?.slice(0, 20)}`, text: JSON.stringify(withValue(valid, path, v), null, 2) });
    const at = path.length === 0 ? valid : path.reduce<Json>((o, k) => (o as Record<string | number, Json>)[k]!, valid);
    if (at !== null && typeof at === 'object' && !Array.isArray(at)) {
      out.push({ name: `${path.join('.')} + unknown key`, text: JSON.stringify(withValue(valid, path, { ...at, printerPort: 9100 }), null, 2) });
      out.push({ name: `${path.join('.')} + odd key`, text: JSON.stringify(withValue(valid, path, { ...at, '会员 x\n': 1 }), null, 2) });
    }
  }
  const good = JSON.stringify(valid, null, 2);
  const rand = mulberry32(seed);
  const INSERTS = [',', ':', '{', '}', '[', ']', '"', "'", 'x', '/', '#', '\\', '\u0001', '，', '0'];
  for (let i = 0; i < 60; i++) {
    const at = Math.floor(rand() * good.length);
    const kind = i % 4;
    const text =
      kind === 0 ? good.slice(0, at)
      : kind === 1 ? good.slice(0, at) + good.slice(at + 1)
      : kind === 2 ? good.slice(0, at) + INSERTS[Math.floor(rand() * INSERTS.length)] + good.slice(at)
      : good.slice(0, at) + good.slice(at + 1, at + 2) + good[at] + good.slice(at + 2);
    out.push({ name: `json ${['cut', 'dropped', 'inserted', 'swapped'][kind]} at ${at}`, text });
  }
  for (const text of ['', '   \n', '// settings\n{}', "{'storeId': 'x'}", '{"a":1,}', '[1,2', '{"a":"\\q"}', 'NaN', '\uFEFF', '{"a": 01}', '{"a": 30.}', '{"a": -x}', '{"a": 1e+}', '[1.e5]']) out.push({ name: `json ${JSON.stringify(text)}`, text });
  return out;
}

/** Line and column of a 0-based offset, as a person counts them. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).replace(/\r/g, '');
  const lines = before.split('\n');
  return { line: lines.length, column: lines.at(-1)!.length + 1 };
}

function checkSettingsFiles(file: 'config.json' | 'kiosk.json', valid: Json, read: (dir: string) => unknown, seed: number) {
  const dir = join(tmp.dir, file.replace('.json', ''));
  const path = join(dir, file);
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  let refused = 0;
  let positioned = 0;
  for (const c of brokenFiles(valid, seed)) {
    writeFileSync(path, c.text);
    const err = thrown(() => read(dir));
    if (err === null) continue;
    expect(err, c.name).toBeInstanceOf(DeskError);
    const e = err as DeskError;
    expect(e.code, c.name).toBe('CONFIG_INVALID');
    refused++;
    seen.add(String(e.params.problem));
    expectSentences(e, path, `${file}: ${c.name}`);
    if (e.params.problem === 'json') {
      // The position counted here agrees with the engine's wherever the engine gives one.
      const engine = /at position (\d+)/.exec(e.cause instanceof Error ? e.cause.message : '');
      const text = c.text.replace(/^\uFEFF/, '');
      if (engine) {
        positioned++;
        expect({ line: e.params.line, column: e.params.column }, c.name).toEqual(lineColumn(text, Number(engine[1])));
      }
      expect(jsonErrorAt(text), c.name).toEqual({ line: e.params.line, column: e.params.column });
    }
  }
  return { refused, seen, positioned };
}

describe('a broken settings file is told in the reader’s language', () => {
  it('config.json: generated broken files through readConfig', () => {
    const { refused, seen, positioned } = checkSettingsFiles('config.json', DESK_CONFIG, readConfig, 11);
    expect(refused).toBeGreaterThan(200);
    expect(positioned).toBeGreaterThan(10);
    for (const problem of ['json', 'required', 'type.number', 'type.string', 'type.object', 'whole', 'min', 'max', 'unknownKey', 'choice', 'invalid', 'tooLong', 'tooMany']) {
      expect([...seen], problem).toContain(problem);
    }
  });

  it('kiosk.json: generated broken files through readKioskConfig', () => {
    const { refused, seen } = checkSettingsFiles('kiosk.json', KIOSK_CONFIG, readKioskConfig, 12);
    expect(refused).toBeGreaterThan(60);
    for (const problem of ['json', 'type.number', 'type.boolean', 'whole', 'min', 'max', 'unknownKey']) expect([...seen], problem).toContain(problem);
  });

  it('names every setting of both files in words in each language', () => {
    const settings = [
      ...pathsOf(DESK_CONFIG).filter((p) => p.length > 0 && typeof p.at(-1) === 'string'),
      ...pathsOf(KIOSK_CONFIG).filter((p) => p.length > 0).map((p) => ['kiosk', ...p]),
    ].map((p) => p.join('_'));
    expect(settings.length).toBeGreaterThan(20);
    for (const lang of LANGS) {
      const tr = createTranslator(lang);
      for (const s of settings) expect(tr.t(`configFile.setting.${s}`), `${lang} ${s}`).not.toContain('configFile');
    }
  });

  it('names a setting in words and by its key, and a JSON mistake by line and column', () => {
    const e = new DeskError('CONFIG_INVALID', { path: '/d/config.json', problem: 'min', setting: 'scanner.wedge.maxInterKeyMs', key: 'scanner.wedge.maxInterKeyMs', limit: '5' });
    expect(createTranslator('zh-CN').error(e.code, e.params)).toBe('配置文件 /d/config.json 有误：扫码枪按键最长间隔毫秒数（「scanner.wedge.maxInterKeyMs」）至少为 5。请改正后重试，或联系 IT。');
    expect(jsonErrorAt('{\n  "a": ,\n}')).toEqual({ line: 2, column: 8 });
    expect(jsonErrorAt('{"a": 1')).toEqual({ line: 1, column: 8 });
  });

  it('on the command line: a desk whose config.json is broken answers in --lang', async () => {
    const seeded = seedDemoDb(20);
    try {
      const path = join(seeded.dir, 'config.json');
      const cases = ['{\n  "storeId": "SH001",\n  "terminalId": ,\n}', JSON.stringify({ ...(DESK_CONFIG as object), scanner: { wedge: { minLength: 2 } } }), JSON.stringify({ ...(DESK_CONFIG as object), terminalId: 'SH001-T7' })];
      for (const text of cases) {
        writeFileSync(path, text);
        for (const lang of LANGS) {
          let out = '';
          const code = await main(['member', '--data', seeded.dir, '--id', 'M00000001', '--lang', lang], { out: (t) => (out += t), err: () => {}, now: () => NOW });
          expect(code).toBe(2);
          const json = JSON.parse(out) as { error: { code: string; message: string } };
          expect(json.error.code).toBe('CONFIG_INVALID');
          expect(sentenceProblems(json.error.message, lang, path), json.error.message).toEqual([]);
        }
      }
    } finally {
      seeded.cleanup();
    }
  });
});

describe('a damaged database or backup: what happened and what to do, SQLite’s words for IT only', () => {
  it('keeps SQLite’s words in the log only in their shape: no phone, card number, token or e-mail', () => {
    const fits = ['row 3 missing from index members_phone_idx', 'database disk image is malformed', '*** in database main ***\nPage 51: btree page 51 has 2 cells'];
    for (const text of fits) expect(cleanFields({ sqlite: sqliteWords([text]) }).sqlite).toBe(sqliteWords([text]));
    for (const bad of ['13812345678', 'member 13812345678 row', 'card 6222020200112233445', `token ${'a1B2'.repeat(8)} here`, 'mail li@example.com', '会员 李娜 row', '1234']) {
      expect(cleanFields({ sqlite: bad }).sqlite, bad).toBe(REDACTED);
      const made = sqliteWords([bad]);
      expect(cleanFields({ sqlite: made }).sqlite, bad).toBe(made);
      expect(made).not.toMatch(/\d{10}|@|李娜/);
    }
  });

  it('damaged databases through openStore and doctor', async () => {
    const seeded = seedDemoDb(300);
    const { db } = openStore(seeded.dbPath, { create: false });
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const good = readFileSync(seeded.dbPath);
    const rand = mulberry32(23);
    const cases: { name: string; bytes: Buffer }[] = [];
    for (let i = 0; i < 6; i++) {
      const cut = pageSize * (1 + Math.floor(rand() * (good.length / pageSize - 1)));
      cases.push({ name: `cut at ${cut}`, bytes: good.subarray(0, cut) });
    }
    for (let i = 0; i < 10; i++) {
      const page = 1 + Math.floor(rand() * (good.length / pageSize - 1));
      const bytes = Buffer.from(good);
      for (let k = 0; k < 16; k++) {
        const at = page * pageSize + Math.floor(rand() * pageSize);
        bytes[at] = bytes[at]! ^ (1 + Math.floor(rand() * 255));
      }
      cases.push({ name: `page ${page} flipped`, bytes });
    }
    cases.push({ name: 'random bytes', bytes: Buffer.from(Array.from({ length: pageSize * 4 }, () => Math.floor(rand() * 256))) });
    const codes = new Set<string>();
    let withSqlite = 0;
    for (const c of cases) {
      for (const suffix of ['-wal', '-shm']) rmSync(`${seeded.dbPath}${suffix}`, { force: true });
      writeFileSync(seeded.dbPath, c.bytes);
      const err = thrown(() => openStore(seeded.dbPath, { create: false }).db.close());
      if (err === null) continue;
      expect(err, c.name).toBeInstanceOf(DeskError);
      const e = err as DeskError;
      codes.add(e.code);
      expectSentences(e, seeded.dbPath, `${c.name}: ${e.code}`);
      if (e.code === 'DB_CORRUPT') {
        expect(typeof e.params.sqlite, c.name).toBe('string');
        withSqlite++;
      }
    }
    expect([...codes]).toContain('DB_CORRUPT');
    expect(withSqlite).toBeGreaterThan(5);

    // doctor on the last damaged file: the sentence in each language, SQLite's words in the JSON, the log and the bundle.
    writeFileSync(seeded.dbPath, cases.find((c) => c.name.includes('flipped'))!.bytes);
    for (const lang of LANGS) {
      let out = '';
      let stderr = '';
      const code = await main(['doctor', '--db', seeded.dbPath, '--lang', lang], { out: (t) => (out += t), err: (t) => (stderr += t), now: () => NOW });
      expect(code, `${out}\n${stderr}`).toBe(2);
      const json = JSON.parse(out) as { error: { code: string; message: string; params: Record<string, unknown> } };
      expect(['DB_CORRUPT', 'AUDIT_CHAIN_BROKEN']).toContain(json.error.code);
      expect(sentenceProblems(json.error.message, lang, json.error.code === 'DB_CORRUPT' ? seeded.dbPath : ''), json.error.message).toEqual([]);
      if (json.error.code === 'DB_CORRUPT') expect(typeof json.error.params.sqlite).toBe('string');
    }
    const logLines = readFileSync(join(seeded.dir, 'logs', 'desk.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const damaged = logLines.filter((l) => l.event === 'cli.command' && l.command === 'doctor' && typeof l.sqlite === 'string');
    expect(damaged.length).toBeGreaterThan(0);
    expect(damaged[0]!.sqlite).not.toBe('[redacted]');
    const bundle = join(tmp.dir, 'bundle.json');
    expect(await main(['doctor', '--db', seeded.dbPath, '--bundle', bundle], { out: () => {}, err: () => {}, now: () => NOW })).toBe(0);
    const written = JSON.parse(readFileSync(bundle, 'utf8')) as { report: { openError?: { sqlite?: string }; integrity?: string[] } };
    expect(written.report.openError?.sqlite ?? written.report.integrity?.join(' ')).toMatch(/[a-z]{4}/);
    seeded.cleanup();
  });

  it('damaged backups through restore', () => {
    const seeded = seedDemoDb(200);
    const { db } = openStore(seeded.dbPath, { create: false });
    const made = makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW, out: join(tmp.dir, 'good.ldbackup') });
    db.close();
    const good = readFileSync(made.path);
    const rand = mulberry32(29);
    const cases: { name: string; bytes: Buffer }[] = [];
    for (let i = 0; i < 8; i++) {
      const cut = 22 + Math.floor(rand() * (good.length - 22));
      cases.push({ name: `cut at ${cut}`, bytes: good.subarray(0, cut) });
    }
    for (let i = 0; i < 12; i++) {
      const bytes = Buffer.from(good);
      const at = 22 + Math.floor(rand() * (good.length - 22));
      bytes[at] = bytes[at]! ^ (1 + Math.floor(rand() * 255));
      cases.push({ name: `byte ${at} flipped`, bytes });
    }
    cases.push({ name: 'random bytes', bytes: Buffer.from(Array.from({ length: 8192 }, () => Math.floor(rand() * 256))) });
    const file = join(tmp.dir, 'damaged.ldbackup');
    const target = join(tmp.dir, 'restore-target', 'desk.db');
    const codes = new Set<string>();
    for (const c of cases) {
      writeFileSync(file, c.bytes);
      const err = thrown(() => restoreBackup({ from: file, target, keyFile: keyFileFor(seeded.dbPath), replace: false, now: NOW }));
      expect(err, c.name).toBeInstanceOf(DeskError);
      const e = err as DeskError;
      codes.add(e.code);
      expectSentences(e, file, `${c.name}: ${e.code}`);
    }
    expect([...codes]).toContain('BACKUP_DAMAGED');
    seeded.cleanup();
  });
});

/** A loopback port nothing listens on (bound, then let go). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a connection or a write that fails says why in words, never the raw code', () => {
  it('HQ that refuses the connection, a printer that is not there, a CSV into a folder that is not there', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const hq = (await createHqClient({ url, timeoutMs: 5_000 }).time().then(() => null, (e: unknown) => e));
    expect(hq).toBeInstanceOf(DeskError);
    expect((hq as DeskError).params.why).toBe('refused');
    expectSentences(hq as DeskError, url, 'HQ refused');
    expectSentences(new DeskError('HQ_UNREACHABLE', { ...(hq as DeskError).params, context: 'setup' }), url, 'HQ refused at setup');
    for (const lang of LANGS) expect(createTranslator(lang).error('HQ_UNREACHABLE', (hq as DeskError).params)).not.toMatch(/ECONN|fetch failed/);

    const seeded = seedDemoDb(20);
    try {
      for (const lang of LANGS) {
        const printer = 'tcp://127.0.0.1:9107';
        let out = '';
        expect(await main(['print-test', '--printer', printer, '--lang', lang], { out: (t) => (out += t), err: () => {}, now: () => NOW })).toBe(2);
        const printed = JSON.parse(out) as { error: { code: string; message: string; params: Record<string, unknown> } };
        expect(printed.error.code).toBe('PRINTER_UNREACHABLE');
        expect(printed.error.params.why).toBe('refused');
        expect(sentenceProblems(printed.error.message, lang, printer), printed.error.message).toEqual([]);

        const csv = join(tmp.dir, 'no-such-folder', 'z.csv');
        out = '';
        expect(await main(['zreport', '--data', seeded.dir, '--staff', 'mgr-01', '--date', '2026-11-23', '--csv', csv, '--lang', lang], { out: (t) => (out += t), err: () => {}, now: () => NOW })).toBe(2);
        const written = JSON.parse(out) as { error: { code: string; message: string; params: Record<string, unknown> } };
        expect(written.error.code).toBe('FILE_WRITE_FAILED');
        expect(written.error.params.why).toBe('missing');
        expect(sentenceProblems(written.error.message, lang, csv), written.error.message).toEqual([]);
        expect(written.error.message).not.toMatch(/ENOENT|no such file/);
      }
    } finally {
      seeded.cleanup();
    }
  });

  it('a secret file that cannot be read or is empty, and an unknown command, in words', async () => {
    const missing = join(tmp.dir, 'no-such-folder', 'recovery.txt');
    const empty = join(tmp.dir, 'empty-recovery.txt');
    writeFileSync(empty, '\n', { mode: 0o600 });
    for (const lang of LANGS) {
      for (const [file, why] of [[missing, 'missing'], [empty, undefined]] as const) {
        let out = '';
        const args = ['restore', '--data', join(tmp.dir, 'secret-target'), '--from', join(tmp.dir, 'x.ldbackup'), '--recovery-key-file', file, '--lang', lang];
        expect(await main(args, { out: (t) => (out += t), err: () => {}, now: () => NOW })).toBe(2);
        const json = JSON.parse(out) as { error: { code: string; message: string; params: Record<string, unknown> } };
        expect(json.error.code).toBe('INVALID_INPUT');
        expect(json.error.params.why).toBe(why);
        expect(sentenceProblems(json.error.message, lang, file), json.error.message).toEqual([]);
        expect(json.error.message).not.toMatch(/ENOENT|no such file/);
      }
    }
    let out = '';
    expect(await main(['no-such-command'], { out: (t) => (out += t), err: () => {}, now: () => NOW })).toBe(2);
    expect((JSON.parse(out) as { error: { message: string } }).error.message).toBe('没有这个命令，可用的命令见上方打印的用法说明。');
  });

  it('an unexpected error shows its reference, not its English', () => {
    expect(createTranslator('zh-CN').error('INTERNAL', { detail: 'ref 1A2B3C' })).toBe('会员服务台内部出错（查询编号 1A2B3C）。数据未丢失，请重试；如再次出现，请把编号告诉 IT。');
    for (const lang of ['zh-CN', 'zh-TW'] as const) expect(createTranslator(lang).error('INTERNAL', { detail: 'Cannot read properties of undefined' })).not.toMatch(/[A-Za-z]{3,}(?<!\bIT)/);
  });
});

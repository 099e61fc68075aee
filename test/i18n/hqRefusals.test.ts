// What HQ refused or failed at is told in the reader's language, in words from a closed list: never
// HQ's refusal code, HQ's English message, "HTTP 500" or a raw {{placeholder}} inside a Chinese
// sentence. The status, HQ's code and words stay in the error's parameters (the command's JSON) and
// the failed sync's log line, for IT. A real HTTP server on loopback answers as a broken or refusing
// HQ would, to the terminal's client, `hq-admin`'s client and the background sync loop on a real
// encrypted database; doctor (the manager's 体检 and the command) says the failing sync in words and
// a damaged encrypted page as DB_CORRUPT in both.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { createLogger, type LogLine } from '../../src/log/port';
import type { Lang } from '../../src/loyalty/types';
import { openStore } from '../../src/store/open';
import { readSyncFailure } from '../../src/store/opsFailures';
import { setSyncState } from '../../src/store/syncState';
import { HQ_ERROR_CODES } from '../../src/sync/protocol';
import { adminClient } from '../../src/cli/commands/hqAdmin';
import { createHqClient } from '../../src/syncClient/hqClient';
import { startSyncLoop } from '../../src/syncClient/syncLoop';
import { doctorReport } from '../../src/terminal/manager/doctor';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, seedDemoDb } from '../helpers/demoDb';
import { deskApi } from '../helpers/sessions';

const LANGS: Lang[] = ['zh-CN', 'zh-TW', 'en'];
const HAN = /[\u3400-\u9fff]/;
const ALLOWED_LATIN = /\b(PIN|HQ|IT)\b/g;
/** HQ's own English, as a refusing HQ writes it: it must reach no sentence. */
const HQ_WORDS = 'credential revoked for terminal SH001-T1';

/** What is wrong with one sentence; `url` may appear (the address the person typed). */
function problems(message: string, lang: Lang, url = ''): string[] {
  const out: string[] = [];
  const rest = url ? message.split(url).join(' ') : message;
  if (/\{\{|\}\}|undefined/.test(message)) out.push('a raw placeholder');
  if (/HTTP|\b[45]\d\d\b/.test(rest)) out.push('an HTTP status');
  if (message.includes(HQ_WORDS) || /database exploded|Bad Gateway|<html/i.test(message)) out.push("HQ's words");
  for (const c of [...HQ_ERROR_CODES, 'UNKNOWN']) if (rest.includes(c)) out.push(`the raw code ${c}`);
  if (lang === 'en') {
    if (HAN.test(message)) out.push('Chinese in English');
    if (!/^[A-Z]/.test(message) || !/[.!?]$/.test(message)) out.push('not a sentence');
  } else {
    const latin = rest.replace(ALLOWED_LATIN, ' ');
    if (/[A-Za-z]/.test(latin)) out.push(`Latin inside Chinese: ${latin}`);
    if (!/[。！？]$/.test(message)) out.push('not ended by full-width punctuation');
    if (/[。，；：][。，；：]/.test(message)) out.push('doubled punctuation');
  }
  return out;
}

function expectWorded(err: DeskError, what: string, url = ''): void {
  for (const lang of LANGS) {
    const message = createTranslator(lang).error(err.code, err.params);
    expect(problems(message, lang, url), `${what} (${lang}): ${message}`).toEqual([]);
  }
}

/** HQ as it may answer: a status and a body, for every path. */
let answer: { status: number; body: string; type: string } = { status: 200, body: '{}', type: 'application/json' };
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(answer.status, { 'content-type': answer.type });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const hqError = (code: string, message = HQ_WORDS) => JSON.stringify({ ok: false, error: { code, message } });
const STATUS: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, SEQUENCE_CONFLICT: 409, PAYLOAD_TOO_LARGE: 413, RATE_LIMITED: 429 };

/** Every way HQ says no or breaks, as one list of answers. */
function answers(): { name: string; status: number; body: string; type: string; code: string }[] {
  const out: { name: string; status: number; body: string; type: string; code: string }[] = HQ_ERROR_CODES.filter((c) => c !== 'ENROLLMENT_CODE_INVALID' && c !== 'ENROLLMENT_CODE_USED').map((c) => ({ name: c, status: STATUS[c] ?? 400, body: hqError(c), type: 'application/json', code: 'HQ_REFUSED' }));
  out.push({ name: '4xx, not HQ’s shape', status: 418, body: JSON.stringify({ error: HQ_WORDS }), type: 'application/json', code: 'HQ_REFUSED' });
  out.push({ name: '500 with HQ’s error', status: 500, body: hqError('INTERNAL', 'database exploded'), type: 'application/json', code: 'HQ_ERROR' });
  out.push({ name: '502 from a proxy', status: 502, body: '<html><body>Bad Gateway</body></html>', type: 'text/html', code: 'HQ_ERROR' });
  out.push({ name: '503 plain text', status: 503, body: HQ_WORDS, type: 'text/plain', code: 'HQ_ERROR' });
  return out;
}

describe('HQ refusing or failing, in words', () => {
  it('the terminal’s client and hq-admin: what HQ refused in words, the status and HQ’s words for IT only', async () => {
    const admin = adminClient(url, 'not-a-real-token', 5_000);
    for (const a of answers()) {
      answer = a;
      for (const [who, call] of [
        ['client', () => createHqClient({ url, credential: 'ldt_x', timeoutMs: 5_000 }).history('M00000001')],
        ['hq-admin', () => admin('GET', '/v1/admin/terminals')],
      ] as const) {
        const err = await call().then(() => null, (e: unknown) => e);
        expect(err, `${who} ${a.name}`).toBeInstanceOf(DeskError);
        const e = err as DeskError;
        expect(e.code, `${who} ${a.name}`).toBe(a.code);
        expectWorded(e, `${who} ${a.name}`);
        // For IT: the status and HQ's words are in the parameters (the command's JSON).
        expect(e.params.status, `${who} ${a.name}`).toBe(a.status);
        expect(typeof e.params.detail).toBe('string');
        if (a.code === 'HQ_REFUSED') expect(e.params.hqCode).toBe(a.name.startsWith('4xx') ? 'UNKNOWN' : a.name);
      }
    }
  });

  it('each of HQ’s refusal codes has its own words in each language', () => {
    for (const lang of LANGS) {
      const tr = createTranslator(lang);
      const said = new Set<string>();
      for (const c of HQ_ERROR_CODES) {
        const message = tr.error('HQ_REFUSED', { hqCode: c, detail: HQ_WORDS, status: 400 });
        expect(problems(message, lang), `${lang} ${c}: ${message}`).toEqual([]);
        said.add(message);
      }
      expect(said.size, lang).toBe(HQ_ERROR_CODES.length);
    }
  });

  it('errors made without their parameters still read as sentences (a day-end that failed oddly, a refusal without a code)', () => {
    expectWorded(new DeskError('HQ_ERROR', { detail: 'socket hang up' }), 'HQ_ERROR without a status');
    expectWorded(new DeskError('HQ_REFUSED', {}), 'HQ_REFUSED without a code');
    expectWorded(new DeskError('HQ_REFUSED', { hqCode: 'SOMETHING_NEW' }), 'HQ_REFUSED with a code of a newer HQ');
    expectWorded(new DeskError('HQ_ERROR', { url: 'http://hq.example:8080', status: 500, detail: 'x', context: 'setup' }), 'HQ_ERROR at setup', 'http://hq.example:8080');
  });

  it('SESSION_REQUIRED names the command as typed, and nothing else in Latin', () => {
    for (const lang of LANGS) {
      const message = createTranslator(lang).error('SESSION_REQUIRED');
      expect(message).toContain('loyalty-desk start');
      if (lang !== 'en') {
        expect(message.replace('loyalty-desk start', ' ').replace(ALLOWED_LATIN, ' '), message).not.toMatch(/[A-Za-z"]/);
        // Shown on a terminal's screen, not printed on paper.
        expect(message).not.toMatch(/打印|列印/);
      }
    }
  });
});

describe('a background sync that keeps failing', () => {
  it('keeps words from a closed list; the address and HQ’s words go to the log line only', async () => {
    const seeded = seedDemoDb(20);
    const { db } = openStore(seeded.dbPath, { create: false });
    const lines: LogLine[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    const clock = { now: NOW };
    try {
      setSyncState(db, 'hq_url', `${url}/`);
      setSyncState(db, 'credential', 'ldt_not-a-real-credential');
      const loop = startSyncLoop(db, { now: () => clock.now, baseBackoffMs: 3_600_000, maxBackoffMs: 3_600_000, log });
      try {
        for (const a of [
          { status: 500, body: hqError('INTERNAL', 'database exploded'), type: 'application/json', code: 'HQ_ERROR' },
          { status: 401, body: hqError('UNAUTHORIZED'), type: 'application/json', code: 'HQ_REFUSED' },
        ]) {
          answer = a;
          clock.now += 60_000;
          await expect(loop.syncNow()).rejects.toMatchObject({ code: a.code });
          const streak = readSyncFailure(db)!;
          expect(streak.code).toBe(a.code);
          // Only closed things are kept in the database: no address, no HQ words.
          const kept = JSON.stringify(streak);
          expect(kept).not.toContain('127.0.0.1');
          expect(kept).not.toMatch(/exploded|revoked/);
          for (const lang of LANGS) {
            const f = doctorReport(db, { tr: createTranslator(lang), now: clock.now, full: false }).findings.find((x) => x.code === 'SYNC_FAILING')!;
            expect(f, lang).toBeDefined();
            expect(problems(f.title, lang), `${lang}: ${f.title}`).toEqual([]);
            expect(f.title).not.toContain('127.0.0.1');
            expect(f.title).toContain(createTranslator(lang).syncFailure(a.code, streak.params));
          }
          // For IT: the log line of the failed sync has HQ's origin, status, code and words.
          const line = lines.filter((l) => l.event === 'sync.failed').at(-1)!;
          expect(line).toMatchObject({ code: a.code, status: a.status, hqUrl: url });
          expect(String(line.hqDetail)).toMatch(a.status === 500 ? /database exploded/ : /credential revoked/);
          if (a.code === 'HQ_REFUSED') expect(line.hqCode).toBe('UNAUTHORIZED');
          expect(JSON.stringify(line)).not.toContain('ldt_not-a-real-credential');
        }
        // A streak kept by an older version (with the address and HQ's English) is said the same way.
        setSyncState(db, 'last_error', JSON.stringify({ code: 'HQ_UNREACHABLE', params: { url: 'http://10.1.2.3:8080', detail: 'ECONNREFUSED', why: 'refused' }, since: NOW, lastAt: NOW, failures: 3 }));
        for (const lang of LANGS) {
          const f = doctorReport(db, { tr: createTranslator(lang), now: clock.now, full: false }).findings.find((x) => x.code === 'SYNC_FAILING')!;
          expect(problems(f.title, lang), `${lang}: ${f.title}`).toEqual([]);
          expect(f.title + JSON.stringify(f.params)).not.toMatch(/10\.1\.2\.3|ECONN/);
        }
      } finally {
        await loop.stop();
      }
    } finally {
      db.close();
      seeded.cleanup();
    }
  });
});

describe('a damaged encrypted page in the manager’s 体检', () => {
  it('is DB_CORRUPT, as the command says, not INTERNAL', async () => {
    const seeded = seedDemoDb(400);
    try {
      const { db } = openStore(seeded.dbPath, { create: false });
      db.pragma('wal_checkpoint(TRUNCATE)');
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      db.close();
      const good = readFileSync(seeded.dbPath);
      const pages = good.length / pageSize;
      let checked = 0;
      // Damage one page at a time from the end (member rows the desk does not read to open or to sign
      // in) until the desk opens and a manager signs in over it: then only the check-up reads it.
      for (let page = pages - 2; page > pages / 2 && checked === 0 && page > pages - 40; page--) {
        const bytes = Buffer.from(good);
        for (let k = 0; k < 32; k++) bytes[page * pageSize + 100 + k * 7] = bytes[page * pageSize + 100 + k * 7]! ^ 0x5a;
        writeFileSync(seeded.dbPath, bytes);
        let t: ReturnType<typeof openTerminal>;
        try {
          t = openTerminal(seeded.dbPath, { quickCheck: false, clock: () => NOW, connectivity: () => ({ online: false }) });
        } catch {
          continue;
        }
        try {
          const api = deskApi(t.service, { desk: { manager: { sync: null, printerUri: () => null } } });
          const signed = await api['staff.signIn']({ pin: '9999' });
          if (!signed.ok) continue;
          const r = await api['manager.doctor']({});
          if (r.ok) continue;
          checked++;
          expect(r.error.code, r.error.message).toBe('DB_CORRUPT');
          expect(r.error.params.path).toBe(seeded.dbPath);
          expect(typeof r.error.params.sqlite).toBe('string');
          for (const lang of LANGS) expect(createTranslator(lang).error(r.error.code, r.error.params)).not.toMatch(/SQLITE|malformed|ref [0-9A-F]{6}/);
        } finally {
          t.db.close();
        }
      }
      expect(checked).toBe(1);
    } finally {
      seeded.cleanup();
    }
  });
});

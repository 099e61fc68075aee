// The log files on a real folder: rotation by size and by age, retention by age and count, two
// writers on one folder losing nothing, the modes; and the allow-list under generated bad values
// (seeded PRNG): whatever is passed, a line holds only the table's fields, each of its shape.
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { main } from '../../src/cli/main';
import { createTranslator } from '../../src/i18n';
import { cleanFields, errorFields, LOG_FIELDS, REDACTED } from '../../src/log/fields';
import { ACTIVE_LOG, openLogFiles } from '../../src/log/files';
import { createLogger, type LogLine } from '../../src/log/port';
import { readLogs } from '../../src/log/read';
import { tempDir } from '../helpers/demoDb';

const T0 = Date.UTC(2026, 10, 23, 2, 0, 0);
let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => {
  tmp?.cleanup();
  tmp = null;
});

const linesIn = (dir: string): LogLine[] =>
  readdirSync(dir).flatMap((n) =>
    readFileSync(join(dir, n), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as LogLine),
  );

describe('log files', () => {
  it('rotate by size, keep at most maxFiles rotated files, and lose nothing among those kept', () => {
    tmp = tempDir('ld-logs-');
    const clock = { now: T0 };
    const log = openLogFiles(tmp.dir, { maxBytes: 2_000, maxFiles: 3, now: () => clock.now });
    for (let i = 0; i < 200; i++) {
      clock.now += 10;
      log.log('info', 'print.printed', { printJobId: i, attempts: 1, printer: 'tcp', ms: 5 });
    }
    log.close();
    const dir = join(tmp.dir, 'logs');
    const files = readdirSync(dir);
    expect(files).toContain(ACTIVE_LOG);
    expect(files.length).toBe(4);
    for (const f of files) expect(statSync(join(dir, f)).size, f).toBeLessThanOrEqual(2_000);
    // the newest lines, each once, in an unbroken run up to the last one written
    const ids = linesIn(dir)
      .map((l) => l.printJobId as number)
      .sort((a, b) => a - b);
    expect(ids.at(-1)).toBe(199);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, k) => 200 - ids.length + k));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('rotate by age, and delete rotated files older than keepMs', () => {
    tmp = tempDir('ld-logs-');
    const clock = { now: T0 };
    const opts = { maxFileAgeMs: 60_000, keepMs: 10 * 60_000, now: () => clock.now };
    const log = openLogFiles(tmp.dir, opts);
    const dir = join(tmp.dir, 'logs');
    log.log('info', 'host.start', { host: 'web' });
    clock.now += 30_000;
    log.log('info', 'host.stop', { host: 'web' });
    expect(readdirSync(dir)).toEqual([ACTIVE_LOG]);
    clock.now += 31_000; // the active file's first line is now 61 s old
    log.log('info', 'host.start', { host: 'web' });
    expect(readdirSync(dir).length).toBe(2);
    expect(readFileSync(join(dir, ACTIVE_LOG), 'utf8').split('\n').filter(Boolean).length).toBe(1);
    clock.now += 11 * 60_000; // the rotated file is past keepMs; the active one rotates too
    log.log('info', 'host.stop', { host: 'web' });
    log.close();
    const left = readdirSync(dir).sort();
    expect(left.length).toBe(2);
    expect(linesIn(dir).map((l) => l.time)).toEqual([new Date(clock.now - 11 * 60_000).toISOString(), new Date(clock.now).toISOString()].sort());
    // a writer opened later on a file that is already old rotates it at its first line
    const again = openLogFiles(tmp.dir, opts);
    clock.now += 2 * 60_000;
    again.log('info', 'host.start', { host: 'cli' });
    again.close();
    expect(readFileSync(join(dir, ACTIVE_LOG), 'utf8').split('\n').filter(Boolean).length).toBe(1);
  });

  it('two writers on one folder (the desk and a command) rotate without losing a line', () => {
    tmp = tempDir('ld-logs-');
    const clock = { now: T0 };
    const a = openLogFiles(tmp.dir, { maxBytes: 1_500, maxFiles: 1000, now: () => clock.now });
    const b = openLogFiles(tmp.dir, { maxBytes: 1_500, maxFiles: 1000, now: () => clock.now });
    for (let i = 0; i < 300; i++) {
      clock.now += 7;
      (i % 3 === 0 ? b : a).log('info', 'call', { method: 'status.get', ok: true, ms: i });
    }
    a.close();
    b.close();
    const ms = linesIn(join(tmp.dir, 'logs')).map((l) => l.ms as number);
    expect(ms.sort((x, y) => x - y)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });
});

describe('the allow-list (fields.ts)', () => {
  const alphabet = ['1', '3', '8', '0', 'a', 'Z', '.', '-', '@', ' ', '"', '\n', '王', '芳', '+', '/', 'é', '\u202e', '_', ':'];
  const draw = (rand: () => number) => {
    const kind = Math.floor(rand() * 6);
    if (kind === 0) return Math.floor(rand() * 1e13) - 1e6;
    if (kind === 1) return rand() < 0.5;
    if (kind === 2) return null;
    if (kind === 3) return { nested: 'x' };
    if (kind === 4) return [String(Math.floor(rand() * 1e11))];
    return Array.from({ length: Math.floor(rand() * 30) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  };

  it('keeps only table fields, each value of its shape or "[redacted]", for 5,000 generated field sets', () => {
    const rand = mulberry32(19);
    const names = [...Object.keys(LOG_FIELDS), 'phone', 'name', 'pin', 'credential', 'token', 'code', '__proto__', 'constructor'];
    const lines: LogLine[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    for (let i = 0; i < 5_000; i++) {
      const fields: Record<string, unknown> = {};
      for (let k = 0; k < 4; k++) fields[names[Math.floor(rand() * names.length)]!] = draw(rand);
      logger.log('info', 'call', fields as never);
    }
    for (const line of lines) {
      for (const [key, value] of Object.entries(line)) {
        if (['time', 'level', 'event', 'requestId', 'pid'].includes(key)) continue;
        expect(Object.hasOwn(LOG_FIELDS, key), key).toBe(true);
        if (value !== REDACTED) expect(LOG_FIELDS[key as keyof typeof LOG_FIELDS].safeParse(value).success, `${key}=${JSON.stringify(value)}`).toBe(true);
      }
      expect(line.event).toBe('call');
      expect(JSON.stringify(line)).not.toMatch(/[^\x20-\x7e]/);
    }
  });

  it('keeps of an error its name and frames, never its message', () => {
    const err = new TypeError('member 13800138000 王芳 not found in /home/wangfang/desk.db');
    const f = cleanFields(errorFields(err));
    expect(f.errorName).toBe('TypeError');
    expect(JSON.stringify(f)).not.toMatch(/13800138000|王芳|wangfang/);
    expect((f.frames as string[]).length).toBeGreaterThan(0);
    expect((f.frames as string[])[0]).toMatch(/@files\.test\.ts:\d+$/);
  });
});

describe('loyalty-desk logs', () => {
  function seeded(): string {
    tmp = tempDir('ld-logs-cli-');
    const clock = { now: T0 - 2 * 3_600_000 };
    const log = openLogFiles(tmp.dir, { now: () => clock.now });
    log.log('info', 'host.start', { host: 'web', version: '0.1.0', schemaVersion: 130, lang: 'zh-CN' });
    clock.now = T0 - 10 * 60_000;
    log.withRequest('0123456789ab').log('info', 'call', { session: 'desk', method: 'benefit.redeem', ok: false, code: 'BENEFIT_USED', ms: 12 });
    log.log('warn', 'print.failed', { printJobId: 7, attempts: 2, printer: 'tcp', code: 'PRINTER_NOT_READY', state: 'paper-out' });
    clock.now = T0 - 60_000;
    log.log('warn', 'sync.failed', { ms: 3000, code: 'HQ_UNREACHABLE' });
    log.log('debug', 'call', { session: 'desk', method: 'status.get', ok: true, ms: 1 });
    log.close();
    appendFileSync(join(tmp.dir, 'logs', ACTIVE_LOG), '{"time":"cut off\n');
    return tmp.dir;
  }
  async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['logs', ...args], { out: (t) => out.push(t), err: (t) => err.push(t), now: () => T0 });
    return { code, out, err };
  }

  it('prints JSON lines, filtered by --since and --level', async () => {
    const dir = seeded();
    const all = await run(['--data', dir]);
    expect(all.code).toBe(0);
    // the status poll at debug is below the file's level and was never written
    expect(all.out.map((l) => (JSON.parse(l) as LogLine).event)).toEqual(['host.start', 'call', 'print.failed', 'sync.failed']);
    expect((await run(['--data', dir, '--since', '30'])).out.length).toBe(3);
    expect((await run(['--data', dir, '--since', '5'])).out.length).toBe(1);
    const warn = await run(['--db', join(dir, 'desk.db'), '--level', 'warn']);
    expect(warn.out.map((l) => (JSON.parse(l) as LogLine).event)).toEqual(['print.failed', 'sync.failed']);
    expect(readLogs(join(dir, 'logs')).unreadable).toBe(1);
    const bad = await run(['--data', dir, '--level', 'loud']);
    expect(bad.code).toBe(2);
    expect((await run(['--data', dir, '--since', '-5'])).code).toBe(2);
  });

  it.each(['zh-CN', 'zh-TW', 'en'] as const)('reads as sentences in %s with --pretty', async (lang) => {
    const dir = seeded();
    const r = await run(['--data', dir, '--pretty', '--lang', lang, '--level', 'info']);
    const tr = createTranslator(lang);
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(4);
    expect(r.out[1]).toContain(tr.t('support.log.level.info'));
    expect(r.out[1]).toContain('BENEFIT_USED');
    expect(r.out[1]).toContain('[0123456789ab]');
    expect(r.out[2]).toContain(tr.t('support.log.level.warn'));
    for (const line of r.out) expect(line).not.toMatch(/[{}]|\{\{/);
    if (lang !== 'en') {
      // no English words of ours inside Chinese: what is left in Latin letters are names from the code
      const latin = r.out.map((l) => l.replace(/\[[0-9a-f]{12}\]$/, '')).join(' ').match(/[A-Za-z_.]*[A-Za-z]{3,}[A-Za-z_.]*/g) ?? [];
      expect(latin.filter((w) => !/^(benefit\.redeem|BENEFIT_USED|PRINTER_NOT_READY|HQ_UNREACHABLE|tcp|paper|out|zh)$/.test(w))).toEqual([]);
    }
    expect(r.err.join('\n')).toContain(tr.t('support.log.unreadable', { count: 1 }));
  });
});

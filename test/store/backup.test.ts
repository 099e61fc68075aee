// Backups and restore (docs/backup.md) on real SQLite files: a backup taken while another process
// commits redemptions holds a consistent prefix of them; a restore on a "new PC" (no key file) opens
// with the recovery key; generated damage (cut files, flipped bytes at seeded offsets, a wrong key, a
// plain SQLite file, another terminal's backup, an edited audit log) is refused with its code and
// leaves nothing behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../src/cli/main';
import { mulberry32 } from '../../src/bench/prng';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { backupFolderFor, makeBackup } from '../../src/store/backup';
import { keyFileFor, readKeyFile } from '../../src/store/dbKey';
import { setMeta } from '../../src/store/meta';
import { keyOfConnection, openRaw, openStore } from '../../src/store/open';
import { issueRecoveryKey } from '../../src/store/recoveryKey';
import { readRestoredFrom, restoreBackup } from '../../src/store/restore';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, tempDir } from '../helpers/demoDb';

const CHILD = join(import.meta.dirname, '../fixtures/redeemLoop.ts');
const tmp = tempDir('ld-backup-');
afterAll(() => tmp.cleanup());

let n = 0;
function seeded(name = `d${++n}`, members = 200): string {
  const dbPath = join(tmp.dir, name, 'desk.db');
  seedNewDatabase({ dbPath, members, seed: 'backup', now: NOW });
  return dbPath;
}

function backupOf(dbPath: string, options: { recovery?: boolean; out?: string } = {}): { path: string; recoveryKey: string | null } {
  const { db } = openStore(dbPath, { create: false });
  try {
    const recoveryKey = options.recovery ? issueRecoveryKey(db, keyOfConnection(db), { actor: 'test', now: NOW }).recoveryKey : null;
    const made = makeBackup(db, keyOfConnection(db), { kind: 'manual', now: NOW, ...(options.out ? { out: options.out } : {}) });
    return { path: made.path, recoveryKey };
  } finally {
    db.close();
  }
}

/** Every file under `dir` with its bytes' hash: "nothing changed" is this map unchanged. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out[p] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeskError) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('backup', () => {
  it('is encrypted with the database key: a plain reader sees no database, the key opens it; mode 0600 in a 0700 folder beside the data folder', () => {
    const dbPath = seeded('plainview');
    const { path } = backupOf(dbPath);
    expect(path.startsWith(backupFolderFor(dbPath))).toBe(true);
    expect(backupFolderFor(dbPath)).toBe(join(tmp.dir, 'plainview-backups'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(backupFolderFor(dbPath)).mode & 0o777).toBe(0o700);
    // The whole file and its body alike: no SQLite header anywhere, no member name readable.
    const bytes = readFileSync(path);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const plain = new Database(path, { readonly: true });
    expect(() => plain.prepare('SELECT count(*) FROM sqlite_schema').get()).toThrow(/not a database|encrypted/);
    plain.close();
    const target = join(tmp.dir, 'plainview-restored', 'desk.db');
    const restored = restoreBackup({ from: path, target, keyFile: keyFileFor(dbPath), replace: false, now: NOW + 1 });
    expect(restored.keyFrom).toBe('key-file');
    expect(readKeyFile(keyFileFor(target))!.equals(readKeyFile(keyFileFor(dbPath))!)).toBe(true);
    const db = openRaw(target, { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n).toBe(200);
    db.close();
  });

  it('taken while another process commits redemptions, holds every operation committed before it began and only whole operations', async () => {
    const dbPath = seeded('stream');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbPath, 'backup-stream'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const committed: string[] = [];
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) if (l.startsWith('COMMITTED ')) committed.push(l.split(' ')[2]!);
    });
    const until = async (count: number) => {
      const deadline = Date.now() + 20_000;
      while (committed.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(committed.length).toBeGreaterThanOrEqual(count);
    };
    const backups: { path: string; before: string[] }[] = [];
    try {
      await until(30);
      for (let i = 0; i < 3; i++) {
        const before = [...committed];
        backups.push({ path: backupOf(dbPath, { out: join(tmp.dir, `stream-${i}.ldbackup`) }).path, before });
        await until(committed.length + 20);
      }
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const all = new Set(committed);
    for (const [i, b] of backups.entries()) {
      const target = join(tmp.dir, `stream-restored-${i}`, 'desk.db');
      restoreBackup({ from: b.path, target, keyFile: keyFileFor(dbPath), replace: false, now: NOW });
      const db = openRaw(target, { readonly: true });
      try {
        const ops = (db.prepare('SELECT id FROM operations').all() as { id: string }[]).map((r) => r.id);
        expect(ops.length).toBeGreaterThanOrEqual(b.before.length);
        for (const id of b.before) expect(ops).toContain(id);
        // Only operations the child committed, each with its outbox event and audit entry (one transaction).
        for (const id of ops) expect(all.has(id), id).toBe(true);
        const orphans = db.prepare(`SELECT count(*) AS n FROM operations o WHERE NOT EXISTS (SELECT 1 FROM audit a WHERE a.ref = o.id)
           OR NOT EXISTS (SELECT 1 FROM outbox x WHERE x.op_id = o.id)`).get() as { n: number };
        expect(orphans.n).toBe(0);
      } finally {
        db.close();
      }
    }
  });
});

describe('restore', () => {
  it('on a new PC with no key file: refused without a key, opens with the recovery key, and the desk works (PINs included)', () => {
    const dbPath = seeded('newpc');
    const { path, recoveryKey } = backupOf(dbPath, { recovery: true });
    const target = join(tmp.dir, 'newpc-other', 'desk.db');
    expect(existsSync(keyFileFor(target))).toBe(false);
    expect(refusal(() => restoreBackup({ from: path, target, replace: false, now: NOW }))).toBe('BACKUP_KEY_NEEDED');
    expect(existsSync(join(tmp.dir, 'newpc-other'))).toBe(false);
    // Typed as a person would: lower case, spaces for dashes, an O for a zero.
    const typed = recoveryKey!.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'O');
    const r = restoreBackup({ from: path, target, recoveryKey: typed, replace: false, now: NOW + 5 });
    expect(r).toMatchObject({ keyFrom: 'recovery-key', terminalId: 'SH001-T1', replacedTo: null });
    const t = openTerminal(target, { clock: () => NOW });
    try {
      expect(t.service.signIn('1234').id).toBe('clerk-01');
      const restored = readRestoredFrom(t.db);
      expect(restored).toMatchObject({ backupAt: NOW, restoredAt: NOW + 5, reportedAt: null });
    } finally {
      t.close();
    }
  });

  it('refuses to overwrite an existing desk.db; --replace moves it aside with a timestamp and keeps its key', () => {
    const dbPath = seeded('replace');
    const { path } = backupOf(dbPath);
    const before = tree(join(tmp.dir, 'replace'));
    expect(refusal(() => restoreBackup({ from: path, target: dbPath, replace: false, now: NOW }))).toBe('RESTORE_TARGET_EXISTS');
    expect(tree(join(tmp.dir, 'replace'))).toEqual(before);
    const r = restoreBackup({ from: path, target: dbPath, replace: true, now: NOW + 60_000 });
    expect(r.replacedTo).toBe(`${dbPath}.replaced-20261123T020100Z`);
    expect(existsSync(r.replacedTo!)).toBe(true);
    // The old file still opens by the rule under its new name.
    openRaw(r.replacedTo!, { readonly: true }).close();
    expect(readdirSync(join(tmp.dir, 'replace')).filter((f) => f.includes('restoring'))).toEqual([]);
  });

  it('refuses generated damage with its code, and leaves the target and the key folder as they were', () => {
    // A key folder of its own: a test file running beside this one adds keys to the run's shared folder.
    const shared = process.env.LOYALTY_DESK_KEYS;
    const own = mkdtempSync(join(tmpdir(), 'ld-test-keys-damage-'));
    process.env.LOYALTY_DESK_KEYS = own;
    onTestFinished(() => {
      process.env.LOYALTY_DESK_KEYS = shared;
      rmSync(own, { recursive: true, force: true });
    });
    const source = seeded('damage-src');
    const { path, recoveryKey } = backupOf(source, { recovery: true });
    const good = readFileSync(path);
    const keyFile = keyFileFor(source);
    // The target exists (a desk of another terminal) so every refusal is checked against real files.
    const other = seeded('damage-target');
    {
      const { db } = openStore(other, { create: false });
      setMeta(db, 'terminal_id', 'SH001-T9');
      db.close();
    }
    const watched = () => ({ ...tree(join(tmp.dir, 'damage-target')), ...tree(process.env.LOYALTY_DESK_KEYS!) });
    const rand = mulberry32(19);
    const cases: { name: string; bytes: Buffer; expect: string[]; keyFile?: string; recoveryKey?: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const cut = Math.floor(rand() * good.length);
      cases.push({ name: `cut at ${cut}`, bytes: good.subarray(0, cut), expect: cut < 22 ? ['BACKUP_NOT_A_BACKUP'] : ['BACKUP_DAMAGED'] });
    }
    for (let i = 0; i < 40; i++) {
      const at = Math.floor(rand() * good.length);
      const bytes = Buffer.from(good);
      bytes[at] = bytes[at]! ^ (1 + Math.floor(rand() * 255));
      cases.push({ name: `byte ${at} flipped`, bytes, expect: at < 22 ? ['BACKUP_NOT_A_BACKUP'] : ['BACKUP_DAMAGED'] });
    }
    const wrongKey = join(tmp.dir, 'wrong.key');
    writeFileSync(wrongKey, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    cases.push({ name: 'wrong key file', bytes: good, keyFile: wrongKey, expect: ['BACKUP_WRONG_KEY'] });
    const otherRecovery = (() => {
      const { db } = openStore(seeded('damage-rk'), { create: false });
      try {
        return issueRecoveryKey(db, keyOfConnection(db), { actor: 'test', now: NOW }).recoveryKey;
      } finally {
        db.close();
      }
    })();
    cases.push({ name: 'another recovery key', bytes: good, recoveryKey: otherRecovery, expect: ['BACKUP_WRONG_KEY'] });
    cases.push({ name: 'a mistyped recovery key', bytes: good, recoveryKey: `${recoveryKey!.slice(0, -1)}${recoveryKey!.endsWith('A') ? 'B' : 'A'}`, expect: ['RECOVERY_KEY_INVALID'] });
    const plain = join(tmp.dir, 'plain.db');
    const p = new Database(plain);
    p.exec('CREATE TABLE members(id TEXT); INSERT INTO members VALUES (\'M1\')');
    p.close();
    cases.push({ name: 'a plain SQLite file', bytes: readFileSync(plain), expect: ['BACKUP_NOT_A_BACKUP'] });
    cases.push({ name: 'a text file', bytes: Buffer.from('hello\n'), expect: ['BACKUP_NOT_A_BACKUP'] });
    cases.push({ name: "another terminal's backup without --replace", bytes: good, keyFile, expect: ['BACKUP_OTHER_TERMINAL'] });
    const file = join(tmp.dir, 'damaged.ldbackup');
    const before = watched();
    for (const c of cases) {
      writeFileSync(file, c.bytes);
      const code = refusal(() =>
        restoreBackup({ from: file, target: other, replace: false, now: NOW, keyFile: c.keyFile ?? keyFile, ...(c.recoveryKey ? { recoveryKey: c.recoveryKey } : {}) }),
      );
      expect(c.expect, c.name).toContain(code);
      expect(watched(), c.name).toEqual(before);
    }
    // Every refusal reads as a sentence in each language, naming no schema path.
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      const text = createTranslator(lang).error('BACKUP_DAMAGED', { path: file, detail: 'checksum' });
      expect(text).toContain(file);
      if (lang !== 'en') expect(text.replace(file, '').replace('checksum', '')).not.toMatch(/[A-Za-z]{4,}/);
    }
  });

  it('refuses a backup whose pages were changed behind a matching checksum (the cipher and integrity_check), and one whose audit log was edited', () => {
    const source = seeded('deep');
    const { path } = backupOf(source);
    const good = readFileSync(path);
    const headerEnd = good.indexOf(0x0a, 22) + 1;
    const body = good.subarray(headerEnd, good.length - 32);
    const rand = mulberry32(7);
    const target = join(tmp.dir, 'deep-target', 'desk.db');
    for (let i = 0; i < 8; i++) {
      const copy = Buffer.from(body);
      const at = 4096 + Math.floor(rand() * (copy.length - 4096));
      copy[at] = copy[at]! ^ 0x5a;
      const head = good.subarray(0, headerEnd);
      const sum = createHash('sha256').update(head).update(copy).digest();
      const file = join(tmp.dir, `deep-${i}.ldbackup`);
      writeFileSync(file, Buffer.concat([head, copy, sum]));
      expect(refusal(() => restoreBackup({ from: file, target, keyFile: keyFileFor(source), replace: false, now: NOW }))).toBe('BACKUP_DAMAGED');
      expect(existsSync(join(tmp.dir, 'deep-target'))).toBe(false);
    }
    // An edited audit entry (the chain no longer verifies) in an otherwise good backup.
    const t = openTerminal(source, { clock: () => NOW });
    t.service.earn({ memberId: 'M00000003', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 10_000 }] });
    t.db.prepare("UPDATE audit SET content_json = replace(content_json, 'M00000003', 'M00000004') WHERE action = 'operation.earn'").run();
    t.close();
    const edited = backupOf(source, { out: join(tmp.dir, 'edited.ldbackup') }).path;
    expect(refusal(() => restoreBackup({ from: edited, target, keyFile: keyFileFor(source), replace: false, now: NOW }))).toBe('BACKUP_AUDIT_BROKEN');
    expect(existsSync(join(tmp.dir, 'deep-target'))).toBe(false);
  });
});

describe('the commands', () => {
  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; json: Record<string, any> }> {
    const out: string[] = [];
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const code = await main(args, { out: (s) => out.push(s), err: () => {}, now: () => NOW });
      return { code, json: JSON.parse(out.join('')) };
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  it('backup, recovery-key (once), restore: JSON on stdout, the recovery key never as a flag value', async () => {
    const dir = join(tmp.dir, 'cli');
    seeded('cli');
    const rk = await cli(['recovery-key', '--data', dir]);
    expect(rk.code).toBe(0);
    expect(rk.json.recoveryKey).toMatch(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/);
    const again = await cli(['recovery-key', '--data', dir, '--lang', 'zh-TW']);
    expect(again).toMatchObject({ code: 2, json: { error: { code: 'RECOVERY_KEY_ALREADY_SHOWN' } } });
    expect(again.json.error.message).toContain('復原金鑰');
    const made = await cli(['backup', '--data', dir]);
    expect(made).toMatchObject({ code: 0, json: { ok: true, terminalId: 'SH001-T1', recoveryKey: true } });
    const target = join(tmp.dir, 'cli-newpc');
    const onFlag = await cli(['restore', '--data', target, '--from', made.json.path, '--recovery-key', rk.json.recoveryKey]);
    expect(onFlag).toMatchObject({ code: 2, json: { error: { code: 'SECRET_ON_COMMAND_LINE' } } });
    expect(existsSync(target)).toBe(false);
    const restored = await cli(['restore', '--data', target, '--from', made.json.path], { LOYALTY_DESK_RECOVERY_KEY: rk.json.recoveryKey });
    expect(restored).toMatchObject({ code: 0, json: { ok: true, keyFrom: 'recovery-key', path: join(target, 'desk.db') } });
    const doctor = await cli(['doctor', '--data', target]);
    expect(doctor.json).toMatchObject({ ok: true, healthy: true, restored: { backupAt: NOW, reportedAt: null }, findings: expect.arrayContaining([expect.objectContaining({ code: 'RESTORED_FROM_BACKUP', severity: 'ok' })]) });
    const refused = await cli(['restore', '--data', target, '--from', made.json.path]);
    expect(refused).toMatchObject({ code: 2, json: { error: { code: 'RESTORE_TARGET_EXISTS' } } });
  });
});

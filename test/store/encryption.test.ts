// desk.db at rest (docs/encryption.md): encrypted with its write-ahead log, the key in a 0600 file
// outside the data folder, an old plain file encrypted on first open through a renamed copy, and a
// typed refusal — changing nothing — for a missing, wrong or damaged key. Real files, the real driver.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { keyFileFor, keyFolder } from '../../src/store/dbKey';
import { prepareDataFolder, ruleKeyOf } from '../../src/runtime/dataFolder';
import { openStore } from '../../src/store/open';
import { codeOf } from '../helpers/codeOf';
import { tempDir } from '../helpers/demoDb';

const MARKER = 'ZHANG-13812345678-SECRET';

function writeMarker(path: string, options: Parameters<typeof openStore>[1] = {}): void {
  const { db } = openStore(path, options);
  db.pragma('wal_autocheckpoint = 0');
  db.prepare("INSERT INTO meta(key, value) VALUES ('probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(MARKER);
  // The marker is in the log now, not yet in the main file: both are checked below.
  expect(readFileSync(`${path}-wal`).includes(MARKER)).toBe(options.plaintext === true);
  db.close();
}

const mode = (p: string) => statSync(p).mode & 0o777;

describe('database encryption at rest', () => {
  it('creates desk.db encrypted: a plain SQLite reader sees no database and no byte of its data', () => {
    const tmp = tempDir('ld-enc-');
    try {
      const path = join(tmp.dir, 'desk.db');
      writeMarker(path);
      expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
      expect(readFileSync(path).includes(MARKER)).toBe(false);
      const plain = new Database(path, { readonly: true });
      expect(() => plain.prepare('SELECT count(*) FROM sqlite_schema').get()).toThrow(/not a database/);
      plain.close();
      // The control: the same write without encryption is readable by anyone.
      const open = join(tmp.dir, 'plain.db');
      writeMarker(open, { plaintext: true });
      expect(readFileSync(open).includes(MARKER) || readFileSync(`${open}-wal`).includes(MARKER)).toBe(true);
    } finally {
      tmp.cleanup();
    }
  });

  it('keeps the key outside the data folder, 0600 in a 0700 folder; the database and its log are 0600', () => {
    const tmp = tempDir('ld-enc-');
    try {
      const path = join(tmp.dir, 'desk.db');
      const { db } = openStore(path);
      db.exec("INSERT INTO meta(key, value) VALUES ('x', 'y')");
      const keyFile = keyFileFor(path);
      expect(keyFile.startsWith(keyFolder())).toBe(true);
      expect(keyFile.startsWith(tmp.dir)).toBe(false);
      expect(readFileSync(keyFile, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
      expect([mode(keyFile), mode(dirname(keyFile)), mode(path), mode(`${path}-wal`)]).toEqual([0o600, 0o700, 0o600, 0o600]);
      db.close();
      // A key file someone made readable to others is made private again at the next open.
      chmodSync(keyFile, 0o644);
      openStore(path).db.close();
      expect(mode(keyFile)).toBe(0o600);
    } finally {
      tmp.cleanup();
    }
  });

  it('encrypts an existing plain database on first open through a renamed copy, keeping every row', () => {
    const tmp = tempDir('ld-enc-');
    try {
      const path = join(tmp.dir, 'desk.db');
      writeMarker(path, { plaintext: true });
      // A copy left by an open that died mid-way is replaced, never mistaken for the database.
      writeFileSync(`${path}.encrypting`, 'half a copy');
      const { db, migrated } = openStore(path);
      expect(migrated).toEqual([]);
      expect(db.prepare("SELECT value FROM meta WHERE key = 'probe'").get()).toEqual({ value: MARKER });
      db.close();
      expect(readFileSync(path).includes(MARKER)).toBe(false);
      expect(existsSync(`${path}.encrypting`)).toBe(false);
      expect(readFileSync(path).subarray(0, 6).toString()).not.toBe('SQLite');
    } finally {
      tmp.cleanup();
    }
  });

  it('does not encrypt while another connection holds rows back in the log: DB_BUSY, the plain file unchanged, every row kept', () => {
    const tmp = tempDir('ld-enc-');
    try {
      const path = join(tmp.dir, 'desk.db');
      const { db } = openStore(path, { plaintext: true });
      db.pragma('wal_autocheckpoint = 0');
      const reader = new Database(path, { readonly: true });
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM meta').get(); // a read snapshot from before the write below
      db.prepare("INSERT INTO meta(key, value) VALUES ('late', ?)").run(MARKER);
      expect(codeOf(() => openStore(path))).toBe('DB_BUSY');
      expect(readFileSync(path).subarray(0, 6).toString()).toBe('SQLite');
      reader.exec('COMMIT');
      reader.close();
      db.close();
      const reopened = openStore(path);
      expect(reopened.db.prepare("SELECT value FROM meta WHERE key = 'late'").get()).toEqual({ value: MARKER });
      reopened.db.close();
      expect(existsSync(`${path}.encrypting-journal`)).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a missing, wrong or damaged key with a typed error and changes nothing', () => {
    const tmp = tempDir('ld-enc-');
    try {
      const path = join(tmp.dir, 'desk.db');
      writeMarker(path);
      openStore(path).db.close();
      const before = readFileSync(path);
      const keyFile = keyFileFor(path);
      const key = readFileSync(keyFile, 'utf8');
      const elsewhere = join(tmp.dir, 'other.key');

      expect(codeOf(() => openStore(path, { key: { file: elsewhere } }))).toBe('DB_KEY_MISSING');
      writeFileSync(elsewhere, `${'0'.repeat(64)}\n`, { mode: 0o600 });
      expect(codeOf(() => openStore(path, { key: { file: elsewhere } }))).toBe('DB_KEY_WRONG');
      writeFileSync(elsewhere, 'not a key', { mode: 0o600 });
      expect(codeOf(() => openStore(path, { key: { file: elsewhere } }))).toBe('DB_KEY_INVALID');
      expect(codeOf(() => openStore(path, { key: { raw: Buffer.alloc(32, 7) } }))).toBe('DB_KEY_WRONG');
      // --key FILE: the right key anywhere opens it.
      writeFileSync(elsewhere, key, { mode: 0o600 });
      openStore(path, { key: { file: elsewhere } }).db.close();
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readFileSync(keyFile, 'utf8')).toBe(key);
    } finally {
      tmp.cleanup();
    }
  });
});

describe('a key held by the OS keystore (Electron)', () => {
  it('seeds and opens a data folder with the key itself, leaving no key file; a web-host folder yields its key to move into the keystore', () => {
    const tmp = tempDir('ld-enc-');
    try {
      const key = Buffer.alloc(32, 9);
      const kept = join(tmp.dir, 'kept');
      prepareDataFolder(kept, Date.UTC(2026, 10, 23, 2), key);
      const db = join(kept, 'desk.db');
      expect(existsSync(keyFileFor(db))).toBe(false);
      expect(ruleKeyOf(kept)).toBeNull();
      openStore(db, { key: { raw: key } }).db.close();
      expect(codeOf(() => openStore(db))).toBe('DB_KEY_MISSING');
      const web = join(tmp.dir, 'web');
      prepareDataFolder(web, Date.UTC(2026, 10, 23, 2));
      const moved = ruleKeyOf(web)!;
      openStore(join(web, 'desk.db'), { key: { raw: moved } }).db.close();
    } finally {
      tmp.cleanup();
    }
  });
});

describe('the command line and the key', () => {
  const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');
  async function cli(...args: string[]): Promise<{ code: number; json: { ok?: boolean; error?: { code: string; message: string } } }> {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 30_000 });
      return { code: 0, json: JSON.parse(stdout) };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, json: JSON.parse(e.stdout) };
    }
  }

  it('seeds an encrypted folder (0700, files 0600); --key FILE opens it from anywhere; no key is a sentence, not a crash', async () => {
    const tmp = tempDir('ld-enc-cli-');
    try {
      const data = join(tmp.dir, 'data');
      expect((await cli('seed', '--data', data, '--members', '20')).code).toBe(0);
      const db = join(data, 'desk.db');
      expect(readFileSync(db).subarray(0, 6).toString()).not.toBe('SQLite');
      expect([mode(data), mode(db)]).toEqual([0o700, 0o600]);
      expect((await cli('doctor', '--data', data)).json).toMatchObject({ healthy: true });
      // The key moved away from where the rule looks: refused in the user's language, nothing changed.
      const moved = join(tmp.dir, 'moved.key');
      renameSync(keyFileFor(db), moved);
      const missing = await cli('doctor', '--data', data, '--lang', 'zh-CN');
      expect(missing.code).not.toBe(0);
      expect(missing.json.error?.code).toBe('DB_KEY_MISSING');
      expect(missing.json.error?.message).toContain('密钥文件');
      expect((await cli('doctor', '--data', data, '--key', moved)).json).toMatchObject({ healthy: true });
    } finally {
      tmp.cleanup();
    }
  });
});

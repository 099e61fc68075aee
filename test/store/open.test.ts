import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/store/migrations';
import { openRaw, openStore, TERMINAL_APPLICATION_ID } from '../../src/store/open';
import { SYNC_PAGE_CACHE_KIB } from '../../src/store/pageCache';
import { codeOf } from '../helpers/codeOf';
import { tempDir } from '../helpers/demoDb';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** A database whose index b-tree is scribbled over while its header stays valid. */
function damageAnIndex(path: string): void {
  const { db } = openStore(path);
  db.exec('CREATE TABLE filler (x TEXT); CREATE INDEX filler_x ON filler(x);');
  const ins = db.prepare('INSERT INTO filler VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) ins.run(`row-${i}-${'x'.repeat(50)}`);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const rootPage = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'filler_x'").get() as { rootpage: number }).rootpage;
  db.close();
  const bytes = readFileSync(path);
  bytes.fill(0x5a, (rootPage - 1) * pageSize + 8, rootPage * pageSize - 8);
  writeFileSync(path, bytes);
}


describe('openStore', () => {
  it('creates a new database with every migration, WAL, synchronous=FULL, foreign keys, a busy timeout and the default page cache', () => {
    const path = join(dir(), 'desk.db');
    const { db, schemaVersion, created, migrated } = openStore(path);
    expect(created).toBe(true);
    expect(migrated).toEqual(loadMigrations().map((m) => m.version));
    const latest = loadMigrations().at(-1)!.version;
    expect(schemaVersion).toBe(latest);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('application_id', { simple: true })).toBe(TERMINAL_APPLICATION_ID);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    // The build's default (16 MB for better-sqlite3): the larger sync cache is taken only while syncing (pageCache.ts).
    expect(Math.abs(db.pragma('cache_size', { simple: true }) as number)).toBeLessThan(SYNC_PAGE_CACHE_KIB);
    db.close();
  });

  it('reopens without migrating again', () => {
    const path = join(dir(), 'desk.db');
    openStore(path).db.close();
    const again = openStore(path);
    expect(again.created).toBe(false);
    expect(again.migrated).toEqual([]);
    again.db.close();
  });

  it('applies only the newer migrations, all in one transaction', () => {
    const d = dir();
    const path = join(d, 'desk.db');
    const base = loadMigrations();
    openStore(path, { migrations: base }).db.close();
    const top = base.at(-1)!.version;
    const extra = [...base, { version: top + 5, name: 'add', sql: 'CREATE TABLE added (x INTEGER);' }];
    const { db, migrated } = openStore(path, { migrations: extra });
    expect(migrated).toEqual([top + 5]);
    expect(db.pragma('user_version', { simple: true })).toBe(top + 5);
    db.close();

    // A failing migration leaves the file at its old version with nothing of the new ones.
    const broken = [...extra, { version: top + 10, name: 'ok', sql: 'CREATE TABLE t_ok (x INTEGER);' }, { version: top + 20, name: 'bad', sql: 'CREATE TABLE oops (' }];
    expect(() => openStore(path, { migrations: broken })).toThrow();
    const check = openRaw(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(top + 5);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 't_ok'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('refuses a database from a newer version and leaves the file untouched', () => {
    const path = join(dir(), 'desk.db');
    openStore(path).db.close();
    const raw = openRaw(path);
    raw.pragma('user_version = 999');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(path);
    expect(codeOf(() => openStore(path))).toBe('DB_FROM_FUTURE');
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite and one that is someone else\'s SQLite, changing neither', () => {
    const d = dir();
    const text = join(d, 'notes.db');
    writeFileSync(text, 'this is not a database at all, just some text that is long enough to look like a file');
    const textBefore = readFileSync(text);
    expect(codeOf(() => openStore(text))).toBe('NOT_LOYALTY_DB');
    expect(readFileSync(text).equals(textBefore)).toBe(true);

    const other = join(d, 'other.db');
    const o = new Database(other);
    o.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    o.close();
    const otherBefore = readFileSync(other);
    expect(codeOf(() => openStore(other))).toBe('NOT_LOYALTY_DB');
    expect(readFileSync(other).equals(otherBefore)).toBe(true);
    expect(statSync(other).size).toBe(otherBefore.length);
  });

  it('names a missing file when asked not to create one', () => {
    expect(codeOf(() => openStore(join(dir(), 'missing.db'), { create: false }))).toBe('DB_NOT_FOUND');
  });

  it('reports a damaged file as DB_CORRUPT at open', () => {
    const path = join(dir(), 'desk.db');
    damageAnIndex(path);
    expect(codeOf(() => openStore(path))).toBe('DB_CORRUPT');
  });
});

describe('quick_check policy', () => {
  it("runs after a crash (a write-ahead log left behind) when asked for 'after-crash'", () => {
    const path = join(dir(), 'desk.db');
    damageAnIndex(path);
    // Closed cleanly: no log left, so a short CLI call skips the full read …
    const clean = openStore(path, { quickCheck: 'after-crash' });
    clean.db.close();
    // … but a log left behind by a writer that died means the check runs and finds the damage.
    writeFileSync(`${path}-wal`, Buffer.alloc(0));
    const raw = openRaw(path);
    raw.pragma('journal_mode = WAL');
    const hold = openRaw(path);
    hold.prepare('SELECT 1').get();
    raw.exec('CREATE TABLE t (x INTEGER)');
    expect(codeOf(() => openStore(path, { quickCheck: 'after-crash' }))).toBe('DB_CORRUPT');
    hold.close();
    raw.close();
  });
});

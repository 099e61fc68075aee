// A terminal that held full phone numbers drops them when it migrates to schema 130 (docs/privacy.md):
// the column is gone, the last four digits stay for display, nothing of the numbers is left in the
// file's free pages, and the sync cursor is forgotten so the next sync brings every member's hash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/store/migrations';
import { openStore } from '../../src/store/open';
import { membersByPhoneHash } from '../../src/store/members';
import { tempDir } from '../helpers/demoDb';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

/** Mainland numbers from a seeded generator: enough rows that the members table spans many pages. */
function phones(n: number): string[] {
  let x = 777;
  const next = () => (x = (x * 48271) % 2147483647);
  return Array.from({ length: n }, () => `1${3 + (next() % 7)}${String(next() % 1_000_000_000).padStart(9, '0')}`);
}

describe('schema 130 on a terminal that held phone numbers', () => {
  it('drops every number, keeps its last four digits, leaves none of it in the file and forgets the cursor', () => {
    tmp = tempDir('ld-phone-mig-');
    const path = join(tmp.dir, 'desk.db');
    const all = loadMigrations();
    const numbers = phones(2_000);
    // Plain files here, so the test can read what is left in the bytes (an encrypted file shows nothing either way).
    const old = openStore(path, { plaintext: true, migrations: all.filter((m) => m.version < 130) });
    const insert = old.db.prepare(
      "INSERT INTO members(id, card_no, name, phone, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at) VALUES (?, ?, '测试', ?, NULL, 'basic', 1, 1, 'active', 1, NULL, 1)",
    );
    old.db.transaction(() => numbers.forEach((p, i) => insert.run(`M${String(i).padStart(8, '0')}`, `88600000${String(i).padStart(8, '0')}`, p)))();
    old.db.prepare("INSERT INTO sync_state(key, value) VALUES ('cursor', 'abc'), ('credential', 'ldt_x')").run();
    old.db.pragma('wal_checkpoint(TRUNCATE)');
    old.db.close();
    expect(readFileSync(path).includes(Buffer.from(numbers[10]!))).toBe(true);

    const now = openStore(path, { plaintext: true, migrations: all });
    expect(now.migrated).toContain(130);
    const cols = (now.db.prepare('PRAGMA table_info(members)').all() as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('phone');
    const rows = now.db.prepare('SELECT phone_last4, phone_hash FROM members ORDER BY id').all() as { phone_last4: string; phone_hash: string | null }[];
    expect(rows.map((r) => r.phone_last4)).toEqual(numbers.map((p) => p.slice(-4)));
    expect(rows.every((r) => r.phone_hash === null)).toBe(true);
    expect(now.db.prepare("SELECT key FROM sync_state ORDER BY key").all()).toEqual([{ key: 'credential' }]);
    now.db.pragma('wal_checkpoint(TRUNCATE)');
    now.db.close();
    const bytes = readFileSync(path);
    const left = numbers.filter((p) => bytes.includes(Buffer.from(p)));
    expect(left).toEqual([]);
  });

  it('finds a member by phone hash through the prefix index, not by reading every member', () => {
    tmp = tempDir('ld-phone-idx-');
    const store = openStore(join(tmp.dir, 'desk.db'), { plaintext: true });
    try {
      const seen: string[] = [];
      const prepare = store.db.prepare.bind(store.db);
      store.db.prepare = ((sql: string) => (seen.push(sql), prepare(sql))) as typeof store.db.prepare;
      expect(membersByPhoneHash(store.db, 'A'.repeat(43))).toEqual([]);
      const lookup = seen.find((sql) => sql.includes('phone_hash'))!;
      const plan = (prepare(`EXPLAIN QUERY PLAN ${lookup}`).all('AAAAAAAA', 'A'.repeat(43)) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toContain('members_phone_prefix');
      expect(plan).not.toMatch(/^SCAN members$/m);
    } finally {
      store.db.close();
    }
  });
});

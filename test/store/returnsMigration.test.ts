// Schema 150 (docs/returns.md) rebuilds the operations table to allow kind 'return': every row, the
// ledger, outbox and print jobs that point at it, and both indexes come through; a kind nobody
// defined is still refused by the table itself.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/store/migrations';
import { openStore } from '../../src/store/open';
import { tempDir } from '../helpers/demoDb';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => {
  tmp?.cleanup();
  tmp = undefined;
});

const OP = (id: string, kind: string, target: string | null = null) => [id, kind, 'M1', target, 'clerk-01', 'SH001', 'SH001-T1', 1_000, '2026-11-23', 0, 10, 1_000, '{}', 1];
const INSERT_OP = `INSERT INTO operations(id, kind, member_id, target_op_id, staff_id, store_id, terminal_id, at, business_date, value_fen, points, amount_fen, detail_json, offline)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

describe('schema 150', () => {
  it('keeps every operation and what refers to it, and takes returns', () => {
    tmp = tempDir('ld-mig150-');
    const path = join(tmp.dir, 'desk.db');
    const all = loadMigrations();
    const old = openStore(path, { plaintext: true, migrations: all.filter((m) => m.version < 150) });
    old.db.exec(`INSERT INTO staff(id, store_id, name, role, pin_hash, active, updated_at) VALUES ('clerk-01', 'SH001', '王芳', 'clerk', 'x', 1, 1);
      INSERT INTO members(id, card_no, name, tier, tier_since, card_serial, status, joined_at, updated_at) VALUES ('M1', '8860000000000010', '谢*', 'basic', 1, 1, 'active', 1, 1);`);
    const ids = Array.from({ length: 50 }, (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    old.db.transaction(() => {
      for (const [i, id] of ids.entries()) {
        old.db.prepare(INSERT_OP).run(...OP(id, i % 2 ? 'void' : 'earn', i % 2 ? ids[i - 1]! : null));
        old.db.prepare("INSERT INTO ledger(op_id, member_id, at, account, delta, value_fen) VALUES (?, 'M1', 1000, 'points', 10, 0)").run(id);
        old.db.prepare("INSERT INTO outbox(seq, id, op_id, type, payload_json, created_at) VALUES (?, ?, ?, 'operation.recorded', '{}', 1)").run(i + 1, `e${i}`, id);
        old.db.prepare("INSERT INTO print_jobs(op_id, kind, payload_json, status, created_at) VALUES (?, 'earn', '{}', 'pending', 1)").run(id);
      }
    })();
    const before = old.db.prepare('SELECT * FROM operations ORDER BY id').all();
    old.db.close();

    const now = openStore(path, { plaintext: true, migrations: all });
    try {
      expect(now.migrated).toContain(150);
      expect(now.db.prepare('SELECT * FROM operations ORDER BY id').all()).toEqual(before);
      expect(now.db.pragma('foreign_key_check')).toEqual([]);
      const indexes = now.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'operations' AND sql IS NOT NULL ORDER BY name").pluck().all();
      expect(indexes).toEqual(['operations_day', 'operations_member_benefit']);
      expect(now.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'operations_149'").pluck().get()).toBe(0);
      now.db.prepare(INSERT_OP).run(...OP('00000000-0000-7000-8000-999999999999', 'return', ids[0]!));
      expect(() => now.db.prepare(INSERT_OP).run(...OP('00000000-0000-7000-8000-999999999998', 'refund'))).toThrow(/CHECK/);
      // The foreign keys still hold after the rebuild: a ledger entry of no operation is refused.
      expect(() => now.db.prepare("INSERT INTO ledger(op_id, member_id, at, account, delta, value_fen) VALUES ('nope', 'M1', 1, 'points', 1, 0)").run()).toThrow(/FOREIGN KEY/);
    } finally {
      now.db.close();
    }
  });
});

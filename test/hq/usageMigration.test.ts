// HQ schema 90 (docs/sync.md "Usage across terminals"): members who redeemed before the upgrade get
// their brand-wide use counted from the applied, not voided redemptions, and are stamped again so
// terminals pull it; the row passes the protocol's member schema. PGlite (the migration is plain SQL).
import { describe, expect, it } from 'vitest';
import { openHqDb } from '../../src/hq/db';
import { loadHqMigrations, migrateHq } from '../../src/hq/migrate';
import { MEMBER_DATA } from '../../src/hq/services/pull';
import { memberDataSchema } from '../../src/sync/protocolEntities';

describe('an HQ migrating to schema 90', () => {
  it('counts each member’s past redemptions per benefit and publishes them again', async () => {
    const db = await openHqDb({});
    try {
      const all = loadHqMigrations();
      await migrateHq(db, all.filter((m) => m.version < 90));
      await db.query(
        "INSERT INTO members(id, card_no, name, phone, phone_hash, tier, tier_since, card_serial, status, joined_at, seq) VALUES ('U1', '8860000000000998', '用', '+8613912345678', 'A', 'core', 1, 1, 'active', 1, nextval('change_seq')), ('U2', '8860000000000997', '无', '+8613912345679', 'B', 'basic', 1, 1, 'active', 1, nextval('change_seq'))",
      );
      const op = (id: string, benefit: string, at: number, extra = '') =>
        `('${id}', 'T1', 'SH001', 'U1', 'redeem', '${benefit}', ${at}, 0, 0, '{}'::jsonb, 1${extra})`;
      await db.query(
        `INSERT INTO operations(id, terminal_id, store_id, member_id, kind, benefit_id, at, value_fen, points, payload, received_at) VALUES
         ${[op('o1', 'B-MUG', 100), op('o2', 'B-WRAP', 200), op('o3', 'B-WRAP', 300)].join(', ')}`,
      );
      await db.query("INSERT INTO operations(id, terminal_id, store_id, member_id, kind, benefit_id, at, value_fen, points, payload, received_at, voided_by) VALUES ('o4', 'T1', 'SH001', 'U1', 'redeem', 'B-WRAP', 400, 0, 0, '{}', 1, 'v4')");
      await db.query("INSERT INTO operations(id, terminal_id, store_id, member_id, kind, benefit_id, at, value_fen, points, payload, received_at, status) VALUES ('o5', 'T1', 'SH001', 'U1', 'redeem', 'B-MUG', 500, 0, 0, '{}', 1, 'refused')");
      const before = await db.query<{ id: string; seq: string }>('SELECT id, seq FROM members ORDER BY id');
      await migrateHq(db, all);
      const after = await db.query<{ id: string; seq: string; usage: unknown }>('SELECT id, seq, usage FROM members ORDER BY id');
      expect(after[0]!.usage).toEqual([
        { benefitId: 'B-MUG', total: 1, day: null, dayCount: 0, lastAt: 100 },
        { benefitId: 'B-WRAP', total: 2, day: null, dayCount: 0, lastAt: 300 },
      ]);
      expect(Number(after[0]!.seq)).toBeGreaterThan(Number(before[0]!.seq));
      expect(after[1]).toMatchObject({ usage: [], seq: before[1]!.seq });
      const [row] = await db.query<{ j: string }>(`SELECT ${MEMBER_DATA}::text AS j FROM members WHERE id = 'U1'`);
      expect(memberDataSchema.safeParse({ ...JSON.parse(row!.j), phoneHash: 'A'.repeat(43) }).success).toBe(true);
    } finally {
      await db.close();
    }
  });
});

// HQ schema migrations: db/hq/NNN_name.sql applied in order, all pending ones in one transaction,
// under an advisory lock so several HQ processes starting at once migrate only once. A database
// from a newer HQ is refused.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HqDb } from './db';
import { ensureBrandKey } from './services/brand';

/** The schema that brings the brand's phone key (db/hq/070_phone_privacy.sql). */
const BRAND_SCHEMA = 70;

const FILE = /^(\d{3})_([a-z0-9_]+)\.sql$/;
const MIGRATION_LOCK = 0x4c44_4d47; // 'LDMG'

export interface HqMigration {
  version: number;
  name: string;
  sql: string;
}

export function loadHqMigrations(dir = fileURLToPath(new URL('../../db/hq/', import.meta.url))): HqMigration[] {
  return readdirSync(dir)
    .map((f) => {
      const m = FILE.exec(f);
      return m ? { version: Number(m[1]), name: m[2]!, sql: readFileSync(`${dir}/${f}`, 'utf8') } : null;
    })
    .filter((m): m is HqMigration => m !== null)
    .sort((a, b) => a.version - b.version);
}

export class HqSchemaFromFutureError extends Error {}

export async function migrateHq(db: HqDb, migrations = loadHqMigrations()): Promise<number[]> {
  const latest = migrations.at(-1)?.version ?? 0;
  return db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q.query('CREATE TABLE IF NOT EXISTS hq_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const [row] = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM hq_schema');
    const current = row?.v ?? 0;
    if (current > latest) throw new HqSchemaFromFutureError(`the HQ database is at schema ${current}; this HQ knows ${latest}`);
    const pending = migrations.filter((m) => m.version > current);
    for (const m of pending) {
      await q.exec(m.sql);
      await q.query('INSERT INTO hq_schema(version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
    }
    if (pending.some((m) => m.version === BRAND_SCHEMA)) await ensureBrandKey(q);
    return pending.map((m) => m.version);
  });
}

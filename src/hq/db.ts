// One small interface over PostgreSQL (pg, when DATABASE_URL is set) and embedded PGlite, so the
// services never know which one runs. int8 and numeric come back as JS numbers (epoch ms and
// sequences fit in 2^53).
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface HqDb extends Queryable {
  readonly kind: 'pg' | 'pglite';
  /** Runs fn in one transaction; retried on serialization failures and deadlocks. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface HqDbOptions {
  /** postgres://… ; PGlite when absent. */
  url?: string;
  /** PGlite data folder; in memory when absent. */
  dataDir?: string;
  /** PostgreSQL schema to work in (tests use a fresh one per run). */
  schema?: string;
  poolSize?: number;
}

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TX_ATTEMPTS = 5;

function isRetryable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && RETRYABLE.has(String((err as { code: unknown }).code));
}

async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isRetryable(err) || i >= MAX_TX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 20));
    }
  }
}

const toNumber = (v: string): number => Number(v);

function openPg(url: string, options: HqDbOptions): HqDb {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === 20 || oid === 1700) return toNumber;
      return pg.types.getTypeParser(oid, format);
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: types as pg.CustomTypesConfig,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    kind: 'pg',
    async query<R>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as R[];
    },
    exec: async (sql: string) => void (await pool.query(sql)),
    tx<T>(fn: (q: Queryable) => Promise<T>) {
      return withRetry(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const q: Queryable = {
            query: async <R>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as R[],
            exec: async (sql: string) => void (await client.query(sql)),
          };
          const result = await fn(q);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      });
    },
    close: () => pool.end(),
  };
}

async function openPglite(options: HqDbOptions): Promise<HqDb> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ?? 'memory://', { parsers: { 20: toNumber, 1700: toNumber } });
  if (options.schema) await db.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}; SET search_path = ${options.schema}`);
  return {
    kind: 'pglite',
    async query<R>(sql: string, params: unknown[] = []) {
      return (await db.query<R>(sql, params)).rows;
    },
    exec: async (sql: string) => void (await db.exec(sql)),
    tx<T>(fn: (q: Queryable) => Promise<T>) {
      return db.transaction(async (tx) =>
        fn({
          query: async <R>(sql: string, params: unknown[] = []) => (await tx.query<R>(sql, params)).rows,
          exec: async (sql: string) => void (await tx.exec(sql)),
        }),
      );
    },
    close: () => db.close(),
  };
}

export async function openHqDb(options: HqDbOptions): Promise<HqDb> {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`bad schema name ${options.schema}`);
  return options.url ? openPg(options.url, options) : openPglite(options);
}

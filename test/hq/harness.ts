// HQ for tests: a real fastify server on loopback over PGlite (always) and over PostgreSQL
// (when DATABASE_URL is set), in a fresh schema dropped afterwards; demo data seeded through the
// admin endpoints; terminals enrolled into temp folders.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { openHqDb } from '../../src/hq/db';
import { startHq, type RunningHq } from '../../src/hq/server';
import { adminClient, seedDemoAtHq, type AdminCall } from '../../src/cli/commands/hqAdmin';
import { enrollTerminal } from '../../src/syncClient/enroll';
import { openTerminal, type OpenedTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW } from '../helpers/demoDb';

export type Backend = 'pglite' | 'postgresql';
export const BACKENDS: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];
export const ADMIN_TOKEN = 'test-admin-token';

export interface TestHq extends RunningHq {
  admin: AdminCall;
  /**
   * HQ's clock: by default it runs from the tests' NOW, so terminals enrolled here and working at
   * NOW are inside HQ's time bounds (docs/authority.md); a test that moves its terminals days on
   * moves HQ with them.
   */
  setClock(at: number): void;
  schema: string | undefined;
  /** Another HQ process on the same database (PostgreSQL only). */
  second(): Promise<RunningHq>;
  stop(): Promise<void>;
}

export async function startTestHq(backend: Backend): Promise<TestHq> {
  const url = backend === 'postgresql' ? process.env.DATABASE_URL : undefined;
  const schema = url ? `t_sync_${randomBytes(6).toString('hex')}` : undefined;
  if (url) {
    const root = await openHqDb({ url });
    await root.exec(`CREATE SCHEMA ${schema}`);
    await root.close();
  }
  let base = NOW;
  let since = Date.now();
  const clock = () => base + (Date.now() - since);
  const opts = { ...(url ? { url, schema, poolSize: 4 } : {}), adminToken: ADMIN_TOKEN, onError: () => undefined, clock };
  const hq = await startHq(opts);
  const extra: RunningHq[] = [];
  return {
    ...hq,
    admin: adminClient(hq.url, ADMIN_TOKEN),
    schema,
    setClock(at: number) {
      base = at;
      since = Date.now();
    },
    async second() {
      if (!url) throw new Error('a second HQ process needs PostgreSQL');
      const h = await startHq(opts);
      extra.push(h);
      return h;
    },
    async stop() {
      for (const h of extra) await h.close();
      await hq.close();
      if (url) {
        const root = await openHqDb({ url });
        await root.exec(`DROP SCHEMA ${schema} CASCADE`);
        await root.close();
      }
    },
  };
}

export async function seedHq(hq: TestHq, dir: string, members = 60) {
  return seedDemoAtHq(hq.admin, { members, seed: 'test', now: NOW, hqKeyFile: join(dir, 'hq-key.jwk.json') }, () => undefined);
}

export async function enrollNew(hqUrl: string, admin: AdminCall, dir: string, name: string, storeId?: string): Promise<string> {
  const { code } = (await admin('POST', '/v1/admin/enrollment-codes', storeId ? { storeId } : {})) as { code: string };
  const dbPath = join(dir, name, 'desk.db');
  await enrollTerminal({ dbPath, hqUrl, code });
  return dbPath;
}

export function openAt(dbPath: string, clock: { now: number }, online = false): OpenedTerminal {
  return openTerminal(dbPath, { clock: () => clock.now, connectivity: () => ({ online }) });
}

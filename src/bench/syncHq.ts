// The HQ side of the sync bench: an HQ seeded with N demo members (stores, staff, benefits,
// catalog, members with their months, lots and grants as the demo generator makes them), served
// either in this process or in a child process (as in reality: HQ is another machine, so HQ and
// the terminal must not share one thread). The child speaks over the fork IPC channel.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { openHqDb, type HqDb } from '../hq/db';
import { startHq } from '../hq/server';
import { upsertBenefits, upsertCatalog, upsertMembers, upsertStaff, upsertStores } from '../hq/services/admin';
import { createEnrollmentCode } from '../hq/services/enroll';
import { FEED_LOCK } from '../hq/services/stamp';
import type { AdminMember } from '../hq/validation';
import { DEMO_CATALOG, DEMO_STAFF, DEMO_STORE, demoBenefits } from '../terminal/demo/catalog';
import { generateDemoMembers, type DemoMember } from '../terminal/demo/members';

export const benchHqOptionsSchema = z.object({
  members: z.int().min(1).max(5_000_000),
  seed: z.string().min(1),
  now: z.int(),
  /** PostgreSQL when set (a fresh schema, dropped at close); PGlite in memory otherwise. */
  url: z.string().optional(),
});
export type BenchHqOptions = z.infer<typeof benchHqOptionsSchema>;

export interface BenchHq {
  url: string;
  backend: 'postgresql' | 'pglite';
  process: 'child' | 'in-process';
  /** Enrollment codes for the bench's terminals: the encrypted one, then the plain one. */
  codes: [string, string];
  seedSeconds: number;
  /** HQ changes the first n members (as an admin upsert would): the next pull is a delta of n. */
  changeMembers(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Members per seeding statement: one jsonb array each (a few MB), set-based at HQ. */
const SEED_BATCH = 10_000;

export function hqMember(m: DemoMember, now: number, bump = 0): AdminMember {
  return {
    id: m.id, cardNo: m.cardNo, name: m.name, phone: m.phone, birthday: m.birthday, tier: m.tier, tierSince: m.joinedAt + bump,
    cardSerial: m.cardSerial, status: m.revoked ? 'revoked' : 'active', joinedAt: m.joinedAt, lastPurchaseAt: m.lastPurchaseAt, months: m.months,
    lots: m.lots.map((l, n) => ({ key: `S-${m.id}-${n + 1}`, earnedAt: l.earnedAt, expiresAt: l.expiresAt, points: l.points, remaining: l.points })),
    grants: m.grants.map((g) => ({ benefitId: g.benefitId, grantedAt: now, reason: g.reason, usedOpId: null })),
  };
}

/**
 * New members in one statement per batch, stamped as they go in (under the feed lock, as
 * stampChanges does) rather than inserted unstamped and updated again: half the writes.
 */
async function insertMembersStamped(db: HqDb, members: AdminMember[]): Promise<void> {
  const rows = members.map((m) => ({
    id: m.id, card_no: m.cardNo, name: m.name, phone: m.phone, birthday: m.birthday, tier: m.tier, tier_since: m.tierSince, card_serial: m.cardSerial,
    status: m.status, joined_at: m.joinedAt, last_purchase_at: m.lastPurchaseAt, months: m.months, lots: m.lots, grants: m.grants,
  }));
  await db.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
    await q.query(
      `INSERT INTO members(id, card_no, name, phone, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, months, lots, grants, seq)
       SELECT x.*, nextval('change_seq') FROM jsonb_to_recordset($1::jsonb) AS x(id text, card_no text, name text, phone text, birthday text, tier text,
         tier_since bigint, card_serial int, status text, joined_at bigint, last_purchase_at bigint, months jsonb, lots jsonb, grants jsonb)`,
      [JSON.stringify(rows)],
    );
  });
}

/** Starts and seeds HQ in this process. */
export async function startBenchHq(options: BenchHqOptions): Promise<BenchHq> {
  const { url, now } = options;
  const schema = url ? `bench_sync_${randomBytes(4).toString('hex')}` : undefined;
  if (url) {
    const root = await openHqDb({ url });
    await root.exec(`CREATE SCHEMA ${schema}`);
    await root.close();
  }
  const hq = await startHq({ ...(url ? { url, schema } : {}), onError: () => undefined });
  const dropSchema = async () => {
    if (!url) return;
    const root = await openHqDb({ url });
    await root.exec(`DROP SCHEMA ${schema} CASCADE`);
    await root.close();
  };
  try {
    const t0 = performance.now();
    await upsertStores(hq.db, [DEMO_STORE]);
    await upsertStaff(hq.db, DEMO_STAFF.map((s) => ({ ...s, storeId: DEMO_STORE.id, active: true })));
    await upsertBenefits(hq.db, demoBenefits(now));
    await upsertCatalog(hq.db, DEMO_CATALOG.map((c) => ({ ...c })));
    const all: DemoMember[] = [];
    generateDemoMembers({ seed: options.seed, now, members: options.members }, (m) => all.push(m));
    for (let i = 0; i < all.length; i += SEED_BATCH) {
      const batch = all.slice(i, i + SEED_BATCH);
      // Let go of what is already at HQ: a million demo members are about 1 GB of objects.
      all.fill(undefined as unknown as DemoMember, i, i + SEED_BATCH);
      await insertMembersStamped(hq.db, batch.map((m) => hqMember(m, now)));
    }
    all.length = 0;
    const seedSeconds = Math.round(performance.now() - t0) / 1000;
    const codes: [string, string] = [(await createEnrollmentCode(hq.db, DEMO_STORE.id, now)).code, (await createEnrollmentCode(hq.db, DEMO_STORE.id, now)).code];
    return {
      url: hq.url,
      backend: url ? 'postgresql' : 'pglite',
      process: 'in-process',
      codes,
      seedSeconds,
      async changeMembers(n) {
        const changed: DemoMember[] = [];
        generateDemoMembers({ seed: options.seed, now, members: Math.min(n, options.members) }, (m) => changed.push(m));
        for (let i = 0; i < changed.length; i += 5_000) await upsertMembers(hq.db, changed.slice(i, i + 5_000).map((m) => hqMember(m, now, 1)));
      },
      async close() {
        await hq.close();
        await dropSchema();
      },
    };
  } catch (err) {
    await hq.close();
    await dropSchema();
    throw err;
  }
}

// --- the child process --------------------------------------------------------------------------
const CHILD = fileURLToPath(new URL('./syncHqChild.mjs', import.meta.url));
const toParentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string(), codes: z.tuple([z.string(), z.string()]), seedSeconds: z.number(), backend: z.enum(['postgresql', 'pglite']) }),
  z.object({ type: z.literal('done'), id: z.int() }),
  z.object({ type: z.literal('failed'), id: z.int().optional(), message: z.string() }),
]);
const toChildSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('change'), id: z.int(), n: z.int().nonnegative() }),
  z.object({ type: z.literal('close'), id: z.int() }),
]);
type ToChild = z.infer<typeof toChildSchema>;

/** Starts and seeds HQ in a child process; `startSeconds` bounds the seeding. */
export async function forkBenchHq(options: BenchHqOptions, startSeconds = 1_800): Promise<BenchHq> {
  const child = fork(CHILD, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const orphanGuard = () => void child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  let lastId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<Extract<z.infer<typeof toParentSchema>, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench HQ not ready within ${startSeconds} s`)), startSeconds * 1000);
    child.on('message', (raw) => {
      const msg = toParentSchema.safeParse(raw);
      if (!msg.success) return;
      const m = msg.data;
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolve(m);
      } else if (m.type === 'failed' && m.id === undefined) {
        clearTimeout(timer);
        reject(new Error(m.message));
      } else {
        const w = waiting.get(m.id ?? 0);
        waiting.delete(m.id ?? 0);
        if (m.type === 'done') w?.resolve();
        else if (m.type === 'failed') w?.reject(new Error(m.message));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench HQ exited with ${code}`));
      for (const w of waiting.values()) w.reject(new Error(`bench HQ exited with ${code}`));
    });
  });
  const ask = (msg: { type: 'change'; n: number } | { type: 'close' }) =>
    new Promise<void>((resolve, reject) => {
      const id = ++lastId;
      waiting.set(id, { resolve, reject });
      child.send({ ...msg, id } satisfies ToChild);
    });
  try {
    const r = await ready;
    return {
      url: r.url,
      backend: r.backend,
      process: 'child',
      codes: r.codes,
      seedSeconds: r.seedSeconds,
      changeMembers: (n) => ask({ type: 'change', n }),
      async close() {
        await ask({ type: 'close' }).catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
        process.removeListener('exit', orphanGuard);
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    process.removeListener('exit', orphanGuard);
    throw err;
  }
}

/** The child's side: seed, report ready, then serve until asked to close. */
export async function runBenchHqChild(argv: string[]): Promise<void> {
  const send = (m: z.infer<typeof toParentSchema>) => process.send?.(m);
  let hq: BenchHq;
  try {
    hq = await startBenchHq(benchHqOptionsSchema.parse(JSON.parse(argv[0] ?? '{}')));
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  send({ type: 'ready', url: hq.url, codes: hq.codes, seedSeconds: hq.seedSeconds, backend: hq.backend });
  process.on('message', (raw) => {
    const msg = toChildSchema.safeParse(raw);
    if (!msg.success) return;
    const m = msg.data;
    const work = m.type === 'change' ? hq.changeMembers(m.n) : hq.close();
    work.then(
      () => {
        send({ type: 'done', id: m.id });
        if (m.type === 'close') process.disconnect();
      },
      (err: unknown) => send({ type: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }),
    );
  });
  // The parent going away ends the child too.
  process.on('disconnect', () => process.exit(0));
}

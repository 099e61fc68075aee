// Sync figures for `npm run bench` (the lead wires benchSync in): initial sync of N members from
// HQ, a delta of 10,000 changed members, a push of 10,000 events. HQ runs in-process on
// PostgreSQL when DATABASE_URL is set (a fresh schema, dropped after), PGlite otherwise.
// Prints nothing; returns figures. The 500-terminal load run is not implemented yet.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHqDb } from '../hq/db';
import { startHq } from '../hq/server';
import { upsertMembers, upsertStaff, upsertStores } from '../hq/services/admin';
import { createEnrollmentCode } from '../hq/services/enroll';
import { DEMO_STAFF, DEMO_STORE } from '../terminal/demoCatalog';
import { demoNow, generateDemoMembers, type DemoMember } from '../terminal/demoMembers';
import { enrollTerminal } from '../terminal/enroll';
import { openTerminal } from '../terminal/openTerminal';
import type { AdminMember } from '../hq/validation';
import { syncOnce } from './syncRun';

function hqMember(m: DemoMember, now: number, bump = 0): AdminMember {
  return {
    id: m.id, cardNo: m.cardNo, name: m.name, phone: m.phone, birthday: m.birthday, tier: m.tier, tierSince: m.joinedAt + bump,
    cardSerial: m.cardSerial, status: m.revoked ? 'revoked' : 'active', joinedAt: m.joinedAt, lastPurchaseAt: m.lastPurchaseAt, months: m.months,
    lots: m.lots.map((l, n) => ({ key: `S-${m.id}-${n + 1}`, earnedAt: l.earnedAt, expiresAt: l.expiresAt, points: l.points, remaining: l.points })),
    grants: m.grants.map((g) => ({ benefitId: g.benefitId, grantedAt: now, reason: g.reason, usedOpId: null })),
  };
}

const seconds = (t0: number) => Math.round((performance.now() - t0) / 10) / 100;

export async function benchSync(options: { members?: number; deltaChanges?: number; pushEvents?: number } = {}): Promise<Record<string, unknown>> {
  const members = options.members ?? 100_000;
  const delta = Math.min(options.deltaChanges ?? 10_000, members);
  const pushN = options.pushEvents ?? 10_000;
  const url = process.env.DATABASE_URL;
  const schema = url ? `bench_sync_${randomBytes(4).toString('hex')}` : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-sync-'));
  if (url) {
    const root = await openHqDb({ url });
    await root.exec(`CREATE SCHEMA ${schema}`);
    await root.close();
  }
  const hq = await startHq({ ...(url ? { url, schema } : {}), onError: () => undefined });
  try {
    const now = demoNow(Date.now());
    await upsertStores(hq.db, [DEMO_STORE]);
    await upsertStaff(hq.db, DEMO_STAFF.map((s) => ({ ...s, storeId: DEMO_STORE.id, active: true })));
    const all: DemoMember[] = [];
    generateDemoMembers({ seed: 'bench', now, members }, (m) => all.push(m));
    for (let i = 0; i < all.length; i += 5_000) await upsertMembers(hq.db, all.slice(i, i + 5_000).map((m) => hqMember(m, now)));

    const { code } = await createEnrollmentCode(hq.db, DEMO_STORE.id, now);
    const dbPath = join(dir, 'desk.db');
    await enrollTerminal({ dbPath, hqUrl: hq.url, code });
    const t = openTerminal(dbPath, { connectivity: () => ({ online: true }) });
    try {
      let t0 = performance.now();
      const initial = await syncOnce(t.db, { pullLimit: 5_000 });
      const initialSeconds = seconds(t0);

      for (let i = 0; i < delta; i += 5_000) await upsertMembers(hq.db, all.slice(i, Math.min(delta, i + 5_000)).map((m) => hqMember(m, now, 1)));
      t0 = performance.now();
      const deltaRun = await syncOnce(t.db, { pullLimit: 5_000 });
      const deltaSeconds = seconds(t0);

      const desk = openTerminal(dbPath, { connectivity: () => ({ online: true }) });
      const active = all.filter((m) => !m.revoked);
      for (let i = 0; i < pushN; i++) {
        desk.service.earn({ memberId: active[i % active.length]!.id, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 1_000 + i }] });
      }
      desk.close();
      t0 = performance.now();
      const push = await syncOnce(t.db, { pushBatch: 500, pullLimit: 5_000 });
      const pushSeconds = seconds(t0);
      return {
        hq: url ? 'postgresql' : 'pglite',
        initialSync: { members, seconds: initialSeconds, changes: initial.pulled, pages: initial.pages, membersPerSecond: Math.round(members / initialSeconds), targetSecondsAt1M: 60 },
        delta: { changes: delta, seconds: deltaSeconds, pulled: deltaRun.pulled, targetSeconds: 3 },
        push: { events: pushN, seconds: pushSeconds, pushed: push.pushed, duplicates: push.duplicates, pendingAfter: push.pending, targetSeconds: 5 },
        loadRun500Terminals: 'not implemented yet',
      };
    } finally {
      t.close();
    }
  } finally {
    await hq.close();
    if (url) {
      const root = await openHqDb({ url });
      await root.exec(`DROP SCHEMA ${schema} CASCADE`);
      await root.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// Day-end figures for `npm run bench` (the lead wires benchDayEnd in). Prints nothing; returns
// figures (medians and p99 of sorted samples, bounded loops):
//  - the Z-report of a day of 10,000 redemptions on a 1,000,000-member database (seeding it takes
//    ~25 s here; pass members to change it), and closing it;
//  - the 30-day KPI queries over 30 such days (300,000 redemptions);
//  - a day-end whose sync pushes a day's outbox of 5,000 events to HQ (in-process, PGlite unless
//    DATABASE_URL is set), then closes the day.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHqDb } from '../hq/db';
import { startHq } from '../hq/server';
import { adminClient, seedDemoAtHq } from '../cli/commands/hqAdmin';
import { DAY_MS, businessDate } from '../loyalty/time';
import { syncOnce } from '../syncClient/syncRun';
import { seedNewDatabase } from '../runtime/dataFolder';
import { closeDay, runDayEnd } from '../terminal/manager/dayEnd';
import { newUuidV7 } from '../terminal/operations/deps';
import { DEMO_STORE, DEMO_TERMINAL } from '../terminal/demo/catalog';
import { enrollTerminal } from '../syncClient/enroll';
import { computeKpis } from '../terminal/manager/kpis';
import { openTerminal } from '../terminal/operations/openTerminal';
import { computeDayReport } from '../terminal/manager/zReport';

function stats(samples: number[]): { medianMs: number; p99Ms: number; runs: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { medianMs: Math.round(at(0.5) * 10) / 10, p99Ms: Math.round(at(0.99) * 10) / 10, runs: s.length };
}

function timeRuns(runs: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const TYPES = ['voucher', 'threshold_coupon', 'gift', 'service', 'birthday_gift', 'win_back'];

async function reportFigures(dir: string, members: number, perDay: number, days: number) {
  const now = Date.now();
  const dbPath = join(dir, 'big.db');
  let t0 = performance.now();
  seedNewDatabase({ dbPath, members, seed: 'bench-dayend', now });
  const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const t = openTerminal(dbPath, { quickCheck: false, clock: () => now });
  try {
    const memberRows = t.db.prepare('SELECT id, tier FROM members WHERE tombstone = 0').all() as { id: string; tier: string }[];
    const staff = ['clerk-01', 'clerk-02', 'mgr-01'];
    const insert = t.db.prepare(
      `INSERT INTO operations(id, kind, member_id, benefit_id, staff_id, store_id, terminal_id, at, business_date, value_fen, points, detail_json, offline, synced)
       VALUES (?, 'redeem', ?, 'B-VOUCHER-20', ?, ?, ?, ?, ?, ?, 0, ?, 0, 1)`,
    );
    t0 = performance.now();
    t.db.transaction(() => {
      for (let d = 0; d < days; d++) {
        for (let i = 0; i < perDay; i++) {
          const at = now - d * DAY_MS - (i % 36_000) * 1000;
          const type = TYPES[i % TYPES.length]!;
          const m = memberRows[(d * perDay + i) % memberRows.length]!;
          // As redeemBenefit writes it: the benefit type and the tier the member held.
          const detail = `{"benefitType":"${type}","tier":"${m.tier}"}`;
          insert.run(newUuidV7(), m.id, staff[i % 3]!, DEMO_STORE.id, DEMO_TERMINAL, at, businessDate(at, t.service.deps.identity.tz), 1_000 + (i % 50) * 100, detail);
        }
      }
    }).immediate();
    const loadSeconds = Math.round((performance.now() - t0) / 100) / 10;
    t.db.pragma('analysis_limit = 1000');
    t.db.exec('ANALYZE');
    const deps = t.service.deps;
    const today = businessDate(now, deps.identity.tz);
    const report = stats(timeRuns(15, () => computeDayReport(deps, today)));
    // Nothing closed yet: every day of the month is scanned.
    const kpisAllOpen = stats(timeRuns(5, () => computeKpis(deps, today)));
    t0 = performance.now();
    const closed = closeDay(deps, { staffId: 'mgr-01' });
    const closeMs = Math.round(performance.now() - t0);
    // The usual case: the 29 days before were closed at their day-ends; only today is scanned.
    for (let d = 1; d < days; d++) closeDay(deps, { staffId: 'mgr-01', date: businessDate(now - d * DAY_MS, deps.identity.tz) });
    const kpis = stats(timeRuns(7, () => computeKpis(deps, today)));
    return {
      members,
      seedSeconds,
      redemptions: { perDay, days, loadSeconds },
      zReport: { ...report, redemptions: closed.report.redemptions.count, targetMs: 200 },
      closeDay: { ms: closeMs, expiredLotsWrittenOff: closed.expiry.lots, note: 'includes the expiry sweep over every point lot' },
      kpis30Days: { ...kpis, targetMs: 500, note: 'past days closed (read from their kept Z-reports), today scanned' },
      kpis30DaysNothingClosed: { ...kpisAllOpen, note: 'no day closed: all 30 days scanned' },
    };
  } finally {
    t.close();
  }
}

async function syncFigures(dir: string, events: number) {
  const url = process.env.DATABASE_URL;
  const schema = url ? `bench_dayend_${randomBytes(4).toString('hex')}` : undefined;
  if (url) {
    const root = await openHqDb({ url });
    await root.exec(`CREATE SCHEMA ${schema}`);
    await root.close();
  }
  const token = randomBytes(12).toString('hex');
  const hq = await startHq({ ...(url ? { url, schema } : {}), adminToken: token, onError: () => undefined });
  try {
    const admin = adminClient(hq.url, token);
    await seedDemoAtHq(admin, { members: 2_000, seed: 'bench-dayend', now: Date.now(), hqKeyFile: join(dir, 'hq-key.json') }, () => undefined);
    const { code } = (await admin('POST', '/v1/admin/enrollment-codes', { storeId: DEMO_STORE.id })) as { code: string };
    const dbPath = join(dir, 'sync', 'desk.db');
    await enrollTerminal({ dbPath, hqUrl: hq.url, code });
    const t = openTerminal(dbPath, { connectivity: () => ({ online: true }) });
    try {
      await syncOnce(t.db, { pullLimit: 5_000 });
      const members = (t.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id").all() as { id: string }[]).map((r) => r.id);
      for (let i = 0; i < events; i++) t.service.redeem({ memberId: members[i % members.length]!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      let progressEvents = 0;
      const t0 = performance.now();
      const result = await runDayEnd(t.service.deps, {
        staffId: 'mgr-01',
        sync: (onProgress) => syncOnce(t.db, { onProgress, pullLimit: 5_000 }),
        onProgress: () => progressEvents++,
      });
      const seconds = Math.round((performance.now() - t0) / 10) / 100;
      return {
        hq: url ? 'postgresql' : 'pglite',
        events,
        seconds,
        synced: result.sync.ok,
        pushed: result.sync.ok ? result.sync.pushed : 0,
        waitingAfter: result.waiting,
        progressEvents,
        redemptionsInReport: result.report.redemptions.count,
        targetSeconds: 10,
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
  }
}

export async function benchDayEnd(options: { members?: number; perDay?: number; days?: number; syncEvents?: number } = {}): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-dayend-'));
  try {
    const report = await reportFigures(dir, options.members ?? 1_000_000, options.perDay ?? 10_000, options.days ?? 30);
    const sync = await syncFigures(dir, options.syncEvents ?? 5_000);
    return { ...report, dayEndSync: sync };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A store row whose time zone the runtime does not know (a hostile or broken HQ; HQ's own admin
// refuses one) is set aside like any row the terminal cannot parse. Before, it was applied: the
// desk's meta.tz became the bad zone and, from its next start, every earn threw
// "RangeError: Invalid time zone specified" — one pulled row stopped the desk working offline.
// Real HQ (PGlite) on loopback behind a proxy that adds the rows; generated zones, the runtime's
// Intl as the oracle. An enrollment answer naming such a zone is refused too.
import { mulberry32 } from '../../src/bench/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMeta } from '../../src/store/meta';
import { enrollResponseSchema } from '../../src/sync/protocol';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { enrollNew, openAt, seedHq, startTestHq, type TestHq } from '../hq/harness';
import { startInjectProxy } from './injectProxy';

const known = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Zones Intl refuses: near misses of real ones, and generated strings. */
function badZones(n: number): string[] {
  const random = mulberry32(11);
  const rnd = (k: number): number => Math.floor(random() * k);
  const alphabet = 'AaZz/_-+:0189 .\u0000\u202e中';
  const out = new Set(['Mars/Olympus', 'Asia/Shanghai ', 'Asia//Shanghai', 'UTC+8', 'GMT+25', '../etc/passwd', 'Asia/Shanghai\u0000', 'x'.repeat(64)]);
  while (out.size < n) out.add(Array.from({ length: 1 + rnd(20) }, () => alphabet[rnd(alphabet.length)]).join(''));
  return [...out].filter((z) => z.length > 0 && !known(z));
}

describe('a store row with a zone the desk cannot use', () => {
  const tmp = tempDir('ld-zone-');
  let hq: TestHq;
  beforeAll(async () => {
    hq = await startTestHq('pglite');
    await seedHq(hq, tmp.dir, 10);
  }, 60_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('is set aside; the desk keeps its zone and still records an earn after a restart', async () => {
    const proxy = await startInjectProxy(Number(new URL(hq.url).port));
    const dbPath = await enrollNew(proxy.url, hq.admin, tmp.dir, 'zone');
    try {
      let t = openAt(dbPath, { now: NOW });
      await syncOnce(t.db);
      const storeId = getMeta(t.db, 'store_id')!;
      const tz = getMeta(t.db, 'tz')!;
      const store = proxy.seen.find((c) => c.entity === 'store' && c.id === storeId) as { data: Record<string, unknown> };
      const member = proxy.seen.find((c) => c.entity === 'member' && c.deleted === false) as { id: string };
      const zones = badZones(60);
      expect(zones.length).toBeGreaterThan(40);
      proxy.inject = zones.map((zone, i) => ({ entity: 'store', id: storeId, seq: 9_000_000 + i, deleted: false, data: { ...store.data, tz: zone } }));
      const s = await syncOnce(t.db);
      proxy.inject = [];
      expect(s.setAside).toBe(zones.length);
      expect(getMeta(t.db, 'tz')).toBe(tz);
      t.close();

      t = openAt(dbPath, { now: NOW });
      const earned = t.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 10_000 }] });
      expect(earned.points).toBeGreaterThan(0);
      t.close();

      for (const zone of zones) {
        expect(enrollResponseSchema.safeParse({ ok: true, storeId: 'S1', terminalId: 'S1-T1', tz: zone, credential: `ldt_${'a'.repeat(43)}`, serverTime: NOW }).success, zone).toBe(false);
      }
      expect(enrollResponseSchema.safeParse({ ok: true, storeId: 'S1', terminalId: 'S1-T1', tz, credential: `ldt_${'a'.repeat(43)}`, serverTime: NOW }).success).toBe(true);
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

// No poison (issue 15 item 3, the terminal's half): a real HQ on loopback behind a proxy that spoils
// rows of its pull pages the way one bad event once did (a member month "29720-04"), or worse (rows
// that are not rows at all). The terminal applies every good row, sets each bad one aside with its
// reason, moves its cursor on and reports the sync as done; a second terminal is unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSyncState } from '../../src/store/syncState';
import { syncOnce } from '../../src/syncClient/syncRun';
import { deskApi } from '../helpers/sessions';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from '../hq/harness';
import { startPullRewriteProxy } from './injectProxy';

const MEMBERS = 80;

const setAsideCount = (db: { prepare(sql: string): { get(): unknown } }): number => (db.prepare('SELECT count(*) AS n FROM sync_set_aside').get() as { n: number }).n;

/** Forwards to HQ; on a pull page, spoils a month of its first member row, the whole data of its second, and adds two rows that are not rows. */
async function startPoisoningProxy(hqPort: number): Promise<{ url: string; close(): Promise<void>; spoiled: number }> {
  const state = { spoiled: 0 };
  const proxy = await startPullRewriteProxy(hqPort, (changes) => {
    const members = changes.filter((c) => c.entity === 'member' && c.deleted === false);
    const month = members[0]?.data as { months?: { month: string }[] } | undefined;
    if (month?.months?.[0]) {
      month.months[0].month = '29720-04';
      state.spoiled++;
    }
    if (members[1]) {
      members[1].data = 'not a member';
      state.spoiled++;
    }
    changes.push({ entity: 'member', garbage: true });
    changes.push(42 as unknown as Record<string, unknown>);
    state.spoiled += 2;
  });
  return {
    ...proxy,
    get spoiled() {
      return state.spoiled;
    },
  };
}

describe.each(BACKENDS)('rows a terminal cannot parse, on %s', (backend) => {
  const tmp = tempDir('ld-aside-');
  let hq: TestHq;
  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir, MEMBERS);
  }, 60_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('sets each one aside with its reason, applies the rest, moves on; an honest path is unaffected', async () => {
    const proxy = await startPoisoningProxy(Number(new URL(hq.url).port));
    try {
      const clock = { now: NOW };
      const poisoned = openAt(await enrollNew(proxy.url, hq.admin, tmp.dir, 'poisoned'), clock);
      const honest = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'honest'), clock);
      try {
        const first = await syncOnce(poisoned.db, { pullLimit: 25 });
        expect(first.setAside).toBe(proxy.spoiled);
        expect(first.pages).toBeGreaterThan(1);
        await syncOnce(honest.db, { pullLimit: 25 });
        const aside = poisoned.db.prepare('SELECT entity, entity_id, reason, row_json FROM sync_set_aside ORDER BY id').all() as { entity: string | null; entity_id: string | null; reason: string; row_json: string }[];
        expect(aside.length).toBe(proxy.spoiled);
        expect(setAsideCount(poisoned.db)).toBe(proxy.spoiled);
        expect(aside.some((a) => a.row_json.includes('29720-04') && a.entity === 'member' && /months/.test(a.reason))).toBe(true);
        expect(aside.some((a) => a.row_json === '42' && a.entity === null)).toBe(true);
        // Everything else arrived: the members HQ holds, less the ones whose rows were spoiled.
        const spoiledMembers = new Set(aside.filter((a) => a.entity === 'member' && a.entity_id !== null).map((a) => a.entity_id));
        const n = (db: typeof poisoned.db) => (db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n;
        expect(n(poisoned.db)).toBe(n(honest.db) - spoiledMembers.size);
        expect(getSyncState(poisoned.db, 'cursor')).not.toBeNull();
        expect(setAsideCount(honest.db)).toBe(0);
        expect(n(honest.db)).toBeGreaterThanOrEqual(MEMBERS);

        // Reported to HQ once each — what and why, never the row — and shown to the manager.
        expect(first.setAsideReported).toBe(proxy.spoiled);
        const reports = ((await hq.admin('GET', '/v1/admin/set-aside')) as { setAside: { entity: string | null; entityId: string | null; reason: string }[] }).setAside;
        expect(reports).toHaveLength(proxy.spoiled);
        expect(reports.some((r) => r.entity === 'member' && /months/.test(r.reason))).toBe(true);
        expect(JSON.stringify(reports)).not.toContain('29720-04');
        // The proxy spoils the next pull's page too: only those new rows are reported, nothing twice.
        const again = await syncOnce(poisoned.db, { pullLimit: 25 });
        expect(again.setAsideReported).toBe(again.setAside);
        expect(((await hq.admin('GET', '/v1/admin/set-aside')) as { setAside: unknown[] }).setAside).toHaveLength(proxy.spoiled);
        const api = deskApi(poisoned.service);
        expect((await api['staff.signIn']({ pin: '9999' })).ok).toBe(true);
        const shown = await api['manager.setAside']({});
        expect(shown.ok && shown.value.length).toBe(proxy.spoiled);
        expect(shown.ok && shown.value.every((r) => r.reported)).toBe(true);
      } finally {
        poisoned.close();
        honest.close();
      }
    } finally {
      await proxy.close();
    }
  }, 120_000);
});

// HQ's offline risk limits reach the terminal by pull, refuse offline redemptions past them, and
// the refusal lifts once a sync has taken the unsynced value to HQ (or renewed the last sync time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIdentity } from '../../src/store/meta';
import { syncOnce } from '../../src/syncClient/syncRun';
import { codeOf } from '../helpers/codeOf';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';

const HOUR = 3_600_000;

describe.each(BACKENDS)('offline risk limits set at HQ (%s)', (backend) => {
  let hq: TestHq;
  const tmp = tempDir('ld-limits-');
  const clock = { now: NOW };
  const sync = (db: Parameters<typeof syncOnce>[0]) => syncOnce(db, { now: () => clock.now });

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
  }, 60_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('refuses past the unsynced total and past the hours since the last sync, until the terminal syncs', async () => {
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'limits');
    const first = openAt(dbPath, clock);
    const terminalId = readIdentity(first.db)!.terminalId;
    await hq.admin('PUT', `/v1/admin/terminals/${terminalId}/limits`, {
      offline: { maxValuePerRedemptionFen: 10_000, maxUnsyncedValueFen: 3_000, maxPointsBurnedPerMember: 1_000, maxHoursSinceSync: 24 },
    });
    await sync(first.db);
    first.close();

    const t = openAt(dbPath, clock); // offline: HQ is not reachable from the desk's point of view
    try {
      const redeem = (memberId: string) => () => t.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
      expect(codeOf(redeem('M00000001'))).toBe('no error'); // 2,000 of 3,000 fen unsynced
      const before = t.db.prepare('SELECT count(*) AS n FROM operations').get();
      expect(codeOf(redeem('M00000002'))).toBe('OFFLINE_TOTAL_CAP'); // 4,000 would pass 3,000
      expect(t.db.prepare('SELECT count(*) AS n FROM operations').get()).toEqual(before);

      const pushed = await sync(t.db);
      expect(pushed.pushed).toBe(1);
      expect(codeOf(redeem('M00000002'))).toBe('no error'); // the value is at HQ now

      await sync(t.db);
      clock.now += 25 * HOUR; // a day without reaching HQ
      expect(codeOf(redeem('M00000004'))).toBe('OFFLINE_SYNC_TOO_OLD');
      await sync(t.db);
      expect(codeOf(redeem('M00000004'))).toBe('no error');
    } finally {
      t.close();
      clock.now = NOW;
    }
  }, 60_000);
});

// Usage limits across terminals (issue 17 item 4, docs/sync.md "Usage across terminals"): HQ sends
// each member's brand-wide use of benefits with the member (protocol v2), so once terminal B has
// synced, a once-per-member benefit used at terminal A is refused at B, and so is a once-a-day one
// used today; a void at A gives the use back everywhere. Real HQ on loopback (PGlite, and PostgreSQL
// with DATABASE_URL), two real SQLite terminals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOnce } from '../../src/syncClient/syncRun';
import { codeOf } from '../helpers/codeOf';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from './harness';

describe.each(BACKENDS)('usage limits across terminals, on %s', (backend) => {
  let hq: TestHq;
  const tmp = tempDir('ld-usage-');
  let a: ReturnType<typeof openAt>;
  let b: ReturnType<typeof openAt>;
  const clock = { now: NOW };

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
    a = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'a'), clock, true);
    b = openAt(await enrollNew(hq.url, hq.admin, tmp.dir, 'b'), clock, true);
    await syncOnce(a.db);
    await syncOnce(b.db);
  });
  afterAll(async () => {
    a?.close();
    b?.close();
    await hq?.stop();
    tmp.cleanup();
  });

  const core = () => (a.db.prepare("SELECT id FROM members WHERE status = 'active' AND tier IN ('core', 'premium') ORDER BY id LIMIT 1").get() as { id: string }).id;
  const eligible = (t: typeof a, memberId: string, benefitId: string) => t.service.memberCard({ memberId }).benefits.find((x) => x.id === benefitId)?.eligible;

  it('refuses at B, after B syncs, what A used up: once per member, and once a day', async () => {
    const m = core();
    a.service.redeem({ memberId: m, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' });
    a.service.redeem({ memberId: m, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-01', amountFen: 20_000 });
    // Before either syncs, B knows only its own redemptions: the limit is per terminal.
    expect(eligible(b, m, 'B-GIFT-MUG')).toBe(true);
    await syncOnce(a.db);
    await syncOnce(b.db);
    expect(eligible(b, m, 'B-GIFT-MUG')).toBe(false);
    expect(codeOf(() => b.service.redeem({ memberId: m, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' }))).toBe('ALREADY_REDEEMED');
    expect(codeOf(() => b.service.redeem({ memberId: m, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-01', amountFen: 20_000 }))).toBe('DAILY_LIMIT_REACHED');
    const card = b.service.memberCard({ memberId: m });
    expect(card.benefits.find((x) => x.id === 'B-GIFT-MUG')?.used).toBe(1);
    // The next day the daily one is B's to give again; the once-per-member one never.
    clock.now = NOW + 86_400_000;
    hq.setClock(clock.now);
    expect(codeOf(() => b.service.redeem({ memberId: m, benefitId: 'B-THRESHOLD-100-10', staffId: 'clerk-01', amountFen: 20_000 }))).toBe('no error');
    expect(codeOf(() => b.service.redeem({ memberId: m, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' }))).toBe('ALREADY_REDEEMED');
    clock.now = NOW;
    hq.setClock(NOW);
  });

  it('gives the use back at B when A voids the redemption and both sync', async () => {
    const m = (a.db.prepare("SELECT id FROM members WHERE status = 'active' AND tier IN ('core', 'premium') ORDER BY id LIMIT 1 OFFSET 1").get() as { id: string }).id;
    const r = a.service.redeem({ memberId: m, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' });
    await syncOnce(a.db);
    await syncOnce(b.db);
    expect(eligible(b, m, 'B-GIFT-MUG')).toBe(false);
    a.service.voidOperation({ opId: r.opId, staffId: 'clerk-01', approverId: 'mgr-01' });
    await syncOnce(a.db);
    await syncOnce(b.db);
    expect(eligible(b, m, 'B-GIFT-MUG')).toBe(true);
    // B's own redemption counts at once at B, and at A after A syncs.
    b.service.redeem({ memberId: m, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' });
    expect(eligible(b, m, 'B-GIFT-MUG')).toBe(false);
    await syncOnce(b.db);
    await syncOnce(a.db);
    expect(codeOf(() => a.service.redeem({ memberId: m, benefitId: 'B-GIFT-MUG', staffId: 'clerk-01' }))).toBe('ALREADY_REDEEMED');
  });
});

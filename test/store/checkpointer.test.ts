import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { seedDemoDb } from '../helpers/demoDb';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function walGrowth(backgroundCheckpoints: boolean): Promise<{ afterFirst: number; afterLast: number; autocheckpoint: unknown }> {
  const seeded = seedDemoDb(200);
  const t = openTerminal(seeded.dbPath, { connectivity: () => ({ online: true }), backgroundCheckpoints });
  if (!backgroundCheckpoints) t.db.pragma('wal_autocheckpoint = 0');
  cleanups.push(async () => {
    await t.closeAsync();
    seeded.cleanup();
  });
  const members = (t.db.prepare("SELECT id FROM members WHERE status = 'active' LIMIT 150").all() as { id: string }[]).map((r) => r.id);
  const wal = () => statSync(`${seeded.dbPath}-wal`).size;
  let afterFirst = 0;
  for (let burst = 0; burst < 6; burst++) {
    for (const id of members.slice(burst * 25, burst * 25 + 25)) t.service.redeem({ memberId: id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    if (burst === 0) afterFirst = wal();
    await new Promise((r) => setTimeout(r, 600));
  }
  return { afterFirst, afterLast: wal(), autocheckpoint: t.db.pragma('wal_autocheckpoint', { simple: true }) };
}

describe('background checkpoints', () => {
  it('keep the write-ahead log from growing while the committing connection never checkpoints', async () => {
    const withWorker = await walGrowth(true);
    expect(withWorker.autocheckpoint).toBe(0);
    expect(withWorker.afterLast).toBeLessThanOrEqual(withWorker.afterFirst * 1.5);
    // The control: the same work with no checkpoints at all grows the log burst after burst.
    const without = await walGrowth(false);
    expect(without.afterLast).toBeGreaterThan(without.afterFirst * 3);
  });
});

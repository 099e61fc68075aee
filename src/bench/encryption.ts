// What encryption at rest costs (issue 16, docs/encryption.md): the same demo data seeded into an
// encrypted and a plain file (1,000,000 members; --quick 20,000), then the redemption commit measured
// on each, in rounds that alternate between the two so the machine's noise falls on both alike.
// Figures: seed seconds and redemption p50/p99, each encrypted ÷ plain. The initial sync's ratio is
// the sync area's (`initialSync.plainTerminal`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../store/open';
import { seedDemo } from '../terminal/demo/seed';
import { openTerminal } from '../terminal/operations/openTerminal';
import { benchRedeem } from './redeem';

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function seedInto(path: string, members: number, plaintext: boolean, dir: string): number {
  const t0 = performance.now();
  const { db } = openStore(path, { create: true, plaintext });
  try {
    seedDemo(db, { members, seed: 'bench-enc', now: Date.now(), hqKeyFile: join(dir, `hq-key-${plaintext ? 'plain' : 'enc'}.json`) });
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return (performance.now() - t0) / 1000;
}

export async function benchEncryption(quick: boolean): Promise<Record<string, unknown>> {
  const members = quick ? 20_000 : 1_000_000;
  const rounds = quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-enc-'));
  try {
    const paths = { encrypted: join(dir, 'enc.db'), plain: join(dir, 'plain.db') };
    const seed = { encrypted: seedInto(paths.encrypted, members, false, dir), plain: seedInto(paths.plain, members, true, dir) };
    const p50 = { encrypted: [] as number[], plain: [] as number[] };
    const p99 = { encrypted: [] as number[], plain: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      for (const kind of r % 2 === 0 ? (['encrypted', 'plain'] as const) : (['plain', 'encrypted'] as const)) {
        const t = openTerminal(paths[kind], { plaintext: kind === 'plain', connectivity: () => ({ online: true }), backgroundCheckpoints: true });
        try {
          const f = benchRedeem(t, paths[kind], members, { warmup: 30, count: quick ? 300 : 600, maxMs: 10_000 });
          p50[kind].push(f.p50Ms);
          p99[kind].push(f.p99Ms);
        } finally {
          await t.closeAsync();
        }
      }
    }
    const m = (xs: { encrypted: number[]; plain: number[] }) => ({ encrypted: round(median(xs.encrypted)), plain: round(median(xs.plain)), ratio: round(median(xs.encrypted) / median(xs.plain), 2) });
    return {
      members,
      rounds,
      seedSeconds: { encrypted: round(seed.encrypted, 2), plain: round(seed.plain, 2), ratio: round(seed.encrypted / seed.plain, 2) },
      redeemP50Ms: m(p50),
      redeemP99Ms: { ...m(p99), target: 1.3 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

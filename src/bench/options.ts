// Benchmark flags: --members N, --db FILE or --data DIR (reuse a seeded database), --quick, --keep.
import { z } from 'zod';
import { check, dbPathFrom, intArg, type Flags } from '../cli/args';
import type { LoopBounds } from './stats';

export interface BenchPlan {
  members: number;
  /** An existing seeded database to copy and measure instead of seeding one. */
  reuseDb: string | null;
  quick: boolean;
  keep: boolean;
  lookup: LoopBounds;
  card: LoopBounds;
  redeem: LoopBounds;
  bareTx: LoopBounds;
  sustained: { count: number; maxMs: number };
  opens: { count: number; maxMs: number };
}

export function planFrom(flags: Flags): BenchPlan {
  const quick = flags.quick === true;
  const defaultMembers = quick ? 100_000 : 1_000_000;
  const members =
    flags.members === undefined
      ? defaultMembers
      : check(intArg(5_000_000).pipe(z.number().min(1_000)), flags.members, 'members');
  const reuseDb = flags.db === undefined && flags.data === undefined ? null : dbPathFrom(flags);
  const scale = quick ? 0.25 : 1;
  const n = (x: number) => Math.max(50, Math.round(x * scale));
  return {
    members,
    reuseDb,
    quick,
    keep: flags.keep === true,
    lookup: { warmup: n(2_000), count: n(20_000), maxMs: 10_000 },
    card: { warmup: n(400), count: n(5_000), maxMs: 10_000 },
    redeem: { warmup: 50, count: n(2_000), maxMs: 20_000 },
    bareTx: { warmup: 50, count: n(2_000), maxMs: 20_000 },
    sustained: quick ? { count: 3_000, maxMs: 2_000 } : { count: 10_000, maxMs: 5_000 },
    opens: quick ? { count: 3, maxMs: 20_000 } : { count: 5, maxMs: 60_000 },
  };
}

// Seeds the benchmark database in a child process, the way an operator would
// (`loyalty-desk seed --db FILE --members N`), and reads the child's wall time and peak RSS.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fileBytes, lastJson, run } from './proc';
import { mb, round } from './stats';

export const CLI = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
const SEED_CHILD = fileURLToPath(new URL('./seedChild.mjs', import.meta.url));
const GNU_TIME = '/usr/bin/time';

export interface SeedFigures {
  seconds: number;
  peakRssMB: number;
  rssSource: '/usr/bin/time -v' | 'child process.resourceUsage()';
  dbBytes: number;
  walBytes: number;
  /** The largest -wal file seen while seeding (polled every 100 ms): the seed's extra disk. */
  peakWalBytes: number;
  members: number;
}

/** Peak RSS in KB from GNU time's "Maximum resident set size (kbytes): N" or our child's own line. */
function peakRssKb(stderr: string): number | null {
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /BENCH_MAX_RSS_KB=(\d+)/.exec(stderr);
  return m?.[1] === undefined ? null : Number(m[1]);
}

export async function seedInChild(dbPath: string, members: number, log: (l: string) => void): Promise<SeedFigures> {
  const useTime = existsSync(GNU_TIME);
  const seedArgs = ['--db', dbPath, '--members', String(members)];
  const [cmd, args] = useTime
    ? [GNU_TIME, ['-v', process.execPath, CLI, 'seed', ...seedArgs]]
    : [process.execPath, [SEED_CHILD, ...seedArgs]];
  log(`seeding ${members} members: ${[cmd, ...args].join(' ')}`);
  let peakWalBytes = 0;
  const poll = setInterval(() => (peakWalBytes = Math.max(peakWalBytes, fileBytes(`${dbPath}-wal`))), 100);
  const res = await run(cmd, args, 10 * 60_000).finally(() => clearInterval(poll));
  const answer = lastJson(res.stdout);
  if (res.code !== 0 || answer.ok !== true) {
    throw new Error(`seed failed (exit ${res.code}): ${res.stdout.slice(0, 500)} ${res.stderr.slice(-1000)}`);
  }
  const kb = peakRssKb(res.stderr);
  return {
    seconds: round(res.ms / 1000, 2),
    peakRssMB: kb === null ? Number.NaN : mb(kb * 1024),
    rssSource: useTime ? '/usr/bin/time -v' : 'child process.resourceUsage()',
    dbBytes: fileBytes(dbPath),
    walBytes: fileBytes(`${dbPath}-wal`),
    peakWalBytes,
    members: typeof answer.members === 'number' ? answer.members : members,
  };
}

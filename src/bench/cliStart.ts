// What every `loyalty-desk` command pays to start, on the built JavaScript: a real command
// (`loyalty-desk member --db F --id M` on a 2,000-member demo database) against a bare `node -e 0`,
// run alternately in the same run so both see the same machine. The ratio is the figure (issue 14:
// at most 4×); absolute times move with the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJson, run } from './proc';
import { CLI } from './seed';
import { round } from './stats';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export async function benchCliStart(runs = 15): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'ld-bench-cli-'));
  try {
    const db = join(dir, 'desk.db');
    // Seeding also builds dist/ when a source is newer, so no build lands inside the timed calls.
    const seeded = await run(process.execPath, [CLI, 'seed', '--db', db, '--members', '2000'], 300_000);
    if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stdout.slice(0, 300)} ${seeded.stderr.slice(0, 300)}`);
    const member = [CLI, 'member', '--db', db, '--id', 'M00000003'];
    const warm = await run(process.execPath, member, 60_000);
    if (warm.code !== 0 || lastJson(warm.stdout).ok !== true) throw new Error(`member failed: ${warm.stdout.slice(0, 300)}`);
    const node: number[] = [];
    const cli: number[] = [];
    for (let i = 0; i < runs; i++) {
      node.push((await run(process.execPath, ['-e', '0'], 30_000)).ms);
      const r = await run(process.execPath, member, 60_000);
      if (r.code !== 0) throw new Error(`member call ${i} exit ${r.code}`);
      cli.push(r.ms);
    }
    const nodeMs = median(node);
    const memberMs = median(cli);
    return {
      n: runs,
      nodeMs: round(nodeMs, 1),
      memberMs: round(memberMs, 1),
      ratio: round(memberMs / nodeMs, 2),
      target: 'ratio ≤ 4',
      note: '`loyalty-desk member --db F --id M` (2,000-member demo database, built dist/) vs `node -e 0`, medians of alternating runs',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// What every CLI call pays before it does anything: openTerminal on the seeded file, with the
// PRAGMA quick_check it runs by default, and without it to show that check's share.
import { openTerminal, type OpenTerminalOptions } from '../terminal/operations/openTerminal';
import { lastJson, run } from './proc';
import { CLI } from './seed';
import { percentile, round } from './stats';

export interface OpenFigures {
  n: number;
  /** Median of openTerminal + close, quick_check included (the default). */
  ms: number;
  firstMs: number;
  maxMs: number;
  withoutQuickCheckMs: number;
}

function timeOpens(dbPath: string, options: OpenTerminalOptions, bounds: { count: number; maxMs: number }): number[] {
  const times: number[] = [];
  const deadline = Date.now() + bounds.maxMs;
  while (times.length < bounds.count && (times.length === 0 || Date.now() < deadline)) {
    const t0 = process.hrtime.bigint();
    openTerminal(dbPath, options).close();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

const median = (xs: number[]) => round(percentile(Float64Array.from(xs).sort(), 0.5), 2);

export function benchOpen(dbPath: string, options: OpenTerminalOptions, bounds: { count: number; maxMs: number }): OpenFigures {
  const full = timeOpens(dbPath, options, bounds);
  const bare = timeOpens(dbPath, { ...options, quickCheck: false }, bounds);
  return {
    n: full.length,
    ms: median(full),
    firstMs: round(full[0] ?? Number.NaN, 2),
    maxMs: round(Math.max(...full), 2),
    withoutQuickCheckMs: median(bare),
  };
}

/**
 * Wall time of a whole `loyalty-desk member --id …` call (Node start, the built bundle, imports, open with
 * quick_check, card), and of `loyalty-desk member` with no id, refused before any database is
 * opened: what every command pays to start.
 */
export async function benchCliCall(dbPath: string, memberId: string, count: number) {
  const member: number[] = [];
  const startup: number[] = [];
  for (let i = 0; i < count; i++) {
    const res = await run(process.execPath, [CLI, 'member', '--db', dbPath, '--id', memberId], 120_000);
    if (res.code !== 0 || lastJson(res.stdout).ok !== true) throw new Error(`member call failed: ${res.stdout.slice(0, 300)}`);
    member.push(res.ms);
    const refused = await run(process.execPath, [CLI, 'member', '--db', dbPath], 120_000);
    if (refused.code !== 2) throw new Error(`member without --id: exit ${refused.code}, expected 2`);
    startup.push(refused.ms);
  }
  return { n: member.length, ms: median(member), startupMs: median(startup) };
}

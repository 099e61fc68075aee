// Timing helpers for the benchmark: bounded loops timed with process.hrtime.bigint(), and
// percentiles read from the sorted samples (nearest-rank). On a shared machine the tail is mostly
// other processes taking the CPU, so each sample also records whether the process was preempted
// (an involuntary context switch, read outside the timed window), and p99 is given both ways.
import { mulberry32 } from './prng';

export interface Summary {
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  /** p99 of the samples during which no involuntary context switch happened. */
  p99UnpreemptedMs: number;
  preemptedPct: number;
}

export interface LoopBounds {
  /** Untimed calls first, to fill caches and let the JIT settle. */
  warmup: number;
  /** Timed calls at most. */
  count: number;
  /** Wall-clock budget for the timed calls, in milliseconds. */
  maxMs: number;
}

/** The value at quantile q (0..1) of ascending samples, nearest-rank. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(samples: Float64Array, preempted?: Uint8Array): Summary {
  const sorted = Float64Array.from(samples).sort();
  const quiet = Float64Array.from(samples.filter((_, i) => !preempted?.[i])).sort();
  let sum = 0;
  for (const s of sorted) sum += s;
  return {
    n: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
    meanMs: round(sorted.length ? sum / sorted.length : Number.NaN),
    p99UnpreemptedMs: round(percentile(quiet, 0.99)),
    preemptedPct: sorted.length ? round((100 * (sorted.length - quiet.length)) / sorted.length, 1) : 0,
  };
}

/** Collects timed samples of one call, each marked when the process was preempted during it. */
export class Sampler {
  readonly samples: Float64Array;
  readonly preempted: Uint8Array;
  n = 0;
  constructor(readonly capacity: number) {
    this.samples = new Float64Array(capacity);
    this.preempted = new Uint8Array(capacity);
  }
  get full(): boolean {
    return this.n >= this.capacity;
  }
  /** Times fn(i) once, where i counts this sampler's calls; returns the end time. */
  time(fn: (i: number) => void, offset: number): bigint {
    const switches = process.resourceUsage().involuntaryContextSwitches;
    const t0 = process.hrtime.bigint();
    fn(offset + this.n);
    const t1 = process.hrtime.bigint();
    this.preempted[this.n] = process.resourceUsage().involuntaryContextSwitches === switches ? 0 : 1;
    this.samples[this.n++] = Number(t1 - t0) / 1e6;
    return t1;
  }
  summary(): Summary {
    return summarize(this.samples.subarray(0, this.n), this.preempted.subarray(0, this.n));
  }
}

const deadlineIn = (ms: number) => process.hrtime.bigint() + BigInt(Math.round(ms)) * 1_000_000n;

/** Calls fn(i) for warmup untimed rounds, then times each call until count or maxMs is reached. */
export function timeLoop(fn: (i: number) => void, bounds: LoopBounds): Summary {
  const warmDeadline = deadlineIn(bounds.maxMs);
  for (let i = 0; i < bounds.warmup && process.hrtime.bigint() < warmDeadline; i++) fn(i);
  const s = new Sampler(bounds.count);
  const deadline = deadlineIn(bounds.maxMs);
  while (!s.full && s.time(fn, bounds.warmup) <= deadline);
  return s.summary();
}

/**
 * Times two calls in alternating blocks, so both see the same machine: a disk or a neighbour
 * that slows down mid-run weighs on the product and on its floor alike.
 */
export function timePair(a: (i: number) => void, b: (i: number) => void, bounds: LoopBounds, block: number): { a: Summary; b: Summary } {
  const warmDeadline = deadlineIn(bounds.maxMs);
  for (let i = 0; i < bounds.warmup && process.hrtime.bigint() < warmDeadline; i++) {
    a(i);
    b(i);
  }
  const sa = new Sampler(bounds.count);
  const sb = new Sampler(bounds.count);
  const deadline = deadlineIn(bounds.maxMs * 2);
  let now = process.hrtime.bigint();
  while ((!sa.full || !sb.full) && now <= deadline) {
    for (let k = 0; k < block && !sa.full; k++) now = sa.time(a, bounds.warmup);
    for (let k = 0; k < block && !sb.full; k++) now = sb.time(b, bounds.warmup);
  }
  return { a: sa.summary(), b: sb.summary() };
}

export function round(x: number, digits = 4): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 2) : Number.NaN;
}

/** mulberry32 (src/bench/prng.ts): every bench run draws the same members. */
export const rng = mulberry32;

export function msSince(t0: bigint): number {
  return round(Number(process.hrtime.bigint() - t0) / 1e6, 3);
}

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}

// Where a commit's time goes: WAL bytes each commit appends (pages × 4 KB, what the fsync must
// flush), the commit's cost with synchronous=OFF (CPU and write() without the fsync), and what a
// plain write + fdatasync costs on this disk (the floor under every durable commit).
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/open';
import { fileBytes } from './proc';
import { percentile, round, summarize, timeLoop, type LoopBounds } from './stats';

export interface CommitDiagnosis {
  walBytesPerCommit: number;
  walPagesPerCommit: number;
  syncOffP50Ms: number;
  syncOffP99Ms: number;
  /** The WAL checkpoint every `autocheckpointPages` pages of commits runs inside the commit that crosses it. */
  autocheckpointPages: number;
  /** Median time of a checkpoint run each time the WAL reached that size (null: it never did). */
  checkpointMs: number | null;
  checkpoints: number;
}

/**
 * Runs fn for `bounds.count` commits twice: once checkpointing by hand each time the WAL reaches
 * the autocheckpoint size (to read the WAL growth and time each checkpoint), once with
 * synchronous=OFF to time everything but the fsync. Restores both settings after.
 */
export function diagnoseCommit(db: Db, dbPath: string, fn: (i: number) => void, bounds: LoopBounds, first: number): CommitDiagnosis {
  const autockpt = Number(db.pragma('wal_autocheckpoint', { simple: true }));
  const sync = Number(db.pragma('synchronous', { simple: true }));
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  let i = first;
  let walBytes = 0;
  let n = 0;
  const checkpoints: number[] = [];
  try {
    db.pragma('wal_autocheckpoint = 0');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const deadline = Date.now() + bounds.maxMs;
    let wal = 0;
    for (; n < bounds.count && Date.now() < deadline; n++) {
      fn(i++);
      wal = fileBytes(`${dbPath}-wal`);
      if (autockpt <= 0 || wal < autockpt * (pageSize + 24)) continue;
      // As the autocheckpoint would, inside the commit that crossed the threshold.
      walBytes += wal;
      const t0 = process.hrtime.bigint();
      db.pragma('wal_checkpoint(TRUNCATE)');
      checkpoints.push(Number(process.hrtime.bigint() - t0) / 1e6);
      wal = 0;
    }
    walBytes = (walBytes + wal) / Math.max(1, n);
  } finally {
    db.pragma(`wal_autocheckpoint = ${autockpt}`);
  }
  let off;
  try {
    db.pragma('synchronous = OFF');
    off = timeLoop((k) => fn(i + k), bounds);
  } finally {
    db.pragma(`synchronous = ${sync}`);
  }
  return {
    walBytesPerCommit: Math.round(walBytes),
    // A WAL frame is a 24-byte header and one page.
    walPagesPerCommit: round(walBytes / (pageSize + 24), 2),
    syncOffP50Ms: off.p50Ms,
    syncOffP99Ms: off.p99Ms,
    autocheckpointPages: autockpt,
    checkpointMs: checkpoints.length ? round(percentile(Float64Array.from(checkpoints).sort(), 0.5), 2) : null,
    checkpoints: checkpoints.length,
  };
}

/** Append `kb` KB and fdatasync, over and over, in the benchmark's folder. */
export function diskFsync(dir: string, kb: number, count: number): { kb: number; p50Ms: number; p99Ms: number } {
  const path = join(dir, `fsync-${kb}k.bin`);
  const fd = openSync(path, 'w');
  const buf = Buffer.alloc(kb * 1024, 0x5a);
  const samples = new Float64Array(count);
  try {
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      writeSync(fd, buf);
      fdatasyncSync(fd);
      samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
  const s = summarize(samples);
  return { kb, p50Ms: s.p50Ms, p99Ms: s.p99Ms };
}

// Redemption commit latency (WAL, synchronous=FULL) beside a bare transaction that inserts as many
// rows of a similar size into a scratch table of the same file, on the same connection.
import type { Db } from '../store/open';
import type { OpenedTerminal } from '../terminal/operations/openTerminal';
import { diagnoseCommit, type CommitDiagnosis } from './diagnose';
import { randomActiveIds } from './members';
import { ratio, round, timePair, type LoopBounds } from './stats';

export const BENEFIT = 'B-VOUCHER-20';
export const STAFF = 'clerk-01';

export interface RedeemFigures {
  benefitId: string;
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  p99UnpreemptedMs: number;
  preemptedPct: number;
  bareTxP50Ms: number;
  bareTxP99Ms: number;
  ratioP50: number;
  ratioP99: number;
  rowsPerRedemption: number;
  rowsByTable: Record<string, number>;
  changesPerRedemption: number;
  bytesPerRedemption: number;
  bareRowBytes: number;
  journalMode: string;
  synchronous: number;
  diagnosis: { redeem: CommitDiagnosis; bareTx: CommitDiagnosis };
}

export function tableCounts(db: Db): Record<string, number> {
  const names = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'bench_scratch' ORDER BY name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(names.map((n) => [n, (db.prepare(`SELECT count(*) FROM "${n}"`).pluck().get() as number) ?? 0]));
}

function totalChanges(db: Db): number {
  return db.prepare('SELECT total_changes()').pluck().get() as number;
}

/** Bytes of the column values an operation wrote, as text: a fair size for the scratch rows. */
function bytesWritten(db: Db, opId: string): number {
  const queries = [
    'SELECT * FROM operations WHERE id = ?',
    'SELECT * FROM ledger WHERE op_id = ?',
    'SELECT * FROM outbox WHERE op_id = ?',
    'SELECT * FROM audit WHERE ref = ?',
    'SELECT * FROM print_jobs WHERE op_id = ?',
  ];
  let bytes = 0;
  for (const sql of queries) {
    for (const row of db.prepare(sql).all(opId) as Record<string, unknown>[]) {
      for (const v of Object.values(row)) bytes += v === null ? 1 : typeof v === 'string' ? Buffer.byteLength(v) : 8;
    }
  }
  return bytes;
}

/** Rows added per redemption, table by table, between two counts taken n redemptions apart. */
function rowsWritten(before: Record<string, number>, after: Record<string, number>, n: number) {
  const byTable: Record<string, number> = {};
  let rows = 0;
  for (const [name, count] of Object.entries(after)) {
    const d = count - (before[name] ?? 0);
    if (d !== 0) byTable[name] = round(d / n, 3);
    rows += d;
  }
  return { perRedemption: round(rows / n, 3), byTable };
}

export function benchRedeem(t: OpenedTerminal, dbPath: string, total: number, b: LoopBounds): RedeemFigures {
  const { db, service } = t;
  const diag: LoopBounds = { warmup: 20, count: Math.min(300, b.count), maxMs: b.maxMs / 2 };
  const ids = randomActiveIds(db, total, b.warmup + b.count + 2 * (diag.warmup + diag.count), 31);
  const opIds: string[] = [];
  const redeemOne = (i: number) => {
    opIds.push(service.redeem({ memberId: ids[i]!, benefitId: BENEFIT, staffId: STAFF }).opId);
  };

  // Calibrate on the warm-up redemptions: how many rows, of what size, one redemption writes.
  const counts0 = tableCounts(db);
  for (let i = 0; i < b.warmup; i++) redeemOne(i);
  const calibration = rowsWritten(counts0, tableCounts(db), b.warmup);
  const bytes = opIds.reduce((sum, id) => sum + bytesWritten(db, id), 0) / opIds.length;

  // The floor: as many rows, of the same average size, in one IMMEDIATE transaction.
  const perTx = Math.max(1, Math.round(calibration.perRedemption));
  const rowBytes = Math.max(1, Math.round(bytes / perTx));
  db.exec('CREATE TABLE IF NOT EXISTS bench_scratch(id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL) STRICT');
  const ins = db.prepare('INSERT INTO bench_scratch(k, v) VALUES (?, ?)');
  const payload = 'x'.repeat(rowBytes);
  const bareTx = db.transaction((i: number) => {
    for (let r = 0; r < perTx; r++) ins.run(`k${i}-${r}`, payload);
  });
  for (let i = 0; i < b.warmup; i++) bareTx.immediate(i);

  const before = tableCounts(db);
  const changesBefore = totalChanges(db);
  opIds.length = 0;
  const { a: product, b: bare } = timePair(redeemOne, (i) => bareTx.immediate(i), { ...b, warmup: 0 }, 25);
  const n = opIds.length;
  const changes = (totalChanges(db) - changesBefore - bare.n * perTx) / n;
  const written = rowsWritten(before, tableCounts(db), n);
  const diagnosis = {
    redeem: diagnoseCommit(db, dbPath, redeemOne, diag, b.warmup + n),
    bareTx: diagnoseCommit(db, dbPath, (i) => bareTx.immediate(i), diag, 0),
  };
  db.exec('DROP TABLE bench_scratch');

  return {
    benefitId: BENEFIT,
    n,
    p50Ms: product.p50Ms,
    p99Ms: product.p99Ms,
    maxMs: product.maxMs,
    p99UnpreemptedMs: product.p99UnpreemptedMs,
    preemptedPct: product.preemptedPct,
    bareTxP50Ms: bare.p50Ms,
    bareTxP99Ms: bare.p99Ms,
    ratioP50: ratio(product.p50Ms, bare.p50Ms),
    ratioP99: ratio(product.p99Ms, bare.p99Ms),
    rowsPerRedemption: written.perRedemption,
    rowsByTable: written.byTable,
    changesPerRedemption: round(changes, 3),
    bytesPerRedemption: Math.round(bytes),
    bareRowBytes: rowBytes,
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    diagnosis,
  };
}

/** Redemptions back to back until count or the time budget runs out. */
export function benchSustained(t: OpenedTerminal, total: number, bounds: { count: number; maxMs: number }) {
  const ids = randomActiveIds(t.db, total, bounds.count, 41);
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(bounds.maxMs) * 1_000_000n;
  let n = 0;
  while (n < bounds.count && process.hrtime.bigint() < deadline) {
    t.service.redeem({ memberId: ids[n]!, benefitId: BENEFIT, staffId: STAFF });
    n++;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { redemptions: n, seconds: round(seconds, 3), perSecond: Math.round(n / seconds) };
}

/**
 * The same, with `clients` callers at once going through the group commit the hosts use: what the
 * terminal sustains when redemptions arrive together (one fsync shared by each group).
 */
export async function benchSustainedGrouped(t: OpenedTerminal, total: number, bounds: { count: number; maxMs: number }, clients = 8) {
  const ids = randomActiveIds(t.db, total, bounds.count, 43);
  const before = t.service.commits.stats();
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(bounds.maxMs) * 1_000_000n;
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < bounds.count && process.hrtime.bigint() < deadline) {
      const memberId = ids[next++]!;
      await t.service.commits.run(() => t.service.redeem({ memberId, benefitId: BENEFIT, staffId: STAFF }));
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = t.service.commits.stats();
  const commits = after.commits - before.commits;
  const n = after.works - before.works;
  return { clients, redemptions: n, commits, meanGroup: round(n / Math.max(1, commits), 2), seconds: round(seconds, 3), perSecond: Math.round(n / seconds) };
}

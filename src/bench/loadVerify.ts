// After a load run, PostgreSQL itself is asked whether every event sent is stored exactly once, every
// operation applied once, every earn made one lot, and every terminal's last_seq is what it sent.
import type { HqDb } from '../hq/db';

export interface LoadRunVerification {
  sent: number;
  stored: number;
  storedDistinct: number;
  lost: number;
  /** Event ids stored that nobody sent, plus ids stored more than once, plus operations applied more than once. */
  duplicated: number;
  unexpected: number;
  operations: number;
  operationsDistinct: number;
  /** Earned points lots at HQ keyed by our op ids: each earn must have made exactly one. */
  earnLots: number;
  earnLotsExpected: number;
  /** Terminals whose HQ last_seq differs from the last seq they sent. */
  lastSeqMismatches: number;
}

export async function verify(db: HqDb, sentIds: Set<string>, earnIds: string[], expectedLastSeq: Map<string, number>): Promise<LoadRunVerification> {
  const rows = await db.query<{ id: string }>('SELECT id::text AS id FROM events');
  const stored = new Set<string>();
  let repeated = 0;
  for (const r of rows) {
    if (stored.has(r.id)) repeated++;
    stored.add(r.id);
  }
  let lost = 0;
  for (const id of sentIds) if (!stored.has(id)) lost++;
  let unexpected = 0;
  for (const id of stored) if (!sentIds.has(id)) unexpected++;
  const [ops] = await db.query<{ n: number; d: number }>('SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM operations');
  const [lots] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM members m, jsonb_array_elements(m.lots) l WHERE l->>'key' = ANY($1::text[])`,
    [earnIds],
  );
  const terms = await db.query<{ id: string; last_seq: number }>('SELECT id, last_seq FROM terminals');
  const got = new Map(terms.map((t) => [t.id, t.last_seq]));
  let lastSeqMismatches = 0;
  for (const [id, want] of expectedLastSeq) if (got.get(id) !== want) lastSeqMismatches++;
  const opsN = ops?.n ?? 0;
  return {
    sent: sentIds.size,
    stored: rows.length,
    storedDistinct: stored.size,
    lost,
    duplicated: repeated + unexpected + (opsN - (ops?.d ?? 0)) + Math.max(0, opsN - sentIds.size),
    unexpected,
    operations: opsN,
    operationsDistinct: ops?.d ?? 0,
    earnLots: lots?.n ?? 0,
    earnLotsExpected: earnIds.length,
    lastSeqMismatches,
  };
}

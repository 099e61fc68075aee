// Read paths: member lookup and the member card, each beside a floor of bare prepared SQL on the
// same connection and file.
//   lookup floor: SELECT * FROM members WHERE id = ?
//   card floor:   the same rows the card reads (member, 12 months, lots, usage, grants, stock,
//                 benefits), fetched raw — no JSON parsing, schema checks or rule evaluation.
import type { OpenedTerminal } from '../terminal/operations/openTerminal';
import { randomIds } from './members';
import { ratio, timePair, type LoopBounds, type Summary } from './stats';

export interface Compared {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  n: number;
  p99UnpreemptedMs: number;
  preemptedPct: number;
  floorP50Ms: number;
  floorP99Ms: number;
  ratioP50: number;
  ratioP99: number;
  floor: string;
}

function compare(product: Summary, floor: Summary, what: string): Compared {
  return {
    p50Ms: product.p50Ms,
    p99Ms: product.p99Ms,
    maxMs: product.maxMs,
    n: product.n,
    p99UnpreemptedMs: product.p99UnpreemptedMs,
    preemptedPct: product.preemptedPct,
    floorP50Ms: floor.p50Ms,
    floorP99Ms: floor.p99Ms,
    ratioP50: ratio(product.p50Ms, floor.p50Ms),
    ratioP99: ratio(product.p99Ms, floor.p99Ms),
    floor: what,
  };
}

/** Independent random id streams for floor and product, so neither reads pages the other just cached. */
function idStreams(total: number, b: LoopBounds, seed: number): { floor: string[]; product: string[] } {
  const n = b.warmup + b.count;
  return { floor: randomIds(total, n, seed), product: randomIds(total, n, seed + 1) };
}

export function benchLookup(t: OpenedTerminal, total: number, b: LoopBounds): Compared {
  const ids = idStreams(total, b, 11);
  const bare = t.db.prepare('SELECT * FROM members WHERE id = ?');
  let found = 0;
  const { a: product, b: floor } = timePair(
    (i) => {
      if (t.service.lookupMember({ memberId: ids.product[i]! }).id) found++;
    },
    (i) => {
      if (bare.get(ids.floor[i])) found++;
    },
    b,
    100,
  );
  if (found === 0) throw new Error('lookup found no members');
  return compare(product, floor, 'SELECT * FROM members WHERE id = ? (prepared)');
}

export function benchCard(t: OpenedTerminal, total: number, b: LoopBounds): Compared & { benefitsShown: number } {
  const ids = idStreams(total, b, 21);
  const { db } = t;
  const storeId = t.service.deps.identity.storeId;
  const q = {
    member: db.prepare('SELECT * FROM members WHERE id = ?'),
    months: db.prepare('SELECT month, visits, spend_fen FROM member_months WHERE member_id = ? AND month >= ?'),
    lots: db.prepare('SELECT id, earned_at, expires_at, remaining FROM point_lots WHERE member_id = ? AND remaining > 0'),
    usage: db.prepare(
      "SELECT benefit_id, count(*) AS n FROM operations WHERE member_id = ? AND kind = 'redeem' AND voided_by_op IS NULL GROUP BY benefit_id",
    ),
    grants: db.prepare('SELECT benefit_id, count(*) AS n FROM benefit_grants WHERE member_id = ? AND used_op_id IS NULL GROUP BY benefit_id'),
    stock: db.prepare('SELECT sku, qty FROM stock WHERE store_id = ?'),
    benefits: db.prepare('SELECT * FROM benefits WHERE tombstone = 0'),
  };
  let rows = 0;
  let shown = 0;
  const { a: product, b: floor } = timePair(
    (i) => {
      shown = t.service.memberCard({ memberId: ids.product[i]! }).benefits.length;
    },
    (i) => {
      const id = ids.floor[i];
      if (q.member.get(id)) rows++;
      rows += q.months.all(id, '0000-00').length + q.lots.all(id).length + q.usage.all(id).length + q.grants.all(id).length;
      rows += q.stock.all(storeId).length + q.benefits.all().length;
    },
    b,
    50,
  );
  if (rows === 0) throw new Error('card floor read nothing');
  return { ...compare(product, floor, 'the rows the card reads, as 7 bare prepared selects'), benefitsShown: shown };
}

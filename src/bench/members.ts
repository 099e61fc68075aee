// Which members the benchmark touches: random demo ids (M00000001…), drawn up front so the timed
// loops measure only the call under test.
import type { Db } from '../store/open';
import { memberIdFor } from '../terminal/demo/seed';
import { rng } from './stats';

export function memberCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n;
}

/** n random member ids out of 1..total (repeats allowed, as at a real desk). */
export function randomIds(total: number, n: number, seed: number): string[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => memberIdFor(1 + Math.floor(r() * total)));
}

/** n random ids of active members, who can redeem (the demo data revokes about 0.5%). */
export function randomActiveIds(db: Db, total: number, n: number, seed: number): string[] {
  const status = db.prepare('SELECT status FROM members WHERE id = ? AND tombstone = 0').pluck();
  const r = rng(seed);
  const ids: string[] = [];
  for (let tries = 0; ids.length < n && tries < n * 3; tries++) {
    const id = memberIdFor(1 + Math.floor(r() * total));
    if (status.get(id) === 'active') ids.push(id);
  }
  if (ids.length < n) throw new Error(`found only ${ids.length} active members of ${n} wanted`);
  return ids;
}

// member_usage (schema 150): a member's brand-wide use of each benefit as HQ last sent it with the
// member (protocol v2), and the use the desk counts from it (docs/sync.md "Usage across terminals").
import type { BenefitUsage } from '../loyalty/types';
import type { ChangeOf } from '../sync/protocolEntities';
import type { Db } from './open';
import { stmt } from './statements';

/** Replaces the usage of every member in the page with what HQ sent (none for a tombstone or an older HQ). */
export function replaceUsage(db: Db, changes: ChangeOf<'member'>[]): void {
  const del = stmt<[string]>(db, 'DELETE FROM member_usage WHERE member_id = ?');
  const ins = stmt(db, 'INSERT INTO member_usage(member_id, benefit_id, total, day, day_count, last_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
  for (const c of changes) {
    del.run(c.id);
    if (c.deleted) continue;
    for (const u of c.data.usage ?? []) ins.run(c.id, u.benefitId, u.total, u.day, u.dayCount, u.lastAt);
  }
}

type Use = Omit<BenefitUsage, 'grantsAvailable'>;
interface Counted extends Use {
  /** This terminal's redemptions HQ has not acknowledged (so HQ's figures cannot hold them yet). */
  unsyncedTotal: number;
  unsyncedToday: number;
}

/**
 * The use the limits count: this terminal's own, or HQ's brand-wide figure plus what HQ has not seen
 * from here yet, whichever is more (HQ's row may be older than this terminal's last push).
 */
export function withBrandUsage(db: Db, memberId: string, today: string, local: Map<string, Counted>): Map<string, Use> {
  const hq = stmt<[string], { benefit_id: string; total: number; day: string | null; day_count: number; last_at: number | null }>(
    db,
    'SELECT benefit_id, total, day, day_count, last_at FROM member_usage WHERE member_id = ?',
  ).all(memberId);
  const out = new Map<string, Use>();
  for (const [id, l] of local) out.set(id, { memberTotal: l.memberTotal, memberToday: l.memberToday, lastRedeemedAt: l.lastRedeemedAt });
  for (const h of hq) {
    const l = local.get(h.benefit_id);
    const hqToday = h.day === today ? h.day_count : 0;
    const last = [h.last_at, l?.lastRedeemedAt ?? null].filter((x): x is number => x !== null);
    out.set(h.benefit_id, {
      memberTotal: Math.max(l?.memberTotal ?? 0, h.total + (l?.unsyncedTotal ?? 0)),
      memberToday: Math.max(l?.memberToday ?? 0, hqToday + (l?.unsyncedToday ?? 0)),
      lastRedeemedAt: last.length > 0 ? Math.max(...last) : null,
    });
  }
  return out;
}

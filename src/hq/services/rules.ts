// The loyalty rules HQ holds, and the effective rules of one terminal (its offline limits may differ).
import { DEFAULT_RULES, loyaltyRulesSchema } from '../../loyalty/rules';
import type { LoyaltyRules, OfflineRiskLimits } from '../../loyalty/types';
import type { Queryable } from '../db';
import { ALLOWED_SKEW_MS } from '../../sync/protocol';

export async function globalRules(q: Queryable): Promise<{ rules: LoyaltyRules; seq: number }> {
  const [row] = await q.query<{ rules: unknown; seq: number | null }>("SELECT rules, seq FROM rules WHERE id = 'global'");
  return { rules: rulesOfRow(row?.rules ?? null), seq: row?.seq ?? 0 };
}

/** The global rules as read from `rules.rules` (null: none published yet, the defaults apply). */
export function rulesOfRow(rules: unknown): LoyaltyRules {
  return rules === null ? DEFAULT_RULES : loyaltyRulesSchema.parse(rules);
}

export function effectiveRules(rules: LoyaltyRules, terminalLimits: OfflineRiskLimits | null): LoyaltyRules {
  return terminalLimits ? { ...rules, offline: terminalLimits } : rules;
}

/** A published rules version, when it was published, and when a later one replaced it (null: it is the current one). */
export interface PublishedRules {
  rules: LoyaltyRules;
  /** null: not known (the current rules as HQ holds them); 0 for a version published before schema 30. */
  publishedAt: number | null;
  supersededAt: number | null;
}

/** The published rules of each version asked for that HQ knows (versions it never published are absent). */
export async function rulesVersions(q: Queryable, versions: number[]): Promise<Map<number, PublishedRules>> {
  if (versions.length === 0) return new Map();
  const rows = await q.query<{ version: number; rules: unknown; published_at: number; superseded_at: number | null }>(
    `SELECT v.version, v.rules, v.published_at, (SELECT min(n.published_at) FROM rules_versions n WHERE n.version > v.version) AS superseded_at
       FROM rules_versions v WHERE v.version = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::int))`,
    [JSON.stringify(versions)],
  );
  return new Map(
    rows.map((r) => [
      r.version,
      { rules: loyaltyRulesSchema.parse(r.rules), publishedAt: Number(r.published_at), supersededAt: r.superseded_at === null ? null : Number(r.superseded_at) },
    ]),
  );
}

/**
 * The rules an operation is judged by: the version the terminal names, only while it was current at
 * the operation's time (with the allowed skew), so an old, more generous version cannot be picked
 * after it was replaced, nor a later one (a promotion published after the operation) before it was
 * published; HQ's current rules otherwise.
 */
export function rulesInForce(byVersion: Map<number, PublishedRules>, current: LoyaltyRules, op: { rulesVersion: number | null; at: number }): LoyaltyRules {
  const published = op.rulesVersion === null ? undefined : byVersion.get(op.rulesVersion);
  const inForce =
    published &&
    (published.publishedAt === null || published.publishedAt <= op.at + ALLOWED_SKEW_MS) &&
    (published.supersededAt === null || published.supersededAt >= op.at - ALLOWED_SKEW_MS);
  return inForce ? published.rules : current;
}

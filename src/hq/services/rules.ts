// The loyalty rules HQ holds, and the effective rules of one terminal (its offline limits may differ).
import { DEFAULT_RULES, loyaltyRulesSchema } from '../../loyalty/rules';
import type { LoyaltyRules, OfflineRiskLimits } from '../../loyalty/types';
import type { Queryable } from '../db';

export async function globalRules(q: Queryable): Promise<{ rules: LoyaltyRules; seq: number }> {
  const [row] = await q.query<{ rules: unknown; seq: number | null }>("SELECT rules, seq FROM rules WHERE id = 'global'");
  return row ? { rules: loyaltyRulesSchema.parse(row.rules), seq: row.seq ?? 0 } : { rules: DEFAULT_RULES, seq: 0 };
}

export function effectiveRules(rules: LoyaltyRules, terminalLimits: OfflineRiskLimits | null): LoyaltyRules {
  return terminalLimits ? { ...rules, offline: terminalLimits } : rules;
}

/** The published rules of each version asked for that HQ knows (versions it never published are absent). */
export async function rulesVersions(q: Queryable, versions: number[]): Promise<Map<number, LoyaltyRules>> {
  if (versions.length === 0) return new Map();
  const rows = await q.query<{ version: number; rules: unknown }>('SELECT version, rules FROM rules_versions WHERE version = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)::int))', [JSON.stringify(versions)]);
  return new Map(rows.map((r) => [r.version, loyaltyRulesSchema.parse(r.rules)]));
}

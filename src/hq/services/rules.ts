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

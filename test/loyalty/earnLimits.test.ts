// Earning limits (src/loyalty/earnLimits.ts): the demo's thresholds, and generated claims against
// a plain restatement of the rule.
import { describe, expect, it } from 'vitest';
import { checkEarnLimits, DEFAULT_RULES, earnPoints, loyaltyRulesSchema } from '../../src/loyalty';
import { mulberry32 } from '../../src/bench/prng';

const rules = DEFAULT_RULES;
const NOW = Date.UTC(2026, 10, 23, 4);
const ctx = { now: NOW, tz: 'Asia/Shanghai', birthday: null };

function claimFor(amountFen: number, approved: boolean, earnedTodayPoints = 0) {
  const earned = earnPoints(rules, [{ category: 'apparel', amountFen }], ctx);
  return checkEarnLimits(rules, { amountFen, linePoints: earned.lines.map((l) => l.points), earnedTodayPoints, approved });
}

describe('earning limits', () => {
  it('lets ¥300 through, asks a manager for ¥30,000 and refuses ¥2,580,000 even with one', () => {
    expect(claimFor(30_000, false)).toEqual({ ok: true, needsApproval: false });
    expect(claimFor(3_000_000, false)).toMatchObject({ ok: false, reason: 'EARN_NEEDS_MANAGER' });
    expect(claimFor(3_000_000, true)).toEqual({ ok: true, needsApproval: true });
    expect(claimFor(258_000_000, true)).toMatchObject({ ok: false, reason: 'EARN_AMOUNT_CAP' });
  });

  it('counts what the member already earned today', () => {
    expect(claimFor(30_000, false, rules.earn.maxPointsPerMemberDay - 299)).toMatchObject({ ok: false, reason: 'EARN_DAY_CAP' });
    expect(claimFor(30_000, false, rules.earn.maxPointsPerMemberDay - 300)).toMatchObject({ ok: true });
  });

  it('never lets a generated claim past a cap', () => {
    const rand = mulberry32(15);
    for (let i = 0; i < 2_000; i++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => Math.floor(rand() ** 4 * 400_000));
      const claim = {
        amountFen: Math.floor(rand() ** 3 * 20_000_000),
        linePoints: lines,
        earnedTodayPoints: Math.floor(rand() ** 2 * 600_000),
        approved: rand() < 0.5,
      };
      const v = checkEarnLimits(rules, claim);
      const sum = lines.reduce((a, b) => a + b, 0);
      const within =
        claim.amountFen <= rules.earn.refuseAboveFen &&
        lines.every((p) => p <= rules.earn.maxPointsPerLine) &&
        sum <= rules.earn.maxPointsPerEarn &&
        claim.earnedTodayPoints + sum <= rules.earn.maxPointsPerMemberDay &&
        (claim.approved || claim.amountFen <= rules.earn.approvalAboveFen);
      expect(v.ok, JSON.stringify(claim)).toBe(within);
    }
  });

  it('fills in the limits for rules published before they existed, and refuses a threshold above the cap', () => {
    const { earn: _earn, ...old } = DEFAULT_RULES;
    expect(loyaltyRulesSchema.parse(old).earn).toEqual(DEFAULT_RULES.earn);
    const bad = { ...DEFAULT_RULES, earn: { ...DEFAULT_RULES.earn, approvalAboveFen: DEFAULT_RULES.earn.refuseAboveFen + 1 } };
    expect(loyaltyRulesSchema.safeParse(bad).success).toBe(false);
  });
});

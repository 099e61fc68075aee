// Property (docs/returns.md "Owing points"): whatever a terminal sends — earns, burns of any size,
// returns of any part with any claimed points, voids of anything, in any order and on any day — HQ
// never lets a member's balance (points less what they owe) go below minus the rules' limit, never
// owes more than the limit, and never holds spendable points while owing. Pure: HQ's apply step on a
// batch state built by hand, with generated events (seeded, so a failure can be replayed).
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { applyOperation, type BatchState } from '../../src/hq/services/applyOperation';
import { readEvent } from '../../src/hq/services/readEvent';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { businessDate, DAY_MS } from '../../src/loyalty/time';
import type { LoyaltyRules } from '../../src/loyalty/types';
import { NOW } from '../helpers/demoDb';
import { uuidFrom } from '../helpers/uuidFrom';
import { op, type Desk } from './events';

const TZ = 'Asia/Shanghai';
const LIMIT = 300;
const RULES: LoyaltyRules = { ...DEFAULT_RULES, returns: { windowDays: 30, allowNegative: true, negativeLimitPoints: LIMIT } };
const desk: Desk = { dbPath: '', storeId: 'SH001', terminalId: 'SH001-T1', credential: '', seq: 0 };

function state(lots: { points: number; remaining: number }[]): BatchState {
  const member = {
    id: 'M1', status: 'active', cardSerial: 1, birthday: null, tier: 'basic', tierSinceNow: NOW - DAY_MS, tierSince: null, lastPurchaseAt: null, joinedAt: NOW - 400 * 86_400_000,
    months: [], grants: [], usage: [], owed: 0, changed: false,
    lots: lots.map((l, i) => ({ key: `S-M1-${i}`, earnedAt: NOW - DAY_MS * (i + 1), expiresAt: NOW + 300 * DAY_MS, ...l })),
  };
  return {
    rules: RULES, tz: TZ, members: new Map([['M1', member]]), revocations: new Map(), benefits: new Map(), redeemCounts: new Map(),
    ops: new Map(), earns: new Map([['M1', []]]), welcome: [], newOps: [], voidedLoaded: new Map(), stock: new Map(), returned: new Map(),
    rulesByVersion: new Map([[RULES.version, { rules: RULES, publishedAt: null, supersededAt: null }]]), earnedToday: new Map(),
    facts: {
      now: NOW + 20 * DAY_MS, enrolledAt: NOW - DAY_MS, lowWaterAt: null, tz: TZ, rules: RULES,
      staff: new Map([['clerk-01', { role: 'clerk', active: true }], ['mgr-01', { role: 'manager', active: true }]]), benefits: new Map(), items: new Map(),
    },
  };
}

describe('HQ keeps every balance at or above minus the limit, whatever a terminal sends', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: 120 generated events', (seed) => {
    const rand = mulberry32(seed * 7919);
    const int = (n: number) => Math.floor(rand() * n);
    const s = state([{ points: 500, remaining: int(500) }]);
    const member = s.members.get('M1')!;
    const earns: string[] = [];
    const applied: string[] = [];
    let at = NOW;
    let owedAtSomePoint = 0;
    for (let i = 0; i < 120; i++) {
      at += int(6) * 3_600_000 + 1_000;
      const day = businessDate(at, TZ);
      const base = { opId: uuidFrom(rand), at, businessDate: day };
      const r = rand();
      let payload;
      if (r < 0.3) {
        const amountFen = 100 + int(200_000);
        // Some claim to have repaid what was owed (HQ keeps its own figure, or a later void would owe it).
        const detail = rand() < 0.3 ? { owedRepaid: int(1e6) } : {};
        payload = op(desk, 'earn', 'M1', { ...base, amountFen, lines: [{ category: 'general', amountFen }], points: int(3) === 0 ? int(1e6) : Math.floor(amountFen / 100), detail });
        earns.push(base.opId);
      } else if (r < 0.5) {
        const points = -(100 * (1 + int(30)));
        payload = op(desk, rand() < 0.5 ? 'cash' : 'donate', 'M1', { ...base, points, valueFen: -points, amountFen: -points * 10 });
      } else if (r < 0.85 && earns.length > 0) {
        const target = earns[int(earns.length)]!;
        const mode = ['whole', 'amount', 'lines', 'sideways'][int(4)]!;
        const amountFen = 1 + int(250_000);
        payload = op(desk, 'return', 'M1', {
          ...base, targetOpId: target, amountFen: mode === 'whole' ? null : amountFen, lines: mode === 'lines' ? [{ category: 'general', amountFen }] : [],
          points: rand() < 0.5 ? -int(1e6) : int(1e6), detail: { mode, owed: int(1e6), shortfall: -int(1e6) },
        });
      } else {
        const pool = [...applied, uuidFrom(rand)];
        payload = op(desk, 'void', 'M1', { ...base, targetOpId: pool[int(pool.length)]!, approvedBy: 'mgr-01' });
      }
      const read = readEvent(payload, [2]);
      if (!read.ok) throw new Error(read.problem);
      applyOperation(s, read.op);
      if (s.newOps.at(-1)?.status === 'applied') applied.push(read.op.opId);
      const held = member.lots.reduce((sum, l) => sum + l.remaining, 0);
      const usable = member.lots.reduce((sum, l) => (l.remaining > 0 && l.expiresAt > at ? sum + l.remaining : sum), 0);
      expect(member.owed, `event ${i}`).toBeGreaterThanOrEqual(0);
      expect(member.owed, `event ${i}`).toBeLessThanOrEqual(LIMIT);
      expect(held - member.owed, `event ${i}`).toBeGreaterThanOrEqual(-LIMIT);
      if (member.owed > 0) expect(usable, `event ${i}`).toBe(0);
      owedAtSomePoint = Math.max(owedAtSomePoint, member.owed);
      for (const l of member.lots) expect(l.remaining >= 0 && l.remaining <= l.points, `event ${i}`).toBe(true);
    }
    // The generator reached the interesting states: returns applied, and points owed.
    expect(s.newOps.some((o) => o.status === 'applied' && o.kind === 'return')).toBe(true);
    expect(owedAtSomePoint).toBeGreaterThan(0);
  });

  it("keeps its own figure of what an earn repaid: a terminal's claim cannot make the earn's void take back less", () => {
    const s = state([{ points: 500, remaining: 0 }]);
    const member = s.members.get('M1')!;
    const apply = (payload: ReturnType<typeof op>) => {
      const read = readEvent(payload, [2]);
      if (!read.ok) throw new Error(read.problem);
      return applyOperation(s, read.op);
    };
    const earned = op(desk, 'earn', 'M1', { amountFen: 50_000, lines: [{ category: 'general', amountFen: 50_000 }], points: 500, detail: { owedRepaid: 500 } });
    apply(earned);
    expect(s.newOps.at(-1)!.payload.detail.owedRepaid).toBeUndefined();
    apply(op(desk, 'void', 'M1', { targetOpId: earned.opId, approvedBy: 'mgr-01', at: NOW + 1_000 }));
    // Nothing was owed and nothing repaid: the void takes the 500 points back and owes nothing.
    expect([member.owed, member.lots.reduce((sum, l) => sum + l.remaining, 0)]).toEqual([0, 0]);
  });
});

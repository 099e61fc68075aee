import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { addMonthsUtc, DAY_MS } from '../../src/loyalty/time';
import { memberLots } from '../../src/store/members';
import { setMeta } from '../../src/store/meta';
import { stockOf } from '../../src/store/benefits';
import { codeOf } from '../helpers/codeOf';
import { count, NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal();
});
afterEach(() => t.cleanup());

function member(sql: string): string {
  return (t.db.prepare(`SELECT id FROM members WHERE status='active' AND ${sql} ORDER BY id LIMIT 1`).get() as { id: string }).id;
}
function balance(memberId: string): number {
  return t.service.memberCard({ memberId }).points.balance;
}
const code = codeOf;

describe('earn', () => {
  it('earns 1 point per ¥1 into a new lot that expires 12 months later, ×2 in the birthday month', () => {
    const plain = member("birthday NOT LIKE '11-%'");
    const r = t.service.earn({ memberId: plain, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 12_345 }] });
    expect(r.points).toBe(123);
    expect(r.pointsAfter - r.pointsBefore).toBe(123);
    const lot = t.db.prepare('SELECT earned_at, expires_at, points FROM point_lots WHERE op_id = ?').get(r.opId);
    expect(lot).toEqual({ earned_at: NOW, expires_at: addMonthsUtc(NOW, 12), points: 123 });

    const birthday = member("birthday LIKE '11-%'");
    const b = t.service.earn({ memberId: birthday, staffId: 'clerk-01', lines: [{ category: 'cosmetics', amountFen: 10_000 }, { category: 'gift_card', amountFen: 50_000 }] });
    expect(b.points).toBe(100 * 2 * 2); // cosmetics ×2, birthday ×2; gift cards earn nothing
  });

  it('upgrades the tier at once with its reason and issues the welcome gift', () => {
    const basic = member("tier = 'basic'");
    // ¥20,000 is above the approval threshold (rules.earn): a manager approves it.
    const r = t.service.earn({ memberId: basic, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'general', amountFen: 2_000_000 }] });
    expect(r.tierChange).toEqual({ from: 'basic', to: 'premium', reason: 'UPGRADE_SPEND' });
    expect(t.db.prepare('SELECT from_tier, to_tier, reason, op_id FROM tier_changes WHERE member_id = ?').all(basic)).toEqual([
      { from_tier: 'basic', to_tier: 'premium', reason: 'UPGRADE_SPEND', op_id: r.opId },
    ]);
    const card = t.service.memberCard({ memberId: basic });
    expect(card.member.tier).toBe('premium');
    expect(card.benefits.find((b) => b.id === 'B-WELCOME-PREMIUM')?.eligible).toBe(true);
    t.service.redeem({ memberId: basic, benefitId: 'B-WELCOME-PREMIUM', staffId: 'clerk-01' });
    expect(code(() => t.service.redeem({ memberId: basic, benefitId: 'B-WELCOME-PREMIUM', staffId: 'clerk-01' }))).toBe('NO_GRANT');
  });

  it('refuses earning on a revoked card and writes nothing', () => {
    const revoked = (t.db.prepare("SELECT id FROM members WHERE status='revoked' LIMIT 1").get() as { id: string }).id;
    const before = snapshot(t.db);
    expect(code(() => t.service.earn({ memberId: revoked, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 100 }] }))).toBe('MEMBER_REVOKED');
    expect(snapshot(t.db)).toEqual(before);
  });
});

describe('exchange, cash deduction and donation', () => {
  it('exchanges points for a catalog gift oldest lot first and takes it out of stock', () => {
    const m = member('1=1');
    const lots = memberLots(t.db, m);
    const stockBefore = stockOf(t.db, 'SH001', 'CAT-BAG')!;
    const r = t.service.exchange({ memberId: m, staffId: 'clerk-01', itemId: 'C-BAG' });
    expect(r.points).toBe(-500);
    expect(r.pointsAfter).toBe(r.pointsBefore - 500);
    expect(stockOf(t.db, 'SH001', 'CAT-BAG')).toBe(stockBefore - 1);
    const burned = t.db.prepare("SELECT lot_id, delta FROM ledger WHERE op_id = ? AND account = 'points' ORDER BY id").all(r.opId) as { lot_id: number; delta: number }[];
    expect(burned[0]!.lot_id).toBe(lots.filter((l) => l.expiresAt > NOW)[0]!.id);
    expect(burned.reduce((s, e) => s + e.delta, 0)).toBe(-500);
  });

  it('refuses an exchange beyond the balance, naming both numbers, and writes nothing', () => {
    const m = member('1=1');
    t.db.prepare('UPDATE point_lots SET remaining = 0 WHERE member_id = ?').run(m);
    const before = snapshot(t.db);
    try {
      t.service.exchange({ memberId: m, staffId: 'clerk-01', itemId: 'C-CUP' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DeskError);
      expect((err as DeskError).code).toBe('INSUFFICIENT_POINTS');
      expect((err as DeskError).params).toEqual({ needed: 1500, available: 0 });
    }
    expect(snapshot(t.db)).toEqual(before);
  });

  it('deducts cash at 100 points = ¥1 within half the purchase', () => {
    const m = member("id IN (SELECT member_id FROM point_lots GROUP BY member_id HAVING sum(remaining) >= 1000)");
    const r = t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: 1000, amountFen: 5_000 });
    expect(r.valueFen).toBe(1000);
    expect(code(() => t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: 150, amountFen: 5_000 }))).toBe('POINTS_NOT_MULTIPLE');
    expect(code(() => t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: 300, amountFen: 500 }))).toBe('EXCEEDS_PURCHASE_SHARE');
  });

  it('donates points to charity with their cash worth in the ledger', () => {
    const m = member("id IN (SELECT member_id FROM point_lots GROUP BY member_id HAVING sum(remaining) >= 300)");
    const r = t.service.donate({ memberId: m, staffId: 'clerk-01', points: 300 });
    expect(t.db.prepare("SELECT delta, value_fen FROM ledger WHERE op_id = ? AND account = 'charity'").get(r.opId)).toEqual({ delta: 300, value_fen: 300 });
    expect(code(() => t.service.donate({ memberId: m, staffId: 'clerk-01', points: 50 }))).toBe('POINTS_TOO_FEW');
  });

  // The desk refuses a donation below the minimum before its confirmation, from the card's number:
  // it must be the number the core refuses by, following HQ's rules as they change.
  it.each([100, 250, 0])('the member card carries the donation minimum the core refuses by (HQ rule %i)', (ruleMin) => {
    const rules = JSON.parse(JSON.stringify(t.service.deps.rules)) as { points: { donationMinPoints: number } };
    rules.points.donationMinPoints = ruleMin;
    setMeta(t.db, 'rules_json', JSON.stringify(rules));
    const m = member('id IN (SELECT member_id FROM point_lots GROUP BY member_id HAVING sum(remaining) >= 1000)');
    const min = t.service.memberCard({ memberId: m }).points.donationMin;
    expect(min).toBe(Math.max(1, ruleMin));
    if (min > 1) {
      let refusal: unknown;
      try {
        t.service.donate({ memberId: m, staffId: 'clerk-01', points: min - 1 });
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toMatchObject({ code: 'POINTS_TOO_FEW', params: { min } });
    }
    expect(code(() => t.service.donate({ memberId: m, staffId: 'clerk-01', points: min }))).toBe('no error');
  });
});

describe('void', () => {
  it('needs a manager, restores points, stock and the benefit use, and only on the same day', () => {
    const m = member("id IN (SELECT member_id FROM point_lots GROUP BY member_id HAVING sum(remaining) >= 600)");
    const before = balance(m);
    const stockBefore = stockOf(t.db, 'SH001', 'CAT-BAG');
    const ex = t.service.exchange({ memberId: m, staffId: 'clerk-01', itemId: 'C-BAG' });
    expect(code(() => t.service.voidOperation({ opId: ex.opId, staffId: 'clerk-01', approverId: 'clerk-02' }))).toBe('NOT_MANAGER');
    const v = t.service.voidOperation({ opId: ex.opId, staffId: 'clerk-01', approverId: 'mgr-01' });
    expect(v.pointsAfter).toBe(before);
    expect(balance(m)).toBe(before);
    expect(stockOf(t.db, 'SH001', 'CAT-BAG')).toBe(stockBefore);
    expect(t.db.prepare('SELECT kind, target_op_id, approved_by FROM operations WHERE id = ?').get(v.opId)).toEqual({ kind: 'void', target_op_id: ex.opId, approved_by: 'mgr-01' });
    expect(code(() => t.service.voidOperation({ opId: ex.opId, staffId: 'mgr-01', approverId: 'mgr-01' }))).toBe('ALREADY_VOIDED');
    expect(code(() => t.service.voidOperation({ opId: v.opId, staffId: 'mgr-01', approverId: 'mgr-01' }))).toBe('NOT_VOIDABLE');

    const redeem = t.service.redeem({ memberId: m, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    t.clock.now = NOW + DAY_MS;
    expect(code(() => t.service.voidOperation({ opId: redeem.opId, staffId: 'mgr-01', approverId: 'mgr-01' }))).toBe('VOID_NOT_SAME_DAY');
    expect(code(() => t.service.voidOperation({ opId: '0190f5c0-0000-7000-8000-000000000000', staffId: 'mgr-01', approverId: 'mgr-01' }))).toBe('UNKNOWN_OPERATION');
  });

  it('takes earned points back when a purchase is voided', () => {
    const m = member('1=1');
    const before = balance(m);
    const e = t.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 50_000 }] });
    expect(balance(m)).toBe(before + 500);
    t.service.voidOperation({ opId: e.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    expect(balance(m)).toBe(before);
    expect(count(t, "SELECT count(*) AS n FROM outbox WHERE type = 'operation.recorded'")).toBe(2);
  });
});

describe('offline caps count what the member spent', () => {
  it('a voided earn takes nothing from the member\'s offline allowance: redemptions and exchanges go on', () => {
    const m = member("tier = 'basic'");
    const cap = t.service.deps.rules.offline.maxPointsBurnedPerMember;
    // A large purchase the manager approved, voided by the manager the same minute (¥2,580,000 itself
    // is refused by the earning limits now: test/terminal/earnLimits.test.ts).
    const earn = t.service.earn({ memberId: m, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'general', amountFen: 3_000_000 }] });
    expect(earn.offline).toBe(true);
    expect(earn.points).toBeGreaterThan(cap);
    t.service.voidOperation({ opId: earn.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    expect(code(() => t.service.redeem({ memberId: m, benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' }))).toBe('no error');
    // What the member does spend still counts: donations up to the cap, then OFFLINE_POINTS_CAP.
    t.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: (cap + 1_000) * 100 }] });
    expect(code(() => t.service.donate({ memberId: m, staffId: 'clerk-01', points: cap }))).toBe('no error');
    expect(code(() => t.service.donate({ memberId: m, staffId: 'clerk-01', points: 100 }))).toBe('OFFLINE_POINTS_CAP');
  });
});

describe('member card', () => {
  it('shows tier progress, points expiring within 30 days and each benefit with eligible or why not', () => {
    const m = member("id IN (SELECT member_id FROM point_lots WHERE expires_at BETWEEN " + NOW + ' AND ' + (NOW + 30 * DAY_MS) + ')');
    const card = t.service.memberCard({ memberId: m });
    expect(card.points.expiring.total).toBeGreaterThan(0);
    for (const lot of card.points.expiring.lots) expect(lot.expiresAt - NOW).toBeLessThanOrEqual(30 * DAY_MS);
    const voucher = card.benefits.find((b) => b.id === 'B-VOUCHER-20');
    expect(voucher).toMatchObject({ eligible: true, valueFen: 2000, reason: null });
    const threshold = card.benefits.find((b) => b.id === 'B-THRESHOLD-100-10');
    expect(threshold).toMatchObject({ eligible: true, needsAmount: true });
    const spring = card.benefits.find((b) => b.id === 'B-SPRING');
    expect(spring).toMatchObject({ eligible: false, reason: { code: 'NOT_YET_VALID' } });
    expect(card.tier.next === null || card.tier.visitsNeeded > 0 || card.tier.spendNeededFen > 0).toBe(true);
    expect(t.service.memberCard({ cardNo: card.member.cardNo }).member.id).toBe(m);
  });
});

describe('void of a purchase that raised the tier', () => {
  type Row = { tier: string; tier_since: number; last_purchase_at: number | null };
  const row = (id: string) => t.db.prepare('SELECT tier, tier_since, last_purchase_at FROM members WHERE id = ?').get(id) as Row;
  const welcomeGrants = (id: string) => count(t, `SELECT count(*) AS n FROM benefit_grants WHERE member_id = '${id}' AND reason = 'tier:premium'`);
  const big = [{ category: 'general' as const, amountFen: 2_000_000 }];

  it('puts the tier, its since, the welcome gift and the last purchase back, and records the reversal', () => {
    // The basic member with the least activity, so that the small purchase does not raise the tier itself.
    const m = (t.db.prepare(
      "SELECT id FROM members m WHERE status = 'active' AND tier = 'basic' ORDER BY (SELECT coalesce(sum(visits), 0) FROM member_months WHERE member_id = m.id), id LIMIT 1",
    ).get() as { id: string }).id;
    const start = row(m);
    t.clock.now = NOW - 60_000;
    const small = t.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 1_000 }] });
    expect(small.tierChange).toBeNull();
    t.clock.now = NOW;
    const e = t.service.earn({ memberId: m, staffId: 'clerk-01', approverId: 'mgr-01', lines: big });
    expect(e.tierChange?.to).toBe('premium');
    expect(row(m)).toEqual({ tier: 'premium', tier_since: NOW, last_purchase_at: NOW });
    expect(welcomeGrants(m)).toBe(1);

    t.clock.now = NOW + 60_000;
    const v = t.service.voidOperation({ opId: e.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    expect(row(m)).toEqual({ tier: 'basic', tier_since: start.tier_since, last_purchase_at: NOW - 60_000 });
    expect(welcomeGrants(m)).toBe(0);
    expect(t.db.prepare('SELECT from_tier, to_tier, reason, op_id FROM tier_changes WHERE member_id = ? ORDER BY id').all(m)).toEqual([
      { from_tier: 'basic', to_tier: 'premium', reason: 'UPGRADE_SPEND', op_id: e.opId },
      { from_tier: 'premium', to_tier: 'basic', reason: 'VOID_REVERSAL', op_id: v.opId },
    ]);
    expect(t.service.memberCard({ memberId: m }).member.tier).toBe('basic');

    // Voiding the remaining purchase too leaves the last purchase from before both.
    t.service.voidOperation({ opId: small.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    expect(row(m).last_purchase_at).toBe(start.last_purchase_at);
  });

  it('refuses with VOID_GRANT_USED while the welcome gift stays redeemed, writing nothing', () => {
    const m = member("tier = 'basic'");
    const e = t.service.earn({ memberId: m, staffId: 'clerk-01', approverId: 'mgr-01', lines: big });
    const gift = t.service.redeem({ memberId: m, benefitId: 'B-WELCOME-PREMIUM', staffId: 'clerk-01' });
    const before = snapshot(t.db);
    try {
      t.service.voidOperation({ opId: e.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DeskError);
      expect((err as DeskError).code).toBe('VOID_GRANT_USED');
      expect((err as DeskError).params).toMatchObject({ ref: gift.opId, benefit: 'B-WELCOME-PREMIUM' });
    }
    expect(snapshot(t.db)).toEqual(before);

    // Once the gift's redemption is voided, the purchase can be voided and the gift is withdrawn.
    t.service.voidOperation({ opId: gift.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    t.service.voidOperation({ opId: e.opId, staffId: 'mgr-01', approverId: 'mgr-01' });
    expect(row(m).tier).toBe('basic');
    expect(welcomeGrants(m)).toBe(0);
  });
});

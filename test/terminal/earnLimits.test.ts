// Limits on earning at the desk (issue 15 item 4): the earn checks rules.earn before it writes
// anything, a manager approves above the threshold (recorded and on the receipt), and the preview
// says beforehand what the earn will do. A real SQLite file, the real service and dispatcher.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EarnPreview, EarnResult, ReceiptModel } from '../../src/contract/deskTypes';
import { DeskError } from '../../src/contract/errors';
import { mulberry32 } from '../../src/bench/prng';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { DAY_MS } from '../../src/loyalty/time';
import { setMeta } from '../../src/store/meta';
import { codeOf } from '../helpers/codeOf';
import { count, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi, present } from '../helpers/sessions';
import { snapshot } from '../helpers/snapshot';

const { approvalAboveFen, refuseAboveFen, maxPointsPerMemberDay } = DEFAULT_RULES.earn;

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal();
});
afterEach(() => t.cleanup());

/** Active members whose birthday is not in November (the demo's month): 1 point per ¥1 of general spend. */
function plainMembers(): string[] {
  return (t.db.prepare("SELECT id FROM members WHERE status = 'active' AND (birthday IS NULL OR birthday NOT LIKE '11-%') ORDER BY id").all() as { id: string }[]).map((r) => r.id);
}
const general = (amountFen: number) => [{ category: 'general', amountFen }];

function refusal(fn: () => unknown): { code: string; params: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof DeskError) return { code: err.code, params: err.params };
    throw err;
  }
  return { code: 'no error', params: {} };
}

function opRow(opId: string): { approved_by: string | null; points: number; amount_fen: number } {
  return t.db.prepare('SELECT approved_by, points, amount_fen FROM operations WHERE id = ?').get(opId) as never;
}
function receiptOf(r: { printJobId: number }): ReceiptModel {
  return JSON.parse((t.db.prepare('SELECT payload_json AS p FROM print_jobs WHERE id = ?').get(r.printJobId) as { p: string }).p) as ReceiptModel;
}

describe('the desk applies the earning limits before writing anything', () => {
  it('¥300 goes through, ¥30,000 needs a manager (recorded and printed), ¥2,580,000 is refused even with one', () => {
    const [a, b, c] = plainMembers();
    const small = t.service.earn({ memberId: a!, staffId: 'clerk-01', lines: general(30_000) });
    expect(small).toMatchObject({ points: 300, approvedBy: null });
    expect(opRow(small.opId).approved_by).toBeNull();

    const before = snapshot(t.db);
    expect(refusal(() => t.service.earn({ memberId: b!, staffId: 'clerk-01', lines: general(3_000_000) }))).toEqual({
      code: 'EARN_NEEDS_MANAGER',
      params: { thresholdFen: approvalAboveFen },
    });
    expect(codeOf(() => t.service.earn({ memberId: b!, staffId: 'clerk-01', approverId: 'clerk-02', lines: general(3_000_000) }))).toBe('NOT_MANAGER');
    expect(refusal(() => t.service.earn({ memberId: c!, staffId: 'clerk-01', approverId: 'mgr-01', lines: general(258_000_000) }))).toEqual({
      code: 'EARN_AMOUNT_CAP',
      params: { capFen: refuseAboveFen },
    });
    expect(snapshot(t.db)).toEqual(before);

    const big = t.service.earn({ memberId: b!, staffId: 'clerk-01', approverId: 'mgr-01', lines: general(3_000_000) });
    expect(big).toMatchObject({ points: 30_000, approvedBy: { id: 'mgr-01' } });
    expect(opRow(big.opId)).toEqual({ approved_by: 'mgr-01', points: 30_000, amount_fen: 3_000_000 });
    expect(receiptOf(big).approvedBy).toMatchObject({ id: 'mgr-01' });
    const event = JSON.parse((t.db.prepare('SELECT payload_json AS p FROM outbox WHERE op_id = ?').get(big.opId) as { p: string }).p) as { approvedBy: string };
    expect(event.approvedBy).toBe('mgr-01');
  });

  it('a manager acting alone approves their own large earn; a named approver is recorded on any earn', () => {
    const [a, b, c] = plainMembers();
    const own = t.service.earn({ memberId: a!, staffId: 'mgr-01', approverId: 'mgr-01', lines: general(3_000_000) });
    expect(opRow(own.opId).approved_by).toBe('mgr-01');
    // Below the threshold a manager's own earn needs no approval, and none is recorded.
    const ownSmall = t.service.earn({ memberId: b!, staffId: 'mgr-01', approverId: 'mgr-01', lines: general(30_000) });
    expect(opRow(ownSmall.opId).approved_by).toBeNull();
    const named = t.service.earn({ memberId: c!, staffId: 'clerk-01', approverId: 'mgr-01', lines: general(30_000) });
    expect(opRow(named.opId).approved_by).toBe('mgr-01');
  });

  it('decides generated amounts around both thresholds as the rules say, and the preview agrees with the earn', () => {
    const rand = mulberry32(154);
    const edges = [1, approvalAboveFen - 1, approvalAboveFen, approvalAboveFen + 1, refuseAboveFen - 1, refuseAboveFen, refuseAboveFen + 1];
    const band = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
    const amounts = [
      ...edges,
      ...Array.from({ length: 6 }, () => band(1, approvalAboveFen)),
      ...Array.from({ length: 6 }, () => band(approvalAboveFen + 1, refuseAboveFen)),
      ...Array.from({ length: 6 }, () => band(refuseAboveFen + 1, 1_000_000_000)),
    ];
    const members = plainMembers();
    for (const [i, amountFen] of amounts.entries()) {
      const memberId = members[i]!;
      const why = `¥${amountFen / 100} for ${memberId}`;
      const lines = general(amountFen);
      const preview = (): EarnPreview => t.service.earnPreview({ memberId, lines });
      if (amountFen > refuseAboveFen) {
        const before = snapshot(t.db);
        expect(codeOf(preview), why).toBe('EARN_AMOUNT_CAP');
        expect(codeOf(() => t.service.earn({ memberId, staffId: 'clerk-01', lines })), why).toBe('EARN_AMOUNT_CAP');
        expect(codeOf(() => t.service.earn({ memberId, staffId: 'clerk-01', approverId: 'mgr-01', lines })), why).toBe('EARN_AMOUNT_CAP');
        expect(snapshot(t.db), why).toEqual(before);
        continue;
      }
      const p = preview();
      const needsManager = amountFen > approvalAboveFen;
      expect(p, why).toMatchObject({ amountFen, points: Math.floor(amountFen / 100), needsManager, approvalAboveFen });
      let done: EarnResult;
      if (needsManager) {
        const before = snapshot(t.db);
        expect(codeOf(() => t.service.earn({ memberId, staffId: 'clerk-01', lines })), why).toBe('EARN_NEEDS_MANAGER');
        expect(snapshot(t.db), why).toEqual(before);
        done = t.service.earn({ memberId, staffId: 'clerk-01', approverId: 'mgr-01', lines });
        expect(opRow(done.opId).approved_by, why).toBe('mgr-01');
      } else {
        done = t.service.earn({ memberId, staffId: 'clerk-01', lines });
        expect(opRow(done.opId).approved_by, why).toBeNull();
      }
      expect({ points: done.points, pointsBefore: done.pointsBefore, pointsAfter: done.pointsAfter, tierChange: done.tierChange }, why).toEqual({
        points: p.points,
        pointsBefore: p.pointsBefore,
        pointsAfter: p.pointsAfter,
        tierChange: p.tierChange,
      });
    }
  });

  it('caps one member\'s day at this terminal: voided earns do not count, the next business day starts again', () => {
    const [m] = plainMembers();
    const ops: string[] = [];
    // Five approved ¥100,000 purchases reach the day's cap exactly; one point more is refused.
    for (let i = 0; i < maxPointsPerMemberDay / 100_000; i++) {
      ops.push(t.service.earn({ memberId: m!, staffId: 'clerk-01', approverId: 'mgr-01', lines: general(refuseAboveFen) }).opId);
    }
    const before = snapshot(t.db);
    expect(refusal(() => t.service.earn({ memberId: m!, staffId: 'clerk-01', lines: general(100) }))).toEqual({
      code: 'EARN_DAY_CAP',
      params: { cap: maxPointsPerMemberDay, earned: maxPointsPerMemberDay },
    });
    expect(codeOf(() => t.service.earnPreview({ memberId: m!, lines: general(100) }))).toBe('EARN_DAY_CAP');
    expect(snapshot(t.db)).toEqual(before);

    t.service.voidOperation({ opId: ops[0]!, staffId: 'mgr-01', approverId: 'mgr-01' });
    expect(t.service.earn({ memberId: m!, staffId: 'clerk-01', lines: general(100) }).points).toBe(1);
    t.clock.now += DAY_MS;
    expect(t.service.earnPreview({ memberId: m!, lines: general(refuseAboveFen) }).points).toBe(100_000);
  });

  it('refuses a line or an earn above its points cap (multipliers count), writing nothing', () => {
    const birthday = (t.db.prepare("SELECT id FROM members WHERE status = 'active' AND birthday LIKE '11-%' ORDER BY id LIMIT 1").get() as { id: string }).id;
    const before = snapshot(t.db);
    // Cosmetics ×2 in the birthday month ×2: ¥60,000 is 240,000 points on one line.
    expect(refusal(() => t.service.earn({ memberId: birthday, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'cosmetics', amountFen: 6_000_000 }] }))).toEqual({
      code: 'EARN_LINE_CAP',
      params: { cap: DEFAULT_RULES.earn.maxPointsPerLine },
    });
    expect(snapshot(t.db)).toEqual(before);

    // HQ's rules decide the numbers: a lower per-earn cap takes effect on the next earn.
    setMeta(t.db, 'rules_json', JSON.stringify({ ...DEFAULT_RULES, earn: { ...DEFAULT_RULES.earn, maxPointsPerEarn: 1_000 } }));
    const [m] = plainMembers();
    const lines = [...general(60_000), ...general(60_000)];
    expect(codeOf(() => t.service.earnPreview({ memberId: m!, lines }))).toBe('EARN_POINTS_CAP');
    expect(codeOf(() => t.service.earn({ memberId: m!, staffId: 'clerk-01', lines }))).toBe('EARN_POINTS_CAP');
    expect(count(t, "SELECT count(*) AS n FROM operations WHERE kind = 'earn'")).toBe(0);
  });

  it('previews the tier change a purchase causes without writing anything', () => {
    const basic = (t.db.prepare(
      "SELECT id FROM members m WHERE status = 'active' AND tier = 'basic' ORDER BY (SELECT coalesce(sum(visits), 0) FROM member_months WHERE member_id = m.id), id LIMIT 1",
    ).get() as { id: string }).id;
    const before = snapshot(t.db);
    const p = t.service.earnPreview({ memberId: basic, lines: general(2_000_000) });
    expect(p).toMatchObject({ needsManager: true, tierChange: { from: 'basic', to: 'premium', reason: 'UPGRADE_SPEND' } });
    expect(t.service.earnPreview({ memberId: basic, lines: general(100) }).tierChange).toBeNull();
    expect(snapshot(t.db)).toEqual(before);
    const revoked = (t.db.prepare("SELECT id FROM members WHERE status = 'revoked' LIMIT 1").get() as { id: string }).id;
    expect(codeOf(() => t.service.earnPreview({ memberId: revoked, lines: general(100) }))).toBe('MEMBER_REVOKED');
  });
});

describe('earn and its preview through a desk session', () => {
  it('takes the manager\'s PIN in the earn, refuses a clerk\'s or a wrong one, and previews only for a presented member', async () => {
    const api = deskApi(t.service);
    const [m] = plainMembers();
    const lines = general(3_000_000);
    expect((await api['staff.signIn']({ pin: '1234' })).ok).toBe(true);
    const unseen = await api['points.earnPreview']({ memberId: m!, lines });
    expect(!unseen.ok && unseen.error.code).toBe('MEMBER_NOT_SCANNED');
    await present(api, t, m!);

    const preview = await api['points.earnPreview']({ memberId: m!, lines });
    expect(preview.ok && preview.value).toMatchObject({ amountFen: 3_000_000, points: 30_000, needsManager: true });
    const before = snapshot(t.db, ['lockouts']);
    const alone = await api['points.earn']({ memberId: m!, lines });
    expect(!alone.ok && alone.error).toMatchObject({ code: 'EARN_NEEDS_MANAGER', message: '消费超过 ¥10,000.00，需要店长输入 PIN 批准。' });
    const clerk = await api['points.earn']({ memberId: m!, lines, managerPin: '2345' });
    // A clerk's PIN and a wrong one are the same refusal: the pad tells no PIN from a wrong guess.
    expect(!clerk.ok && clerk.error.code).toBe('MANAGER_PIN_WRONG');
    const wrong = await api['points.earn']({ memberId: m!, lines, managerPin: '0000' });
    expect(!wrong.ok && wrong.error.code).toBe('MANAGER_PIN_WRONG');
    const huge = await api['points.earnPreview']({ memberId: m!, lines: general(258_000_000) });
    expect(!huge.ok && huge.error).toMatchObject({ code: 'EARN_AMOUNT_CAP', message: '单笔消费超过 ¥100,000.00，服务台不能积分：请由总部后台处理。' });
    expect(snapshot(t.db, ['lockouts'])).toEqual(before);

    const done = await api['points.earn']({ memberId: m!, lines, managerPin: '9999' });
    expect(done.ok && done.value).toMatchObject({ points: 30_000, approvedBy: { id: 'mgr-01' } });
    if (done.ok) expect(opRow(done.value.opId)).toMatchObject({ approved_by: 'mgr-01' });
  });

  it('lets a signed-in manager approve their own earn by making it, as a void', async () => {
    const api = deskApi(t.service);
    const [, m] = plainMembers();
    expect((await api['staff.signIn']({ pin: '9999' })).ok).toBe(true);
    await present(api, t, m!);
    const done = await api['points.earn']({ memberId: m!, lines: general(3_000_000) });
    expect(done.ok && done.value.approvedBy).toMatchObject({ id: 'mgr-01' });
    const small = await api['points.earn']({ memberId: m!, lines: general(30_000) });
    expect(small.ok && small.value.approvedBy).toBeNull();
  });
});

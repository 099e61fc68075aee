// Returns (退货) on a real SQLite terminal: whole, amount and line returns of a purchase made on an
// earlier day, points already spent (the shortfall), the tier step undone, the receipt, the Z-report;
// and generated bad returns through the real dispatcher, each refused with its code and nothing written.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { DAY_MS } from '../../src/loyalty/time';
import { layoutReceipt } from '../../src/print/layout';
import { docLines } from '../../src/print/doc';
import { parseReceiptModel } from '../../src/print/receiptSchema';
import { computeDayReport } from '../../src/terminal/manager/zReport';
import { codeOf } from '../helpers/codeOf';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi } from '../helpers/sessions';
import { snapshot } from '../helpers/snapshot';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal(80);
});
afterEach(() => t.cleanup());

const HAN = /[\u4e00-\u9fff]/;

function member(sql: string): string {
  return (t.db.prepare(`SELECT id FROM members WHERE status='active' AND ${sql} ORDER BY id LIMIT 1`).get() as { id: string }).id;
}
const balance = (memberId: string): number => t.service.memberCard({ memberId }).points.balance;

/** A purchase of ¥300 cosmetics (×2) and ¥200 general today, by a member out of their birthday month. */
function purchase(memberId = member("birthday NOT LIKE '11-%' AND tier = 'core'")) {
  const earn = t.service.earn({ memberId, staffId: 'clerk-01', lines: [{ category: 'cosmetics', amountFen: 30_000 }, { category: 'general', amountFen: 20_000 }] });
  return { memberId, earn };
}
const nextDay = (): void => {
  t.clock.now = NOW + DAY_MS;
};

describe('a return', () => {
  it('takes back the points of the returned part, in parts and then whole, and records one event each', () => {
    const { memberId, earn } = purchase();
    expect(earn.points).toBe(800);
    nextDay();
    const before = balance(memberId);
    const line = t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01', lines: [{ category: 'cosmetics', amountFen: 10_000 }] });
    expect(line).toMatchObject({ amountFen: 10_000, points: 200, takenBack: 200, shortfall: 0, pointsAfter: before - 200 });
    const part = t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01', amountFen: 20_000 });
    expect(part.amountFen).toBe(20_000);
    const rest = t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01' });
    expect(rest.amountFen).toBe(50_000 - 30_000);
    expect(line.points + part.points + rest.points).toBe(800);
    expect(balance(memberId)).toBe(before - 800);
    // The purchase's own lot gave them all back.
    expect(t.db.prepare('SELECT remaining FROM point_lots WHERE op_id = ?').get(earn.opId)).toEqual({ remaining: 0 });
    // Its month lost the spend and, with the last fen, the visit.
    const events = t.db.prepare("SELECT payload_json FROM outbox WHERE json_extract(payload_json, '$.kind') = 'return' ORDER BY seq").all() as { payload_json: string }[];
    expect(events.map((e) => JSON.parse(e.payload_json) as { targetOpId: string; lines: unknown[]; detail: { mode: string } })).toMatchObject([
      { targetOpId: earn.opId, lines: [{ category: 'cosmetics', amountFen: 10_000 }], detail: { mode: 'lines' } },
      { targetOpId: earn.opId, lines: [], detail: { mode: 'amount' } },
      { targetOpId: earn.opId, lines: [], detail: { mode: 'whole' } },
    ]);
    expect(codeOf(() => t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01', amountFen: 1 }))).toBe('RETURN_EXCEEDS_PURCHASE');
    const z = computeDayReport(t.service.deps, '2026-11-24');
    expect(z.returns).toEqual({ count: 3, amountFen: 50_000, points: 800, shortfall: 0, owed: 0 });
  });

  it('takes back only what is left when the points were spent, records the shortfall, and prints it', () => {
    const memberId = member("birthday NOT LIKE '11-%' AND tier = 'basic'");
    const { earn } = purchase(memberId);
    const have = balance(memberId);
    // Spend all but 100 points: as cash deduction in 100-point steps.
    const spend = Math.floor((have - 100) / 100) * 100;
    t.service.cashDeduct({ memberId, staffId: 'clerk-01', points: spend, amountFen: spend * 10 });
    nextDay();
    const left = balance(memberId);
    const r = t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01' });
    expect(r).toMatchObject({ points: 800, takenBack: left, shortfall: 800 - left, pointsAfter: 0 });
    expect(balance(memberId)).toBe(0);
    const detail = JSON.parse((t.db.prepare('SELECT detail_json FROM operations WHERE id = ?').get(r.opId) as { detail_json: string }).detail_json) as { shortfall: number };
    expect(detail.shortfall).toBe(800 - left);
    const job = t.db.prepare('SELECT payload_json FROM print_jobs WHERE id = ?').get(r.printJobId) as { payload_json: string };
    const lines = docLines(layoutReceipt(parseReceiptModel(JSON.parse(job.payload_json)), { cols: 48, lang: 'zh-CN', synced: false })).join('\n');
    expect(lines).toContain('退货');
    expect(lines).toContain(earn.opId);
    expect(lines).toMatch(new RegExp(`已用掉未扣回\\s+${800 - left}`));
  });

  it('undoes the tier step the purchase caused as far as the member no longer reaches it', () => {
    const basic = member("tier = 'basic' AND birthday NOT LIKE '11-%'");
    const earn = t.service.earn({ memberId: basic, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'general', amountFen: 2_000_000 }] });
    expect(earn.tierChange?.to).toBe('premium');
    nextDay();
    // ¥2,100 back leaves under ¥20,000 (a basic member had less than ¥2,000): Core's ¥8,000 still, Premium no longer.
    const quote = t.service.returnQuote({ opId: earn.opId, amountFen: 210_000 });
    expect(quote.plan?.tierChange).toEqual({ from: 'premium', to: 'core', reason: 'RETURN_REVERSAL' });
    const r = t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01', amountFen: 210_000 });
    expect(r.tierChange).toEqual(quote.plan?.tierChange);
    expect(t.service.memberCard({ memberId: basic }).member.tier).toBe('core');
    // The rest back: where the step started.
    expect(t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01' }).tierChange).toEqual({ from: 'core', to: 'basic', reason: 'RETURN_REVERSAL' });
    expect(t.service.memberCard({ memberId: basic }).member.tier).toBe('basic');
    expect(t.db.prepare('SELECT count(*) AS n FROM benefit_grants WHERE member_id = ? AND reason = ?').get(basic, 'tier:premium')).toEqual({ n: 0 });
    expect(t.db.prepare('SELECT reason FROM tier_changes WHERE member_id = ? ORDER BY id DESC LIMIT 1').get(basic)).toEqual({ reason: 'RETURN_REVERSAL' });
  });

  it('keeps the tier when what is left still reaches it', () => {
    const basic = member("tier = 'basic' AND birthday NOT LIKE '11-%'");
    const earn = t.service.earn({ memberId: basic, staffId: 'clerk-01', approverId: 'mgr-01', lines: [{ category: 'general', amountFen: 2_100_000 }] });
    nextDay();
    const r = t.service.returnPurchase({ opId: earn.opId, staffId: 'clerk-01', amountFen: 50_000 });
    expect(r.tierChange).toBeNull();
    expect(t.service.memberCard({ memberId: basic }).member.tier).toBe('premium');
  });
});

describe('bad returns', () => {
  it('are refused with a typed error in the desk’s language and change nothing (generated inputs)', async () => {
    const { memberId, earn } = purchase();
    const other = purchase(member(`id <> '${memberId}' AND birthday NOT LIKE '11-%'`));
    const voided = purchase(memberId);
    const redeemed = t.service.cashDeduct({ memberId, staffId: 'clerk-01', points: 100, amountFen: 1_000 });
    const v = t.service.voidOperation({ opId: voided.earn.opId, staffId: 'clerk-01', approverId: 'mgr-01' });
    const sameDay = purchase(memberId);
    nextDay();
    const api = deskApi(t.service, { onInternal: () => undefined });
    expect((await api['staff.signIn']({ pin: '1234' })).ok).toBe(true);

    const rand = mulberry32(20261124);
    const uuid = () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20)}`;
    };
    const amounts: unknown[] = [-1, 0, 50_001, 0.5, 1e15, Number.MAX_SAFE_INTEGER, '100', null, Number.NaN, -0.01];
    for (let i = 0; i < 30; i++) amounts.push(rand() < 0.5 ? -Math.floor(rand() * 1e6) : 50_001 + Math.floor(rand() * 1e9), Math.floor(rand() * 1e4) + rand());
    const cases: { input: unknown; codes: string[] }[] = [
      ...amounts.map((amountFen) => ({ input: { opId: earn.opId, amountFen }, codes: ['INVALID_INPUT', 'RETURN_EXCEEDS_PURCHASE'] })),
      ...amounts.map((amountFen) => ({ input: { opId: earn.opId, lines: [{ category: 'cosmetics', amountFen }] }, codes: ['INVALID_INPUT', 'RETURN_EXCEEDS_PURCHASE'] })),
      { input: { opId: earn.opId, lines: [{ category: 'shoes', amountFen: 100 }] }, codes: ['RETURN_CATEGORY_NOT_IN_PURCHASE'] },
      { input: { opId: earn.opId, amountFen: 100, lines: [{ category: 'general', amountFen: 100 }] }, codes: ['INVALID_INPUT'] },
      ...Array.from({ length: 20 }, () => ({ input: { opId: uuid() }, codes: ['UNKNOWN_OPERATION'] })),
      ...['', 'not-a-uuid', earn.opId.toUpperCase() + 'x', 'M00000001'].map((opId) => ({ input: { opId }, codes: ['INVALID_INPUT'] })),
      { input: { opId: other.earn.opId, memberId }, codes: ['UNKNOWN_OPERATION'] },
      { input: { opId: v.opId }, codes: ['RETURN_NOT_PURCHASE'] },
      { input: { opId: redeemed.opId }, codes: ['RETURN_NOT_PURCHASE'] },
      { input: { opId: voided.earn.opId }, codes: ['RETURN_OF_VOIDED'] },
    ];
    const before = snapshot(t.db);
    for (const c of cases) {
      const r = await api['points.return'](c.input as never);
      expect(r.ok, JSON.stringify(c.input)).toBe(false);
      if (r.ok) continue;
      expect(c.codes, `${JSON.stringify(c.input)} → ${r.error.code}`).toContain(r.error.code);
      expect(r.error.message).toMatch(HAN);
    }
    expect(snapshot(t.db)).toEqual(before);

    // The same purchase a day later is returnable; on its own day it is voided instead, and past the window it is too late.
    t.clock.now = NOW;
    expect(codeOf(() => t.service.returnPurchase({ opId: sameDay.earn.opId, staffId: 'clerk-01' }))).toBe('RETURN_SAME_DAY');
    t.clock.now = NOW + 30 * DAY_MS + 1;
    expect(codeOf(() => t.service.returnPurchase({ opId: sameDay.earn.opId, staffId: 'clerk-01' }))).toBe('RETURN_WINDOW_PASSED');
    expect(t.service.returnQuote({ opId: sameDay.earn.opId }).refusal?.code).toBe('RETURN_WINDOW_PASSED');
    expect(snapshot(t.db)).toEqual(before);
  });

  it('through the command line: --line CATEGORY:FEN, repeated; --amount with --line refused', async () => {
    const { main } = await import('../../src/cli/main');
    const { earn } = purchase();
    t.close();
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: () => undefined, now: () => NOW + DAY_MS };
    const run = (...args: string[]) => main(['return', '--db', t.dbPath, '--now', String((NOW + DAY_MS) / 1000), ...args], io);
    expect(await run('--op', earn.opId, '--staff', 'clerk-01', '--amount', '100', '--line', 'general:100')).toBe(2);
    expect(JSON.parse(out.pop()!).error.code).toBe('INVALID_INPUT');
    expect(await run('--op', earn.opId, '--staff', 'clerk-01', '--line', 'general:-5')).toBe(2);
    expect(await run('--op', earn.opId, '--staff', 'clerk-01', '--line', 'cosmetics:10000', '--line', 'general:5000')).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ ok: true, amountFen: 15_000, points: 250, targetOpId: earn.opId });
    expect(await run('--op', earn.opId, '--staff', 'clerk-01')).toBe(0);
    expect(JSON.parse(out.pop()!)).toMatchObject({ ok: true, amountFen: 35_000, points: 550 });
    expect(await run('--op', earn.opId)).toBe(2);
    expect(JSON.parse(out.pop()!).error.code).toBe('STAFF_REQUIRED');
  });
});

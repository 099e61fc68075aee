// Owing points after a return (docs/returns.md "Owing points"), on a real SQLite terminal: with HQ's
// rules allowing a negative balance up to a limit, a return of points already spent leaves the member
// owing them (the quote says so first), never more than the limit; the next earn repays the debt, and
// a void of that earn makes it owed again. Without the rule the balance stops at zero (returns.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { docLines } from '../../src/print/doc';
import { layoutReceipt } from '../../src/print/layout';
import { parseReceiptModel } from '../../src/print/receiptSchema';
import { textWidth } from '../../src/print/text';
import { DAY_MS } from '../../src/loyalty/time';
import { closeDay } from '../../src/terminal/manager/dayEnd';
import { dayReport, toPrintedZReport } from '../../src/terminal/manager/zReport';
import { layoutZReport } from '../../src/print/zReport';
import { setMeta } from '../../src/store/meta';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal(40);
  setMeta(t.db, 'rules_json', JSON.stringify({ ...DEFAULT_RULES, version: 2, returns: { windowDays: 30, allowNegative: true, negativeLimitPoints: 300 } }));
});
afterEach(() => t.cleanup());

const balance = (memberId: string): number => t.service.memberCard({ memberId }).points.balance;
const owedOf = (memberId: string): number => (t.db.prepare('SELECT points_owed AS o FROM members WHERE id = ?').get(memberId) as { o: number }).o;
const lines = [{ category: 'cosmetics', amountFen: 30_000 }, { category: 'general', amountFen: 20_000 }];
const receiptOf = (jobId: number) =>
  parseReceiptModel(JSON.parse((t.db.prepare('SELECT payload_json FROM print_jobs WHERE id = ?').get(jobId) as { payload_json: string }).payload_json));

describe('owing points after a return, up to the rules’ limit', () => {
  it('owes what was spent up to the limit, shows it in the quote, repays it from the next earn, and owes it again when that earn is voided', () => {
    const m = (t.db.prepare("SELECT id FROM members WHERE status='active' AND tier='basic' AND birthday NOT LIKE '11-%' ORDER BY id LIMIT 1").get() as { id: string }).id;
    const first = t.service.earn({ memberId: m, staffId: 'clerk-01', lines });
    const second = t.service.earn({ memberId: m, staffId: 'clerk-01', lines });
    expect([first.points, second.points]).toEqual([800, 800]);
    const spend = Math.floor((balance(m) - 100) / 100) * 100;
    t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: spend, amountFen: spend * 10 });
    t.clock.now = NOW + DAY_MS;
    const left = balance(m);
    expect(left).toBeGreaterThanOrEqual(100);

    // The quote says what the return will do before anything is written: the balance goes below zero.
    const quote = t.service.returnQuote({ opId: first.opId, memberId: m, whole: true });
    const owe = Math.min(300, 800 - left);
    expect(quote.plan).toMatchObject({ points: 800, owed: owe, shortfall: 800 - left - owe, takenBack: left + owe, pointsBefore: left, pointsAfter: -owe });
    expect(owedOf(m)).toBe(0);
    const r = t.service.returnPurchase({ opId: first.opId, staffId: 'clerk-01' });
    expect(r).toMatchObject({ owed: owe, pointsAfter: -owe });
    expect(balance(m)).toBe(-owe);
    const event = t.db.prepare("SELECT payload_json FROM outbox WHERE json_extract(payload_json, '$.opId') = ?").get(r.opId) as { payload_json: string };
    expect(JSON.parse(event.payload_json)).toMatchObject({ points: -(left + owe), detail: { owed: owe, shortfall: 800 - left - owe } });
    // The return receipt says what is owed now, beside the balance below zero, in every language and width.
    const receipt = receiptOf(r.printJobId);
    expect(receipt.returned).toMatchObject({ owed: owe, shortfall: 800 - left - owe });
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      for (const cols of [32, 48] as const) {
        const lines = docLines(layoutReceipt(receipt, { cols, lang, synced: false }));
        for (const line of lines) expect(textWidth(line), `${lang}/${cols}: ${line}`).toBeLessThanOrEqual(cols);
        const tr = createTranslator(lang);
        expect(lines.join('\n'), `${lang}/${cols}`).toMatch(new RegExp(`${tr.t('receipt.owed')}\\s+${owe}\n`));
        expect(lines.join('\n'), `${lang}/${cols}`).toMatch(new RegExp(`${tr.t('receipt.pointsAfter')}\\s+-${owe}\n`));
      }
    }

    // At the limit already: the second return owes nothing more; all of it is the recorded shortfall.
    const again = t.service.returnPurchase({ opId: second.opId, staffId: 'clerk-01' });
    expect(again).toMatchObject({ owed: 0, shortfall: 800, takenBack: 0, pointsBefore: -300, pointsAfter: -300 });
    expect(docLines(layoutReceipt(receiptOf(again.printJobId), { cols: 32, lang: 'zh-CN', synced: false })).join('\n')).not.toContain('本次欠分');
    expect(balance(m)).toBe(-300);

    // The next earn repays first: 200 points earned, 200 of the 300 owed repaid.
    const next = t.service.earn({ memberId: m, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 20_000 }] });
    expect(next).toMatchObject({ points: 200, pointsBefore: -300, pointsAfter: -100 });
    expect(owedOf(m)).toBe(100);
    expect(balance(m)).toBe(-100);
    const stored = JSON.parse((t.db.prepare('SELECT detail_json FROM operations WHERE id = ?').get(next.opId) as { detail_json: string }).detail_json) as { owedRepaid: number };
    expect(stored.owedRepaid).toBe(200);
    // Nothing can be spent while owing.
    expect(() => t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: 100, amountFen: 1_000 })).toThrow();

    // Voided the same day: the points leave and the debt they repaid is owed again.
    const v = t.service.voidOperation({ opId: next.opId, staffId: 'clerk-01', approverId: 'mgr-01' });
    expect(v).toMatchObject({ pointsBefore: -100, pointsAfter: -300 });
    expect(owedOf(m)).toBe(300);
    expect(balance(m)).toBe(-300);

    // The day-end summary the manager sees counts what the day's returns left owing, beside the
    // shortfall, and keeps it when the day closes; the printed Z-report carries the line.
    const date = '2026-11-24';
    expect(dayReport(t.service.deps, date).returns).toEqual({ count: 2, amountFen: 100_000, points: left + owe, shortfall: 800 - left - owe + 800, owed: owe });
    const closed = closeDay(t.service.deps, { staffId: 'mgr-01' });
    expect(closed.report.returns.owed).toBe(owe);
    expect(dayReport(t.service.deps, date).returns.owed).toBe(owe);
    const printed = docLines(layoutZReport(toPrintedZReport(t.service.deps, closed.report, t.clock.now), { cols: 32, lang: 'zh-CN' })).join('\n');
    expect(printed).toMatch(new RegExp(`退货欠分\\s+${owe}\n`));
  });

  it('without the rule nothing is owed: the balance stops at zero', () => {
    setMeta(t.db, 'rules_json', JSON.stringify({ ...DEFAULT_RULES, version: 2 }));
    const m = (t.db.prepare("SELECT id FROM members WHERE status='active' AND tier='basic' AND birthday NOT LIKE '11-%' ORDER BY id LIMIT 1 OFFSET 1").get() as { id: string }).id;
    const e = t.service.earn({ memberId: m, staffId: 'clerk-01', lines });
    const spend = Math.floor(balance(m) / 100) * 100;
    if (spend > 0) t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: spend, amountFen: spend * 10 });
    t.clock.now = NOW + DAY_MS;
    const r = t.service.returnPurchase({ opId: e.opId, staffId: 'clerk-01' });
    expect(r.owed).toBe(0);
    expect(r.pointsAfter).toBe(0);
    expect(owedOf(m)).toBe(0);
  });
});

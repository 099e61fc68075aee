// The manager's TerminalApi: refused to clerks by the core, bad dates refused with their sentence,
// CSV with a BOM that says what the report says, printing to the fake printer (a real TCP server)
// and to a printer that is off, conflicts acknowledged, staff changes — each audited.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { managerApiInputs } from '../../src/contract/managerContract';
import type { TerminalApi, TerminalInput, TerminalMethod } from '../../src/contract/terminalApi';
import { createTranslator } from '../../src/i18n';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { verifyAuditChain } from '../../src/store/audit';
import { setMeta } from '../../src/store/meta';
import { recordConflict } from '../../src/store/syncState';
import { readConfig } from '../../src/terminal/operations/config';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi } from '../helpers/sessions';
import { allowPrinter } from '../helpers/printerConfig';
import { snapshot } from '../helpers/snapshot';

let t: DemoTerminal;
let printer: FakePrinter | null = null;
let printerUri: string | null = null;
let api: TerminalApi;

const en = createTranslator('en');

beforeEach(() => {
  t = openDemoTerminal(120);
  t.online.value = true;
  printerUri = null;
  api = deskApi(t.service, { desk: { manager: { sync: null, printerUri: () => printerUri } } });
});
afterEach(async () => {
  await printer?.close();
  printer = null;
  t.cleanup();
});

async function ok<M extends TerminalMethod>(method: M, input: TerminalInput<M>) {
  const r = await api[method](input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** A TCP port on loopback that nothing listens on (a printer that is off). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

// The approval's own methods (manager.approve, manager.leave) are tested in test/terminal/managerApproval.test.ts.
const VALID_INPUTS: { [M in Exclude<keyof typeof managerApiInputs, 'manager.approve' | 'manager.leave'>]: TerminalInput<M> } = {
  'manager.dayEnd': {},
  'manager.dayEndProgress': {},
  'manager.zReport': {},
  'manager.closedDays': {},
  'manager.zReportCsv': {},
  'manager.printZReport': {},
  'manager.kpis': {},
  'manager.kpiCsv': { chart: 'byTier' },
  'manager.conflicts': {},
  'manager.ackConflict': { id: 1 },
  'manager.setAside': {},
  'manager.staff.list': {},
  'manager.staff.add': { name: '张三', pin: '5555' },
  'manager.staff.disable': { staffId: 'clerk-02' },
  'manager.staff.resetPin': { staffId: 'clerk-02', pin: '5556' },
  'manager.settings.get': {},
  'manager.settings.set': { lang: 'en' },
  'manager.settings.testPrint': {},
  'manager.settings.printerStatus': {},
  'manager.doctor': {},
  'manager.recoveryKey': {},
  'manager.backups': {},
  'manager.backupNow': {},
  'manager.printRecoveryKey': { recoveryKey: 'ABCD' },
};

describe('manager API', () => {
  it('refuses every manager method to a clerk and to nobody signed in, changing nothing', async () => {
    let before = snapshot(t.db);
    for (const method of Object.keys(VALID_INPUTS) as (keyof typeof VALID_INPUTS)[]) {
      const anon = await (api[method] as (i: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(VALID_INPUTS[method]);
      expect(anon.error?.code, method).toBe('NOT_SIGNED_IN');
    }
    expect(snapshot(t.db)).toEqual(before);
    await ok('staff.signIn', { pin: '1234' });
    before = snapshot(t.db);
    for (const method of Object.keys(VALID_INPUTS) as (keyof typeof VALID_INPUTS)[]) {
      const r = await (api[method] as (i: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string } }>)(VALID_INPUTS[method]);
      expect(r.error?.code, method).toBe('NOT_MANAGER');
      expect(r.error?.message).toBe(createTranslator('zh-CN').error('NOT_MANAGER', {}));
    }
    expect(snapshot(t.db)).toEqual(before);
  });

  it('refuses malformed, impossible, too early and future dates with their sentence, the day untouched', async () => {
    await ok('staff.signIn', { pin: '9999' });
    await ok('session.setLang', { lang: 'en' });
    const before = snapshot(t.db);
    const cases: [string, string][] = [
      ['2026-1-5', 'DATE_INVALID'],
      ['2026-02-30', 'DATE_INVALID'],
      ['1999-12-31', 'DATE_INVALID'],
      ['yesterday', 'DATE_INVALID'],
      ['2026-11-24', 'DAY_IN_FUTURE'],
    ];
    for (const [date, code] of cases) {
      for (const method of ['manager.zReport', 'manager.zReportCsv', 'manager.printZReport', 'manager.kpis'] as const) {
        const r = await api[method]({ date });
        expect(!r.ok && r.error.code, `${method} ${date}`).toBe(code);
      }
    }
    const future = await api['manager.zReport']({ date: '2026-11-24' });
    expect(!future.ok && future.error.message).toBe(en.error('DAY_IN_FUTURE', { date: '2026-11-24', today: '2026-11-23' }));
    expect(snapshot(t.db)).toEqual(before);
  });

  it('day-end without HQ closes locally, says how many events wait, and closing again gives the same report', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const member = t.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string };
    t.service.redeem({ memberId: member.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    const first = await ok('manager.dayEnd', {});
    expect(first.sync).toEqual({ ok: false, error: { code: 'NO_HQ_CREDENTIAL', params: {} } });
    expect(first.waiting).toBe(1);
    expect(first.auditProblem).toBeNull();
    expect(first.report).toMatchObject({ closed: true, synced: false, pending: 1, number: 1, redemptions: { count: 1, valueFen: 2_000 } });
    const again = await ok('manager.dayEnd', {});
    expect(again.alreadyClosed).toBe(true);
    expect(again.report).toEqual(first.report);
    expect(await ok('manager.zReport', {})).toEqual(first.report);
    expect(await ok('manager.closedDays', {})).toEqual([{ date: '2026-11-23', number: 1, closedAt: NOW, synced: false }]);
  });

  it('day-end reports an audit anchor that HQ did not sign, in the manager\'s words', async () => {
    await ok('staff.signIn', { pin: '9999' });
    // An anchor edited by hand (here: not even JSON) no longer verifies against HQ's key.
    t.db.prepare("INSERT INTO sync_state(key, value) VALUES ('audit_anchor', '{\"seq\":5}')").run();
    const r = await ok('manager.dayEnd', {});
    expect(r.auditProblem).toEqual({ code: 'AUDIT_ANCHOR_INVALID', params: { seq: 0 } });
    expect(createTranslator('zh-CN').error(r.auditProblem!.code, r.auditProblem!.params)).toContain('审计锚点');
  });

  it('closes an earlier day left open and today when both are asked at once: a second day waits, the same day joins', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const [yesterday, today, todayAgain] = await Promise.all([
      ok('manager.dayEnd', { date: '2026-11-22' }),
      ok('manager.dayEnd', {}),
      ok('manager.dayEnd', {}),
    ]);
    expect(yesterday.report).toMatchObject({ date: '2026-11-22', closed: true, number: 1 });
    expect(today.report).toMatchObject({ date: '2026-11-23', closed: true, number: 2 });
    expect(todayAgain.report).toEqual(today.report);
    expect((await ok('manager.closedDays', {})).map((d) => [d.date, d.number])).toEqual([
      ['2026-11-23', 2],
      ['2026-11-22', 1],
    ]);
  });

  it('exports the Z-report as UTF-8 CSV with a BOM whose numbers are the report’s', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const member = t.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string };
    t.service.redeem({ memberId: member.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    t.service.redeem({ memberId: member.id, benefitId: 'B-SVC-WRAP', staffId: 'clerk-02' });
    const report = await ok('manager.zReport', {});
    const { csv, filename } = await ok('manager.zReportCsv', {});
    expect(filename).toBe('z-report-SH001-T1-2026-11-23.csv');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csv.slice(1).trimEnd().split('\r\n').map((l) => l.split(','));
    // Every heading and section in the report's language (issue 18 item 7); identifiers only as references.
    expect(rows[0]).toEqual(['类别', '项目', '编号', '数量', '金额（分）', '金额（元）', '积分变动']);
    for (const r of rows) expect(r[0], r.join(',')).toMatch(/^[\u4e00-\u9fff]+$/);
    const row = (section: string, item: string) => rows.find((r) => r[0] === section && r[1] === item);
    expect(row('核销', '合计')?.slice(3, 6)).toEqual([String(report.redemptions.count), String(report.redemptions.valueFen), '20.00']);
    expect(row('核销', '代金券')?.slice(3, 6)).toEqual(['1', '2000', '20.00']);
    expect(row('按店员', '陈磊')?.slice(2, 4)).toEqual(['clerk-02', '1']);
    expect(row('待同步', '待同步')?.[3]).toBe('2');

    // A voided earn shows the points it took back, on screen's model and in the CSV.
    const earned = t.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 25_800 }] });
    t.service.voidOperation({ opId: earned.opId, staffId: 'clerk-01', approverId: 'mgr-01' });
    const after = (await ok('manager.zReportCsv', {})).csv.slice(1).trimEnd().split('\r\n').map((l: string) => l.split(','));
    const voided = after.find((r: string[]) => r[0] === '撤销' && r[2] === earned.opId);
    expect(voided?.slice(1)).toEqual(['累积积分 · 批准人 李娜', earned.opId, '1', '0', '0.00', String(-earned.points)]);
  });

  it('lists the day’s returns in the CSV as the printed report does: count, amount, points taken back, shortfall, owed', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const rowsOf = async () => (await ok('manager.zReportCsv', {})).csv.slice(1).trimEnd().split('\r\n').map((l: string) => l.split(','));
    // No return yet: the section says 0, as the paper does.
    expect((await rowsOf()).filter((r: string[]) => r[0] === '退货')).toEqual([['退货', '笔数', '', '0', '', '', '']]);

    // HQ's rules let a return leave a member owing up to 300 points (docs/returns.md "Owing points").
    setMeta(t.db, 'rules_json', JSON.stringify({ ...DEFAULT_RULES, version: 2, returns: { windowDays: 30, allowNegative: true, negativeLimitPoints: 300 } }));
    const m = (t.db.prepare("SELECT id FROM members WHERE status='active' AND tier='basic' ORDER BY id LIMIT 1").get() as { id: string }).id;
    const lines = [{ category: 'general', amountFen: 200_000 }];
    const first = t.service.earn({ memberId: m, staffId: 'clerk-01', lines });
    const balance = t.service.memberCard({ memberId: m }).points.balance;
    // Spend all but 100 points: the return then takes back what is left, owes some and records the rest as spent.
    const spend = Math.floor((balance - 100) / 100) * 100;
    if (spend > 0) t.service.cashDeduct({ memberId: m, staffId: 'clerk-01', points: spend, amountFen: spend * 10 });
    // A return is of an earlier day's purchase (the same day it is a void): the report is the next day's.
    t.clock.now = NOW + 86_400_000;
    t.service.returnPurchase({ opId: first.opId, staffId: 'clerk-01' });
    const report = await ok('manager.zReport', {});
    expect(report.returns.count).toBe(1);
    expect(report.returns.owed).toBeGreaterThan(0);
    expect(report.returns.shortfall).toBeGreaterThan(0);
    const section = (await rowsOf()).filter((r: string[]) => r[0] === '退货');
    expect(section).toEqual([
      ['退货', '笔数', '', '1', '', '', ''],
      ['退货', '退货金额', '', '', String(report.returns.amountFen), (report.returns.amountFen / 100).toFixed(2), ''],
      ['退货', '退回积分', '', '', '', '', String(-report.returns.points)],
      ['退货', '已用掉未扣回', '', String(report.returns.shortfall), '', '', ''],
      ['退货', '退货欠分', '', String(report.returns.owed), '', '', ''],
    ]);
    expect(report.returns.amountFen).toBe(200_000);
  });

  // A manager at the desk has no --printer flag and no config.json to edit: the refusal says where
  // the desk sets a printer up (the Devices tab, in the tab's own words), and only the command line
  // names its flag.
  it('with no printer set up, the Z-report and test page are refused in words that name the Devices tab, not a flag', async () => {
    await ok('staff.signIn', { pin: '9999' });
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      await ok('session.setLang', { lang });
      const tr = createTranslator(lang);
      for (const method of ['manager.printZReport', 'manager.settings.testPrint'] as const) {
        const r = await api[method]({});
        expect(!r.ok && r.error.code, `${method} ${lang}`).toBe('PRINTER_NOT_CONFIGURED');
        const words = r.ok ? '' : r.error.message;
        expect(words, `${method} ${lang}`).toContain(tr.t('manager.tabs.settings'));
        expect(words, `${method} ${lang}`).not.toMatch(/--printer|config\.json/);
      }
      expect(tr.error('PRINTER_NOT_CONFIGURED', { context: 'cli' })).toContain('--printer');
    }
  });

  it('prints the Z-report on the fake printer, and a printer that is off gets a clear message with nothing changed', async () => {
    await ok('staff.signIn', { pin: '9999' });
    await ok('manager.dayEnd', {});
    const dead = await deadPort();
    allowPrinter(t.dir, { ports: [dead] });
    printerUri = `tcp://127.0.0.1:${dead}`;
    const before = snapshot(t.db);
    const off = await api['manager.printZReport']({});
    expect(!off.ok && off.error.code).toBe('PRINTER_UNREACHABLE');
    expect(!off.ok && off.error.message).toContain('127.0.0.1');
    expect(snapshot(t.db)).toEqual(before);

    printer = await startFakePrinter({ port: 0, out: join(t.dir, 'printer') });
    allowPrinter(t.dir, printer.allow);
    printerUri = printer.uri;
    const printed = await ok('manager.printZReport', {});
    expect(printed).toMatchObject({ printed: true, printerState: 'ready' });
    await expect.poll(() => printer!.receipts.length).toBe(1);
    const text = printer.receipts[0]!.lines.join('\n');
    expect(text).toContain('2026-11-23');
    expect(text).toContain('日结报表');
    expect(text).toMatch(/日结号 +1\n/);
    const test = await ok('manager.settings.testPrint', {});
    expect(test.printed).toBe(true);
    expect(await ok('manager.settings.printerStatus', {})).toMatchObject({ state: 'ready', error: null });
    expect(t.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'zreport.printed'").get()).toEqual({ n: 1 });
  });

  it('lists conflicts with both redemptions and audits the acknowledgement once', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const member = t.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string };
    const a = t.service.redeem({ memberId: member.id, benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' });
    const b = t.service.redeem({ memberId: member.id, benefitId: 'B-SVC-WRAP', staffId: 'clerk-01' });
    recordConflict(t.db, { id: 41, opId: b.opId, terminalId: 'SH001-T1', memberId: member.id, kind: 'benefit_limit', decision: 'honored', detail: { benefitId: 'B-SVC-WRAP', limit: 1, usedBefore: 1 }, at: NOW, decidedAt: NOW + 1 }, NOW + 2);
    const list = await ok('manager.conflicts', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 41, kind: 'benefit_limit', decision: 'honored', benefit: { id: 'B-SVC-WRAP' }, op: { opId: b.opId }, acknowledged: null });
    expect(list[0]!.others.map((o) => o.opId)).toEqual([a.opId]);
    expect((await ok('manager.zReport', {})).conflicts).toMatchObject([{ id: 41, acknowledged: false }]);
    const ack = await ok('manager.ackConflict', { id: 41 });
    expect(ack).toEqual({ id: 41, at: NOW, by: 'mgr-01' });
    expect(await ok('manager.ackConflict', { id: 41 })).toEqual(ack);
    expect(t.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'conflict.acknowledged' AND ref = '41'").get()).toEqual({ n: 1 });
    const unknown = await api['manager.ackConflict']({ id: 999 });
    expect(!unknown.ok && unknown.error.code).toBe('UNKNOWN_CONFLICT');
  });

  it("answers each conflict with HQ's reason and its values; a newer HQ's reason as the generic one; none without a reason", async () => {
    await ok('staff.signIn', { pin: '9999' });
    const member = t.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string };
    const earn = t.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 1_000 }] });
    const conflict = (id: number, kind: 'earn_refused' | 'card_replace_refused' | 'signup_refused' | 'benefit_limit', detail: Record<string, string | number | null>) =>
      recordConflict(t.db, { id, opId: earn.opId, terminalId: 'SH001-T1', memberId: member.id, kind, decision: kind === 'benefit_limit' ? 'honored' : 'refused', detail, at: NOW, decidedAt: NOW + 1 }, NOW + 2);
    conflict(51, 'earn_refused', { reason: 'amount_cap', amountFen: 258_000_000, capFen: 100_000_000 });
    conflict(52, 'card_replace_refused', { reason: 'replace_cap', limit: 20 });
    conflict(53, 'signup_refused', { reason: 'fingerprint_mismatch', score: 3 });
    conflict(54, 'benefit_limit', { benefitId: 'B-SVC-WRAP', limit: 1, usedBefore: 1 });
    const list = await ok('manager.conflicts', {});
    expect(list.map((c) => [c.id, c.reason])).toEqual([
      [51, { code: 'amount_cap', key: 'earn_refused.amount_cap', values: { amountFen: 258_000_000, capFen: 100_000_000 } }],
      [52, { code: 'replace_cap', key: 'card_replace_refused.replace_cap', values: { limit: 20 } }],
      [53, { code: 'fingerprint_mismatch', key: 'unknown', values: {} }],
      [54, null],
    ]);
  });

  it('adds a clerk who can sign in, disables them and resets PINs, all audited; HQ staff are read-only', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const added = await ok('manager.staff.add', { name: '赵敏', pin: '4321' });
    expect(added).toMatchObject({ name: '赵敏', role: 'clerk', active: true, origin: 'local' });
    expect((await api['manager.staff.add']({ name: '重复', pin: '4321' })).ok).toBe(false);
    expect((await api['manager.staff.add']({ name: '重复', pin: '1234' })) as unknown).toMatchObject({ error: { code: 'PIN_IN_USE' } });
    expect(t.service.signIn('4321').id).toBe(added.id);
    expect(await api['manager.staff.resetPin']({ staffId: added.id, pin: '8765' })).toMatchObject({ ok: true });
    expect(t.service.signIn('8765').id).toBe(added.id);
    expect(await api['manager.staff.disable']({ staffId: 'clerk-01' })).toMatchObject({ ok: false, error: { code: 'STAFF_MANAGED_BY_HQ' } });
    expect(await api['manager.staff.disable']({ staffId: 'mgr-01' })).toMatchObject({ ok: false, error: { code: 'CANNOT_DISABLE_SELF' } });
    expect(await api['manager.staff.disable']({ staffId: added.id })).toMatchObject({ ok: true, value: { active: false } });
    expect(() => t.service.signIn('8765')).toThrow(expect.objectContaining({ code: 'WRONG_PIN' }));
    const list = await ok('manager.staff.list', {});
    expect(list.find((s) => s.id === 'clerk-01')).toMatchObject({ origin: 'hq', active: true });
    const actions = (t.db.prepare("SELECT action FROM audit WHERE action LIKE 'staff.%' ORDER BY seq").all() as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['staff.add', 'staff.pinInUse', 'staff.pinInUse', 'staff.resetPin', 'staff.disable']);
    expect(JSON.stringify(t.db.prepare("SELECT content_json FROM audit WHERE action LIKE 'staff.%'").all())).not.toContain('8765');
    expect(verifyAuditChain(t.db).ok).toBe(true);
  });

  it('stops a manager from finding colleagues\' PINs by trying them: three PINs in use lock PIN changes for 15 minutes', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const tries = [];
    for (const pin of ['1234', '2345', '1234']) tries.push(await api['manager.staff.add']({ name: '试探', pin }));
    expect(tries.map((r) => !r.ok && r.error.code)).toEqual(['PIN_IN_USE', 'PIN_IN_USE', 'PIN_CHANGES_LOCKED']);
    // While locked, even a free PIN is refused, so the lock cannot be told apart from a collision.
    const free = await api['manager.staff.add']({ name: '新人', pin: '5678' });
    expect(!free.ok && free.error).toMatchObject({ code: 'PIN_CHANGES_LOCKED', message: '多次选用已被占用的 PIN，请在 2026-11-23 10:15 后再设置员工 PIN。' });
    expect(t.db.prepare("SELECT count(*) AS n FROM staff WHERE origin = 'local'").get()).toEqual({ n: 0 });
    const audited = t.db.prepare("SELECT content_json FROM audit WHERE action = 'staff.pinInUse' ORDER BY seq").all() as { content_json: string }[];
    expect(audited.map((r) => JSON.parse(r.content_json).data)).toEqual([
      { attempt: 1, locked: false },
      { attempt: 2, locked: false },
      { attempt: 3, locked: true },
    ]);
    expect(JSON.stringify(audited)).not.toMatch(/1234|2345/);
    t.clock.now = NOW + 15 * 60_000 + 1;
    expect(await api['manager.staff.add']({ name: '新人', pin: '5678' })).toMatchObject({ ok: true, value: { name: '新人' } });
  });

  it('saves device settings to config.json, refuses a bad printer address, shows HQ’s limits', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const before = await ok('manager.settings.get', {});
    expect(before.tz).toBe('Asia/Shanghai');
    expect(before.offlineLimits.maxUnsyncedValueFen).toBeGreaterThan(0);
    const bad = await api['manager.settings.set']({ printer: 'ftp://printer' });
    expect(!bad.ok && bad.error.code).toBe('PRINTER_URI_INVALID');
    expect(readConfig(t.dir)).toBeNull();
    const saved = await ok('manager.settings.set', { printer: 'tcp://127.0.0.1:9100', lang: 'zh-TW', scanner: { wedge: { enabled: true, maxInterKeyMs: 50, minLength: 10 } } });
    expect(saved.changed.sort()).toEqual(['lang', 'printer', 'scanner']);
    expect(readConfig(t.dir)).toMatchObject({ printer: 'tcp://127.0.0.1:9100', lang: 'zh-TW', scanner: { wedge: { maxInterKeyMs: 50, minLength: 10 } } });
    expect(t.db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'settings.update'").get()).toEqual({ n: 1 });
  });

  it('gives the KPI tables and CSV for each chart', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const member = t.db.prepare("SELECT id, tier FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string; tier: string };
    t.service.redeem({ memberId: member.id, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
    const { kpis, tables } = await ok('manager.kpis', {});
    expect(kpis.redemptionsPerDay).toHaveLength(30);
    expect(kpis.redemptionsPerDay.at(-1)).toEqual({ date: '2026-11-23', count: 1, valueFen: 2_000 });
    expect(kpis.byTier.find((r) => r.tier === member.tier)).toMatchObject({ count: 1, valueFen: 2_000 });
    expect(tables.redemptionsPerDay.rows.at(-1)).toEqual(['2026-11-23', 1, '20.00']);
    const csv = await ok('manager.kpiCsv', { chart: 'redemptionsPerDay' });
    expect(csv.csv.startsWith('\uFEFF日期,核销笔数,金额（元）\r\n')).toBe(true);
    expect(csv.csv.trimEnd().split('\r\n').at(-1)).toBe('2026-11-23,1,20.00');
  });

  it('shows the recovery key once, with the manager\'s approval, audited without the key; again only when renewed', async () => {
    await ok('staff.signIn', { pin: '9999' });
    const first = await ok('manager.recoveryKey', {});
    expect(first.recoveryKey).toMatch(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/);
    const again = await api['manager.recoveryKey']({});
    expect(!again.ok && again.error.code).toBe('RECOVERY_KEY_ALREADY_SHOWN');
    expect(!again.ok && again.error.message).toContain('恢复密钥');
    const renewed = await ok('manager.recoveryKey', { renew: true });
    expect(renewed.recoveryKey).not.toBe(first.recoveryKey);
    const entries = t.db.prepare("SELECT actor, action, content_json FROM audit WHERE action LIKE 'recovery.%' ORDER BY seq").all() as { actor: string; action: string; content_json: string }[];
    expect(entries.map((e) => [e.actor, e.action])).toEqual([['mgr-01', 'recovery.issued'], ['mgr-01', 'recovery.renewed']]);
    for (const e of entries) expect(e.content_json).not.toContain(first.recoveryKey.slice(0, 9));
    expect(verifyAuditChain(t.db).ok).toBe(true);
  });

  it('prints only the recovery key in force, audited without it; backs up now and shows the folder', async () => {
    await ok('staff.signIn', { pin: '9999' });
    printer = await startFakePrinter({ port: 0, out: join(t.dir, 'printer') });
    allowPrinter(t.dir, printer.allow);
    printerUri = `tcp://127.0.0.1:${printer.port}`;
    const { recoveryKey } = await ok('manager.recoveryKey', {});
    // Not the key in force (a typed one, a malformed one): nothing prints.
    for (const wrong of ['0000-0000-0000-0000-0000-0000-0000-0000-0000', 'not a key']) {
      const r = await api['manager.printRecoveryKey']({ recoveryKey: wrong });
      expect(!r.ok && r.error.code, wrong).toBe('RECOVERY_KEY_INVALID');
    }
    expect(printer.receipts).toHaveLength(0);
    const printed = await ok('manager.printRecoveryKey', { recoveryKey });
    expect(printed.printed).toBe(true);
    await expect.poll(() => printer!.receipts.length).toBe(1);
    const text = printer.receipts[0]!.lines.join('\n');
    const groups = recoveryKey.split('-');
    expect(text).toContain(groups.slice(0, 3).join(' '));
    expect(text).toContain(groups.slice(6, 9).join(' '));
    expect(text).toContain('恢复密钥');
    const entries = t.db.prepare("SELECT action, content_json FROM audit WHERE action = 'recovery.printed'").all() as { content_json: string }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]!.content_json).not.toContain(groups[0]!);

    const before = await ok('manager.backups', {});
    expect(before).toMatchObject({ possible: true, lastDaily: null, recent: [], failure: null, recoveryShownAt: NOW });
    expect(before.folder).toBe(`${t.dir}-backups`);
    const made = await ok('manager.backupNow', {});
    expect(made).toMatchObject({ kind: 'manual' });
    expect(made.bytes).toBeGreaterThan(0);
    const after = await ok('manager.backups', {});
    expect(after.recent).toEqual([made]);
    expect(after.lastDaily).toBeNull();
  });
});

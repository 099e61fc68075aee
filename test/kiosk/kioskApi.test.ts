// The kiosk's API surface in the core, on a real SQLite demo database: only verified codes open a
// page, the page says nothing of the member's phone, full name or card number, staff methods are
// refused by name, and a slip is a print job (kind 'slip', op_id NULL) that reaches a real TCP
// fake printer with the member's card code in its QR — or is withdrawn when it cannot print.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/contract/errors';
import type { KioskPage } from '../../src/contract/kioskApi';
import type { PrinterState } from '../../src/contract/terminalApi';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { parsePrinterUri } from '../../src/print/printerUri';
import { runPrintQueue } from '../../src/print/queue';
import { parseCode } from '../../src/scan/codeFormat';
import { REDACTED_SLIP } from '../../src/store/kioskQueries';
import type { KioskSessionOptions } from '../../src/terminal/session/kioskSession';
import { kioskApi } from '../helpers/sessions';
import { scanMember } from '../../src/terminal/operations/scan';
import { appCode, cardCode, hqKeyOf } from '../scan/fixtures';
import { count, NOW, openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';
import { demoPhones } from '../helpers/demoPhones';

/** openDemoTerminal(200) seeds with seed 'test' at NOW. */
const PHONES = demoPhones({ seed: 'test', now: NOW, members: 200 });

const FAST = { openMs: 2000, queryMs: 800, beforeMs: 3000 };
let t: DemoTerminal;
let printer: FakePrinter;
let out: ReturnType<typeof tempDir>;

interface MemberRow {
  id: string;
  name: string;
  phone: string;
  card_no: string;
  card_serial: number;
}

beforeAll(async () => {
  out = tempDir('ld-kiosk-printer-');
  printer = await startFakePrinter({ port: 0, out: out.dir });
});
afterAll(async () => {
  await printer.close();
  out.cleanup();
});
beforeEach(() => {
  t = openDemoTerminal(200);
});
afterEach(() => t.cleanup());

type KioskOptions = Omit<KioskSessionOptions, 'onInternal'> & { onInternal?: (err: unknown) => void };

function kiosk(o: KioskOptions = {}, state: PrinterState = 'ready') {
  const { lang, onInternal, ...rest } = o;
  return kioskApi(t.service, { ...(lang ? { lang } : {}), ...(onInternal ? { onInternal } : {}), kiosk: { printer: () => ({ state, name: 'test' }), ...rest } });
}

function member(where = "status = 'active'"): MemberRow {
  const row = t.db.prepare(`SELECT id, name, card_no, card_serial FROM members WHERE ${where} ORDER BY id LIMIT 1`).get() as Omit<MemberRow, 'phone'>;
  return { ...row, phone: PHONES.get(row.id)! };
}

function ok<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function expectNothingPrivate(text: string, m: MemberRow): void {
  expect(text).not.toContain(m.phone);
  expect(text).not.toContain(m.card_no);
  if ([...m.name].length > 1) expect(text).not.toContain(m.name);
}

describe('kiosk.scan', () => {
  it('opens the member page for a signed card code with only what the member may see', async () => {
    const m = member("status = 'active' AND length(name) >= 2");
    const k = kiosk();
    const page = ok(await k['kiosk.scan']({ code: cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now) }));
    expect(page.member.maskedName).toBe(`${[...m.name][0]}${'*'.repeat([...m.name].length - 1)}`);
    expect(page.member.cardTail).toBe(m.card_no.slice(-4));
    expect(page.member.via).toBe('card');
    expect(page.points.balance).toBeGreaterThanOrEqual(0);
    expect(page.points.expiring.days).toBe(30);
    expect(['basic', 'advanced', 'core', 'premium']).toContain(page.tier.code);
    expect(page.year.to - page.year.from).toBeGreaterThan(360 * 86_400_000);
    // Usable benefits first, each not-yet one with its reason.
    const firstRefused = page.benefits.findIndex((b) => !b.usable);
    if (firstRefused >= 0) expect(page.benefits.slice(firstRefused).every((b) => !b.usable && b.whyNot !== null)).toBe(true);
    const json = JSON.stringify(page);
    expectNothingPrivate(json, m);
    expect(json).not.toContain(m.id);
    expect(Object.keys(page).sort()).toEqual(['badges', 'benefits', 'member', 'notices', 'pageId', 'points', 'slip', 'tier', 'tz', 'year']);
  });

  it('opens it for a live app code, and refuses the same step again as REPLAYED with a hint', async () => {
    const m = member();
    const k = kiosk();
    const code = appCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now);
    const page = ok(await k['kiosk.scan']({ code }));
    expect(page.member.via).toBe('app');
    const again = await k['kiosk.scan']({ code });
    expect(again.ok).toBe(false);
    if (!again.ok) {
      expect(again.error.code).toBe('REPLAYED');
      expect(again.error.message).toBe('此码刚刚已被使用。');
    }
    // The refused scan closed the page that was open.
    expect((await k['kiosk.printSlip']({ pageId: page.pageId })).ok).toBe(false);
  });

  it.each([
    ['an expired app code', 'EXPIRED', (m: MemberRow) => appCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now, { stepOffset: -5 })],
    ['a plain card number', 'KIOSK_CODE_REQUIRED', (m: MemberRow) => m.card_no],
    ['a card number nobody has', 'KIOSK_CODE_REQUIRED', () => '8860999999999999'],
    ['garbage', 'MALFORMED', () => '%%%%garbage-burst-@@@@'],
    ['a 5000-character burst', 'MALFORMED', () => 'x'.repeat(5000)],
    ['an empty scan', 'MALFORMED', () => ''],
  ])('refuses %s with a friendly sentence (%s) and writes nothing', async (_label, code, make) => {
    const m = member();
    const before = count(t, 'SELECT count(*) AS n FROM seen_codes');
    const k = kiosk({ lang: 'en' });
    const r = await k['kiosk.scan']({ code: make(m) });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message.length).toBeGreaterThan(10);
      expectNothingPrivate(JSON.stringify(r), m);
    }
    expect(count(t, 'SELECT count(*) AS n FROM seen_codes')).toBe(before);
  });

  it('answers a card number the same way whether or not it exists (no lookup oracle)', async () => {
    const k = kiosk({ lang: 'en' });
    const real = await k['kiosk.scan']({ code: member().card_no });
    const fake = await k['kiosk.scan']({ code: '8860000000000001' });
    expect(real).toEqual(fake);
  });
});

describe('staff methods', () => {
  it('are refused by name in a kiosk session and change nothing', async () => {
    const m = member();
    const k = kiosk({ lang: 'en' });
    ok(await k['kiosk.scan']({ code: cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now) }));
    const ops = count(t, 'SELECT count(*) AS n FROM operations');
    const calls: [string, unknown][] = [
      ['staff.signIn', { pin: '1234' }],
      ['benefit.redeem', { memberId: m.id, benefitId: 'B-VOUCHER-20' }],
      ['points.earn', { memberId: m.id, lines: [{ category: 'general', amountFen: 10000 }] }],
      ['operation.void', { opId: '00000000-0000-7000-8000-000000000000', managerPin: '9999' }],
      ['member.card', { memberId: m.id }],
      ['print.unprinted', {}],
    ];
    for (const [method, input] of calls) {
      const r = await k.call(method, input);
      expect(r.ok, method).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('KIOSK_STAFF_ONLY');
        expect(r.error.message).toContain(method);
      }
    }
    const unknown = await k.call('kiosk.redeem', {});
    expect(!unknown.ok && unknown.error.code).toBe('INVALID_INPUT');
    expect(count(t, 'SELECT count(*) AS n FROM operations')).toBe(ops);
  });
});

describe('the page lifetime', () => {
  it('is dropped on done and after the core timeout', async () => {
    const m = member();
    const k = kiosk({ pageTtlMs: 60_000 });
    const code = () => cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now);
    const page = ok(await k['kiosk.scan']({ code: code() }));
    ok(await k['kiosk.done']({}));
    const afterDone = await k['kiosk.printSlip']({ pageId: page.pageId });
    expect(!afterDone.ok && afterDone.error.code).toBe('KIOSK_NO_PAGE');

    const page2 = ok(await k['kiosk.scan']({ code: code() }));
    t.clock.now += 61_000;
    const late = await k['kiosk.printSlip']({ pageId: page2.pageId });
    expect(!late.ok && late.error.code).toBe('KIOSK_NO_PAGE');
  });

  it('binds a slip to the page on screen: another page id is refused', async () => {
    const m = member();
    const k = kiosk();
    const a = ok(await k['kiosk.scan']({ code: cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now) }));
    const b = ok(await k['kiosk.scan']({ code: cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now) }));
    expect(a.pageId).not.toBe(b.pageId);
    const stale = await k['kiosk.printSlip']({ pageId: a.pageId });
    expect(!stale.ok && stale.error.code).toBe('KIOSK_NO_PAGE');
  });
});

describe('the benefit slip', () => {
  async function printedSlip(k: ReturnType<typeof kiosk>, page: KioskPage) {
    const { slipId } = ok(await k['kiosk.printSlip']({ pageId: page.pageId }));
    const row = t.db.prepare('SELECT op_id, kind, status FROM print_jobs WHERE id = ?').get(slipId);
    expect(row).toEqual({ op_id: null, kind: 'slip', status: 'pending' });
    const before = printer.receipts.length;
    const outcomes = await runPrintQueue(t.db, { spec: parsePrinterUri(printer.uri, printer.allow), lang: 'zh-CN', clock: () => t.clock.now, timeouts: FAST });
    expect(outcomes.map((o) => o.status)).toEqual(['printed']);
    await expect.poll(() => printer.receipts.length, { timeout: 3000 }).toBe(before + 1);
    return { slipId, receipt: printer.receipts[printer.receipts.length - 1]! };
  }

  it('prints the scanned static card code as its QR, then keeps nothing of the member', async () => {
    const m = member("status = 'active' AND length(name) >= 2");
    const k = kiosk({ hqKey: null });
    const code = cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now);
    const page = ok(await k['kiosk.scan']({ code }));
    const { slipId, receipt } = await printedSlip(k, page);
    expect(receipt.qr).toEqual([code]);
    const text = receipt.lines.join('\n');
    expect(text).toContain('会员权益小票');
    expect(text).toContain(`${page.member.maskedName} ****${page.member.cardTail}`);
    expectNothingPrivate(text, m);
    expect(ok(await k['kiosk.slipStatus']({ pageId: page.pageId, slipId })).state).toBe('printed');
    expect((t.db.prepare('SELECT payload_json FROM print_jobs WHERE id = ?').get(slipId) as { payload_json: string }).payload_json).toBe(REDACTED_SLIP);
  });

  it('mints a card code for an app-code page when the folder holds the trusted HQ key; says why not otherwise', async () => {
    const m = member();
    const hq = hqKeyOf(t.dir);
    const withKey = kiosk({ hqKey: hq, lang: 'en' });
    const page = ok(await withKey['kiosk.scan']({ code: appCode(hq, m.id, m.card_serial, t.clock.now) }));
    const { receipt } = await printedSlip(withKey, page);
    expect(receipt.qr).toHaveLength(1);
    const minted = parseCode(receipt.qr[0]!);
    expect(minted.kind).toBe('static');
    // The desk accepts it: a genuine signed card code for this member.
    expect(scanMember(t.service.deps, receipt.qr[0]!)).toMatchObject({ verified: 'signed', member: { id: m.id } });

    t.clock.now += 60_000;
    const noKey = kiosk({ hqKey: null, lang: 'en' });
    const page2 = ok(await noKey['kiosk.scan']({ code: appCode(hq, m.id, m.card_serial, t.clock.now) }));
    const second = await printedSlip(noKey, page2);
    expect(second.receipt.qr).toEqual([]);
    expect(second.receipt.lines.join(' ')).toContain('needs your member card');
  });

  it('is refused at once when the printer is known to be down, and limited per page', async () => {
    const m = member();
    const code = () => cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now);
    const down = kiosk({ lang: 'en' }, 'paper-out');
    const p = ok(await down['kiosk.scan']({ code: code() }));
    const r = await down['kiosk.printSlip']({ pageId: p.pageId });
    expect(!r.ok && r.error.code).toBe('KIOSK_PRINTER_UNAVAILABLE');
    expect(!r.ok && r.error.message).toContain('out of paper');
    expect(count(t, "SELECT count(*) AS n FROM print_jobs WHERE kind = 'slip'")).toBe(0);

    const none = kiosk({}, 'not-configured');
    expect(ok(await none['kiosk.scan']({ code: code() })).slip.available).toBe(false);

    const k = kiosk({ maxSlips: 1 });
    const page = ok(await k['kiosk.scan']({ code: code() }));
    ok(await k['kiosk.printSlip']({ pageId: page.pageId }));
    const again = await k['kiosk.printSlip']({ pageId: page.pageId });
    expect(!again.ok && again.error.code).toBe('KIOSK_SLIP_LIMIT');
  });

  it('is withdrawn, never printed later, when the printer does not take it', async () => {
    const m = member();
    const k = kiosk({ lang: 'en' });
    const page = ok(await k['kiosk.scan']({ code: cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now) }));
    const { slipId } = ok(await k['kiosk.printSlip']({ pageId: page.pageId }));
    printer.setFault({ fault: 'paper-out' });
    try {
      const outcomes = await runPrintQueue(t.db, { spec: parsePrinterUri(printer.uri, printer.allow), lang: 'zh-CN', clock: () => t.clock.now, timeouts: FAST });
      expect(outcomes[0]?.status).toBe('pending');
    } finally {
      printer.setFault({ fault: 'none' });
    }
    const status = ok(await k['kiosk.slipStatus']({ pageId: page.pageId, slipId }));
    expect(status.state).toBe('failed');
    expect(status.reason?.message).toContain('out of paper');
    expect(count(t, 'SELECT count(*) AS n FROM print_jobs WHERE id = ?', slipId)).toBe(0);
    // The printer is back: nothing of that member comes out for the next person.
    const before = printer.receipts.length;
    await runPrintQueue(t.db, { spec: parsePrinterUri(printer.uri, printer.allow), lang: 'zh-CN', clock: () => t.clock.now + 600_000, timeouts: FAST });
    expect(printer.receipts.length).toBe(before);
  });

  it('is withdrawn when the member leaves before it printed', async () => {
    const m = member();
    const k = kiosk();
    const page = ok(await k['kiosk.scan']({ code: cardCode(hqKeyOf(t.dir), m.id, m.card_serial, t.clock.now) }));
    const { slipId } = ok(await k['kiosk.printSlip']({ pageId: page.pageId }));
    ok(await k['kiosk.done']({}));
    expect(count(t, 'SELECT count(*) AS n FROM print_jobs WHERE id = ?', slipId)).toBe(0);
  });
});

// The print commands end to end, in child processes: printing after commit, a print failure that
// keeps the operation, a crash between commit and print, the fake-printer command itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openRaw } from '../../src/store/open';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { tempDir } from '../helpers/demoDb';
import { cli } from '../helpers/cliChild';
import { allowPrinter } from '../helpers/printerConfig';

const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');
const NOW_S = String(Date.UTC(2026, 10, 23, 2, 0, 0) / 1000);

let dir: string;
let cleanup: () => void;
let db: string;
let printer: FakePrinter;
const children: ChildProcess[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = tempDir('ld-printcli-'));
  db = join(dir, 'desk.db');
  expect((await cli('seed', '--db', db, '--members', '200', '--now', NOW_S)).code).toBe(0);
  printer = await startFakePrinter({ port: 0, out: join(dir, 'paper') });
  // Its ephemeral port is no printer port: the data folder lists it as IT would (docs/security.md).
  allowPrinter(dir, printer.allow);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await printer.close();
  cleanup();
});
beforeEach(() => printer.setFault({ fault: 'none', slowMs: 0 }));

function jobRow(jobId: number): { status: string; attempts: number; last_error: string | null } {
  const conn = openRaw(db, { readonly: true });
  try {
    return conn.prepare('SELECT status, attempts, last_error FROM print_jobs WHERE id = ?').get(jobId) as never;
  } finally {
    conn.close();
  }
}

describe('printing after commit', () => {
  it('redeem --printer prints and says so in the JSON', async () => {
    const r = await cli('redeem', '--db', db, '--member', 'M00000001', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01', '--printer', printer.uri);
    expect(r.code).toBe(0);
    expect(r.json.print).toMatchObject({ status: 'printed', jobId: r.json.printJobId, printerState: 'ready' });
    expect(printer.receipts.at(-1)!.qr).toEqual([r.json.opId]);
    expect(printer.receipts.at(-1)!.lines.join('\n')).toContain('权益核销');
  });

  it('earn, donate and void print their own receipts; reprint says COPY', async () => {
    const earn = await cli('earn', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--manager', 'mgr-01', '--amount', '50000', '--printer', `${printer.uri}?lang=en`);
    expect(earn.json.print.status).toBe('printed');
    expect(printer.receipts.at(-1)!.lines.join('\n')).toContain('Points earned');
    // --manager on an earn is recorded and printed, as a void's approver is.
    expect(printer.receipts.at(-1)!.lines.join('\n')).toMatch(/Approved by\s+李娜/);
    const donate = await cli('donate', '--db', db, '--member', 'M00000003', '--staff', 'clerk-01', '--points', '100', '--printer', printer.uri);
    expect(donate.json.print.status).toBe('printed');
    expect(printer.receipts.at(-1)!.lines.join('\n')).toContain('积分捐赠');
    const voided = await cli('void', '--db', db, '--op', donate.json.opId, '--staff', 'mgr-01', '--printer', printer.uri);
    expect(voided.code).toBe(0);
    expect(voided.json.print.status).toBe('printed');
    expect(printer.receipts.at(-1)!.lines.join('\n')).toMatch(/撤销[\s\S]*原交易已撤销/);
    const again = await cli('reprint', '--db', db, '--op', earn.json.opId, '--staff', 'clerk-01', '--printer', `${printer.uri}?lang=en`);
    expect(again.json.print.status).toBe('printed');
    expect(printer.receipts.at(-1)!.lines.join('\n')).toContain('*** COPY ***');
  });

  it('a print failure keeps the operation: exit 0, job pending with the reason, printed later by print-queue', async () => {
    printer.setFault({ fault: 'paper-out' });
    const r = await cli('redeem', '--db', db, '--member', 'M00000002', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01', '--printer', printer.uri, '--lang', 'en');
    expect(r.code).toBe(0);
    expect(r.json.opId).toBeTruthy();
    expect(r.json.print).toMatchObject({ status: 'pending', printerState: 'paper-out', error: { code: 'PRINTER_PAPER_OUT' } });
    expect(r.json.print.error.message).toMatch(/out of paper/);
    expect(jobRow(r.json.printJobId)).toMatchObject({ status: 'pending', attempts: 1 });

    const listed = await cli('print-queue', '--db', db, '--list');
    expect(listed.json.unprinted).toEqual(expect.arrayContaining([expect.objectContaining({ jobId: r.json.printJobId, printerState: 'paper-out' })]));
    printer.setFault({ fault: 'none' });
    const q = await cli('print-queue', '--db', db, '--printer', printer.uri);
    expect(q.code).toBe(0);
    expect(q.json.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ jobId: r.json.printJobId, status: 'printed' })]));
    expect(jobRow(r.json.printJobId).status).toBe('printed');
  });

  it('takes the printer from config.json when --printer is absent', async () => {
    const data = tempDir('ld-printcfg-');
    try {
      expect((await cli('seed', '--db', join(data.dir, 'desk.db'), '--members', '50', '--now', NOW_S)).code).toBe(0);
      writeFileSync(join(data.dir, 'config.json'), JSON.stringify({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL, printer: `${printer.uri}?cols=32`, printerPorts: [printer.port] }));
      const r = await cli('redeem', '--data', data.dir, '--member', 'M00000001', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01');
      expect(r.json.print).toMatchObject({ status: 'printed' });
      expect(printer.receipts.at(-1)!.lines[3]).toBe('-'.repeat(32));
    } finally {
      data.cleanup();
    }
  });

  it('refuses an unknown printer address with a typed error and keeps the operation', async () => {
    const r = await cli('redeem', '--db', db, '--member', 'M00000004', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01', '--printer', 'usb://thing');
    expect(r.code).toBe(0);
    expect(r.json.print).toMatchObject({ status: 'pending', error: { code: 'PRINTER_URI_INVALID' } });
    expect(jobRow(r.json.printJobId).status).toBe('pending');
    const t = await cli('print-test', '--printer', 'lpt1:');
    expect(t.code).toBe(2);
    expect(t.json.error.code).toBe('PRINTER_URI_INVALID');
  });

  it('refuses a printer address outside the rule before connecting, and says so in the JSON', async () => {
    const probe = await cli('print-test', '--printer', 'tcp://127.0.0.1:22', '--lang', 'en');
    expect(probe.code).toBe(2);
    expect(probe.json.error).toMatchObject({ code: 'PRINTER_ADDRESS_REFUSED', params: { context: 'port', port: 22 } });
    expect(probe.json.error.message).toMatch(/not a printer port/);
    const metadata = await cli('printer-status', '--printer', 'tcp://169.254.169.254:80');
    expect(metadata.json.error).toMatchObject({ code: 'PRINTER_ADDRESS_REFUSED', params: { context: 'linkLocal' } });
    // Without the folder that lists it, the fake printer's ephemeral port is refused too.
    expect((await cli('print-test', '--printer', printer.uri)).json.error.code).toBe('PRINTER_ADDRESS_REFUSED');
    const r = await cli('redeem', '--db', db, '--member', 'M00000006', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01', '--printer', 'tcp://printer.local:9100');
    expect(r.code).toBe(0);
    expect(r.json.print).toMatchObject({ status: 'pending', error: { code: 'PRINTER_ADDRESS_REFUSED', params: { context: 'notIp' } } });
  });

  it('without a printer, print-test and print-queue name the command line\'s own flag (the desk names its Devices tab)', async () => {
    for (const args of [['print-test', '--db', db], ['print-queue', '--db', db]]) {
      const r = await cli(...args);
      expect(r.code, args[0]).toBe(2);
      expect(r.json.error.code, args[0]).toBe('PRINTER_NOT_CONFIGURED');
      expect(r.json.error.message, args[0]).toContain('--printer');
    }
  });

  it('print-test reports the status, and a typed error within 5 s for a closed port', async () => {
    const ok = await cli('print-test', '--db', db, '--printer', printer.uri);
    expect(ok.json).toMatchObject({ ok: true, printed: true, status: { before: 'ready', after: 'ready' } });
    expect(printer.receipts.at(-1)!.qr).toEqual(['LD-PRINT-TEST']);
    printer.setFault({ fault: 'cover-open' });
    const open = await cli('print-test', '--db', db, '--printer', printer.uri);
    expect(open.code).toBe(2);
    expect(open.json).toMatchObject({ error: { code: 'PRINTER_COVER_OPEN' }, report: { printed: false, status: { state: 'cover-open' } } });
    const started = Date.now();
    // Port 9109 is a printer port; nothing listens there in these tests.
    const closed = await cli('print-test', '--printer', 'tcp://127.0.0.1:9109');
    expect(Date.now() - started).toBeLessThan(5000 + 3000); // the child's own start-up on top of the 5 s bound
    expect(closed.json.error.code).toBe('PRINTER_UNREACHABLE');
    expect(closed.json.report.ms).toBeLessThan(5000);
  });
});

describe('a crash between commit and print', () => {
  it('leaves a job that prints after restart', async () => {
    // The printer answers too slowly to finish: the child has committed and is waiting on it.
    printer.setFault({ slowMs: 20_000 });
    const queriesBefore = printer.statusQueries;
    const child = spawn(process.execPath, [BIN, 'redeem', '--db', db, '--member', 'M00000005', '--benefit', 'B-VOUCHER-20', '--staff', 'clerk-01', '--printer', printer.uri], {
      stdio: 'ignore',
    });
    children.push(child);
    const until = Date.now() + 20_000;
    while (printer.statusQueries === queriesBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(printer.statusQueries).toBeGreaterThan(queriesBefore);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;

    const conn = openRaw(db, { readonly: true });
    const row = conn
      .prepare("SELECT j.id, j.status, o.id AS opId FROM print_jobs j JOIN operations o ON o.id = j.op_id WHERE o.member_id = 'M00000005' AND o.kind = 'redeem'")
      .get() as { id: number; status: string; opId: string };
    conn.close();
    expect(row.status).toBe('pending');

    printer.setFault({ slowMs: 0 });
    const before = printer.receipts.length;
    // A fresh process; the dead one's lease on the job has run out after a minute.
    const q = await cli('print-queue', '--db', db, '--printer', printer.uri, '--now', String(Math.floor(Date.now() / 1000) + 120));
    expect(q.json.jobs).toEqual(expect.arrayContaining([expect.objectContaining({ jobId: row.id, status: 'printed' })]));
    expect(printer.receipts.slice(before).flatMap((r) => r.qr)).toContain(row.opId);
  });
});

describe('loyalty-desk fake-printer', () => {
  it('runs as a command: listens, writes receipts to DIR, answers status, stops on SIGTERM', async () => {
    const out = join(dir, 'fake-cli');
    const child = spawn(process.execPath, [BIN, 'fake-printer', '--port', '0', '--out', out, '--pty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const lines = createInterface({ input: child.stdout! });
    const first = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fake-printer did not start in 15 s')), 15_000);
      lines.once('line', (l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
    const started = JSON.parse(first) as { listening: string; serial: string; configAllow: { printerPorts: number[]; serialPaths: string[] } };
    expect(started.listening).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    // What the fake printer says to list in a desk's config.json, listed in a folder of its own.
    const folder = join(dir, 'fake-cli-desk');
    allowPrinter(folder, { ports: started.configAllow.printerPorts, serialPaths: started.configAllow.serialPaths });
    const refused = await cli('print-test', '--printer', `${started.serial}?baud=9600&cols=32`);
    expect(refused.json.error).toMatchObject({ code: 'PRINTER_ADDRESS_REFUSED', params: { context: 'serial' } });
    const viaTcp = await cli('print-test', '--data', folder, '--printer', started.listening);
    expect(viaTcp.json.printed).toBe(true);
    const viaPty = await cli('print-test', '--data', folder, '--printer', `${started.serial}?baud=9600&cols=32`);
    expect(viaPty.json.printed).toBe(true);
    writeFileSync(join(out, 'control.json'), JSON.stringify({ fault: 'paper-out' }));
    const status = await cli('printer-status', '--data', folder, '--printer', started.listening);
    expect(status.json.status.state).toBe('paper-out');
    expect(existsSync(join(out, 'receipt-0002.txt'))).toBe(true);
    expect(readFileSync(join(out, 'receipt-0001.txt'), 'utf8')).toContain('[QR] LD-PRINT-TEST');
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

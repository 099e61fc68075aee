// The print queue against the fake printer, a real TCP server on 127.0.0.1 and a pty via socat.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { docLines } from '../../src/print/doc';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { layoutReceipt } from '../../src/print/layout';
import { parsePrinterUri } from '../../src/print/printerUri';
import { parseLastError, runPrintQueue, type QueueOptions } from '../../src/print/queue';
import { parseReceiptModel } from '../../src/print/receiptSchema';
import { getQueuedJob, unprintedJobs } from '../../src/store/printJobs';
import { count, openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';

const FAST = { openMs: 2000, queryMs: 800, beforeMs: 3000 };

let printer: FakePrinter;
let out: ReturnType<typeof tempDir>;
let t: DemoTerminal;

beforeAll(async () => {
  out = tempDir('ld-fakeprinter-');
  printer = await startFakePrinter({ port: 0, out: out.dir, pty: true });
});
afterAll(async () => {
  await printer.close();
  out.cleanup();
});
beforeEach(() => {
  t = openDemoTerminal();
  printer.setFault({ fault: 'none', slowMs: 0 });
});
afterEach(() => t.cleanup());

function redeem() {
  return t.service.redeem({ memberId: 'M00000001', benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
}

function queue(uri: string, extra: Partial<QueueOptions> = {}) {
  return runPrintQueue(t.db, { spec: parsePrinterUri(uri, printer.allow), lang: 'zh-CN', clock: () => t.clock.now, timeouts: FAST, ...extra });
}

describe.each([
  ['TCP', () => printer.uri],
  ['a pty (serial path)', () => `${printer.serialUri}?baud=115200&cols=32`],
])('printing over %s', (_name, uriOf) => {
  it('prints the receipt: decoded text equals the receipt model laid out, Chinese included; QR = operation id', async () => {
    const before = printer.receipts.length;
    const r = redeem();
    const outcomes = await queue(uriOf());
    expect(outcomes).toEqual([expect.objectContaining({ jobId: r.printJobId, status: 'printed', printerState: 'ready' })]);
    expect(printer.receipts).toHaveLength(before + 1);
    const got = printer.receipts.at(-1)!;
    const spec = parsePrinterUri(uriOf(), printer.allow);
    const stored = parseReceiptModel(getQueuedJob(t.db, r.printJobId)!.payload);
    expect(got.lines).toEqual(docLines(layoutReceipt(stored, { cols: spec.cols, lang: 'zh-CN', synced: false })));
    expect(got.lines.join('\n')).toMatch(/权益核销[\s\S]*离线 — 待同步[\s\S]*王芳/);
    expect(got.qr).toEqual([r.opId]);
    expect(got.warnings).toEqual([]);
    expect(getQueuedJob(t.db, r.printJobId)).toMatchObject({ status: 'printed', attempts: 1, lastError: null });
  });
});

describe('printer faults keep the job and say why', () => {
  it.each([
    ['paper-out', { fault: 'paper-out' as const }, 'PRINTER_PAPER_OUT', 'paper-out'],
    ['cover-open', { fault: 'cover-open' as const }, 'PRINTER_COVER_OPEN', 'cover-open'],
    ['offline (no answer)', { fault: 'offline' as const }, 'PRINTER_NOT_ANSWERING', 'not-answering'],
    ['a printer error', { fault: 'error' as const }, 'PRINTER_ERROR', 'error'],
    ['slow beyond the timeout', { slowMs: 2500 }, 'PRINTER_NOT_ANSWERING', 'not-answering'],
  ])('%s', async (_name, fault, code, state) => {
    const r = redeem();
    const printedBefore = printer.receipts.length;
    printer.setFault(fault);
    const started = Date.now();
    const [outcome] = await queue(printer.uri);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outcome).toMatchObject({ jobId: r.printJobId, status: 'pending', printerState: state, error: { code } });
    const job = getQueuedJob(t.db, r.printJobId)!;
    expect(job).toMatchObject({ status: 'pending', attempts: 1, printerStatus: state });
    expect(parseLastError(job.lastError!).code).toBe(code);
    expect(job.nextAttemptAt).toBeGreaterThan(t.clock.now);
    expect(printer.receipts).toHaveLength(printedBefore);
    // The operation is untouched, and the job is still offered at start.
    expect(count(t, 'SELECT count(*) AS n FROM operations WHERE id = ? AND voided_by_op IS NULL', r.opId)).toBe(1);
    expect(unprintedJobs(t.db).map((j) => j.id)).toContain(r.printJobId);

    // Backing off: not retried before its time, printed once the printer is fine and the time came.
    printer.setFault({ fault: 'none', slowMs: 0 });
    expect(await queue(printer.uri)).toEqual([]);
    t.clock.now = job.nextAttemptAt!;
    expect(await queue(printer.uri)).toEqual([expect.objectContaining({ jobId: r.printJobId, status: 'printed', attempts: 2 })]);
    expect(printer.receipts.at(-1)!.qr).toEqual([r.opId]);
  });

  it('prints on a slow printer within the timeout, and with paper low (saying so)', async () => {
    printer.setFault({ slowMs: 300 });
    const a = redeem();
    expect(await queue(printer.uri)).toEqual([expect.objectContaining({ jobId: a.printJobId, status: 'printed', printerState: 'ready' })]);
    printer.setFault({ fault: 'paper-low', slowMs: 0 });
    const b = t.service.earn({ memberId: 'M00000002', staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 5000 }] });
    expect(await queue(printer.uri)).toEqual([expect.objectContaining({ jobId: b.printJobId, status: 'printed', printerState: 'paper-low' })]);
    expect(printer.receipts.at(-1)!.qr).toEqual([b.opId]);
  });

  it('prints waiting jobs in order and stops at the first fault', async () => {
    const ids = [redeem(), redeem(), redeem()].map((r) => r.opId);
    const outcomes = await queue(printer.uri);
    expect(outcomes.map((o) => o.opId)).toEqual(ids);
    expect(printer.receipts.slice(-3).map((r) => r.qr[0])).toEqual(ids);

    const more = [redeem(), redeem()];
    printer.setFault({ fault: 'cover-open' });
    const stopped = await queue(printer.uri);
    expect(stopped).toHaveLength(1);
    expect(getQueuedJob(t.db, more[1]!.printJobId)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('gives up automatic retries after the last attempt but still offers the job', async () => {
    const r = redeem();
    printer.setFault({ fault: 'paper-out' });
    const [o] = await queue(printer.uri, { backoff: { baseMs: 1, maxMs: 1, maxAttempts: 1 } });
    expect(o).toMatchObject({ status: 'failed' });
    expect(unprintedJobs(t.db).map((j) => j.id)).toContain(r.printJobId);
    printer.setFault({ fault: 'none' });
    t.clock.now += 60_000;
    expect(await queue(printer.uri)).toEqual([]);
    expect(await queue(printer.uri, { ignoreBackoff: true })).toEqual([expect.objectContaining({ status: 'printed' })]);
  });

  it('reprints as a new job that says 重印', async () => {
    const r = redeem();
    await queue(printer.uri);
    const { printJobId } = t.service.reprint({ opId: r.opId, staffId: 'clerk-01' });
    expect(await queue(printer.uri)).toEqual([expect.objectContaining({ jobId: printJobId, status: 'printed' })]);
    expect(printer.receipts.at(-1)!.lines.join('\n')).toContain('*** 重印 ***');
    expect(printer.receipts.at(-1)!.qr).toEqual([r.opId]);
  });
});

describe('bad printers: a typed error within 5 s, the job kept', () => {
  let silent: Server;
  const silentSockets = new Set<Socket>();
  let silentPort: number;
  let closedPort: number;
  beforeAll(async () => {
    // Accepts connections and never says a word.
    silent = createServer((s) => {
      silentSockets.add(s);
      s.on('error', () => {});
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(async () => {
    for (const s of silentSockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it.each([
    ['a closed port', () => `tcp://127.0.0.1:${closedPort}`, 'PRINTER_UNREACHABLE'],
    ['a missing serial port', () => 'serial:/dev/ttyLD-does-not-exist?baud=9600', 'PRINTER_PORT_MISSING'],
    ['a missing device file', () => '/dev/usb/lp987', 'PRINTER_PORT_MISSING'],
    ['a printer that never answers', () => `tcp://127.0.0.1:${silentPort}`, 'PRINTER_NOT_ANSWERING'],
  ])('%s', async (_name, uri, code) => {
    const r = redeem();
    const started = Date.now();
    const [o] = await runPrintQueue(t.db, { spec: parsePrinterUri(uri(), { ports: [closedPort, silentPort] }), lang: 'zh-CN', clock: () => t.clock.now });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(o).toMatchObject({ status: 'pending', error: { code } });
    expect(getQueuedJob(t.db, r.printJobId)).toMatchObject({ status: 'pending', attempts: 1 });
  });
});

// A kiosk slip withdrawn while a printer held it, whose attempt then failed: it must not be
// rendered, stuck as INTERNAL or listed as unprinted; the next claim deletes it and moves on.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { parsePrinterUri } from '../../src/print/printerUri';
import { runPrintQueue } from '../../src/print/queue';
import type { SlipModel } from '../../src/print/slip';
import { insertSlipJob, REDACTED_SLIP, slipJob, withdrawSlip } from '../../src/store/kioskQueries';
import { countUnprinted, enqueuePrint, getQueuedJob, unprintedJobs, unprintedQueue } from '../../src/store/printJobs';
import { openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';
import { model } from './fixtures';

const FAST = { openMs: 2000, queryMs: 800, beforeMs: 3000 };

function slip(at: number): SlipModel {
  return {
    v: 1,
    kind: 'slip',
    at,
    tz: 'Asia/Shanghai',
    lang: 'zh-CN',
    storeName: { 'zh-CN': '上海南京西路店', 'zh-TW': '上海南京西路店', en: 'Shanghai West Nanjing Rd' },
    member: { maskedName: '张*', cardTail: '1234', tier: 'advanced' },
    points: { balance: 1200, expiringDays: 30, expiring: [], expiringTotal: 0 },
    benefits: [],
    moreBenefits: 0,
    qr: { kind: 'none' },
  };
}

let printer: FakePrinter;
let out: ReturnType<typeof tempDir>;
let t: DemoTerminal;

beforeAll(async () => {
  out = tempDir('ld-withdrawn-');
  printer = await startFakePrinter({ port: 0, out: out.dir });
});
afterAll(async () => {
  await printer.close();
  out.cleanup();
});
beforeEach(() => {
  t = openDemoTerminal();
});
afterEach(() => {
  printer.setFault({ fault: 'none', slowMs: 0 });
  t.cleanup();
});

describe('a slip withdrawn while it was printing, and the attempt failed', () => {
  it('is not listed or counted, is deleted at the next claim, and the receipts behind it print', async () => {
    const now = t.clock.now;
    const slipId = insertSlipJob(t.db, slip(now), now);
    const receiptId = enqueuePrint(t.db, { opId: null, kind: 'redeem', payload: model(), createdAt: now + 1 });
    const spec = parsePrinterUri(printer.uri, printer.allow);
    const queue = (at: number) => runPrintQueue(t.db, { spec, lang: 'zh-CN', clock: () => at, timeouts: FAST, ignoreBackoff: true });

    // The printer answers slowly, then says paper out: the member leaves while the slip is leased.
    printer.setFault({ fault: 'paper-out', slowMs: 300 });
    const attempt = queue(now);
    expect(slipJob(t.db, slipId)?.leaseUntil).toBeGreaterThan(now); // claimed before the first await
    expect(withdrawSlip(t.db, slipId, now + 10)).toBe('redacted');
    const [failed] = await attempt;
    expect(failed).toMatchObject({ jobId: slipId, status: 'pending', error: { code: 'PRINTER_PAPER_OUT' } });
    expect(getQueuedJob(t.db, slipId)).toMatchObject({ status: 'pending', payload: JSON.parse(REDACTED_SLIP) });

    // Nothing of it is shown as waiting: only the receipt.
    expect(unprintedJobs(t.db).map((j) => j.id)).toEqual([receiptId]);
    expect(unprintedQueue(t.db).map((j) => j.id)).toEqual([receiptId]);
    expect(countUnprinted(t.db)).toBe(1);

    printer.setFault({ fault: 'none', slowMs: 0 });
    const printedBefore = printer.receipts.length;
    const outcomes = await queue(now + 60_000);
    expect(outcomes).toEqual([expect.objectContaining({ jobId: receiptId, status: 'printed' })]);
    expect(getQueuedJob(t.db, slipId)).toBeUndefined();
    expect(printer.receipts).toHaveLength(printedBefore + 1);
    expect(countUnprinted(t.db)).toBe(0);
  });

  it('a slip still leased by a print in flight is left alone (not deleted under the printer)', async () => {
    const now = t.clock.now;
    const slipId = insertSlipJob(t.db, slip(now), now);
    t.db.prepare('UPDATE print_jobs SET lease_until = ?, payload_json = ? WHERE id = ?').run(now + 60_000, REDACTED_SLIP, slipId);
    const outcomes = await runPrintQueue(t.db, { spec: parsePrinterUri(printer.uri, printer.allow), lang: 'zh-CN', clock: () => now, timeouts: FAST });
    expect(outcomes).toEqual([]);
    expect(getQueuedJob(t.db, slipId)).toMatchObject({ status: 'pending' });
  });
});

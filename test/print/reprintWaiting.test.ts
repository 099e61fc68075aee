// 重打小票 with a paper of that receipt still waiting adds nothing (a clerk tapped it ten times with no
// printer set up and ten copies waited, then all printed). Generated runs of reprints, printer runs
// with the fake printer up or faulted, and time passing, against a model: a reprint is accepted
// exactly when no job of that receipt is pending; every accepted reprint prints exactly one COPY once
// the printer is up, every receipt's original prints once, and a refusal writes nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { parsePrinterUri } from '../../src/print/printerUri';
import { runPrintQueue, type QueueOptions } from '../../src/print/queue';
import { count, openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';

const FAST = { openMs: 2000, queryMs: 800, beforeMs: 3000 };
// Three failed attempts give up ('failed'): the run reaches that state too, where a reprint is taken.
const BACKOFF = { baseMs: 1_000, maxMs: 4_000, maxAttempts: 3 };

let printer: FakePrinter;
let out: ReturnType<typeof tempDir>;
let t: DemoTerminal;

beforeAll(async () => {
  out = tempDir('ld-reprint-');
  printer = await startFakePrinter({ port: 0, out: out.dir });
});
afterAll(async () => {
  await printer.close();
  out.cleanup();
});
beforeEach(() => {
  t = openDemoTerminal(20);
  printer.setFault({ fault: 'none', slowMs: 0 });
});
afterEach(() => t.cleanup());

/** mulberry32: the same seed walks the same steps, so a failing seed can be run again. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
  };
}

function queue(extra: Partial<QueueOptions> = {}) {
  return runPrintQueue(t.db, { spec: parsePrinterUri(printer.uri, printer.allow), lang: 'zh-CN', clock: () => t.clock.now, timeouts: FAST, backoff: BACKOFF, ...extra });
}

function earnFor(memberId: string): string {
  return t.service.earn({ memberId, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 25_800 }] }).opId;
}

const pendingOf = (opId: string) => count(t, "SELECT count(*) AS n FROM print_jobs WHERE op_id = ? AND status = 'pending'", opId);
const jobsOf = (opId: string) => count(t, 'SELECT count(*) AS n FROM print_jobs WHERE op_id = ?', opId);
const reprintAudits = (opId: string) => count(t, "SELECT count(*) AS n FROM audit WHERE action = 'receipt.reprint' AND ref = ?", opId);

/** A reprint: its job id, or the refusal's code. */
function reprint(opId: string): number | string {
  try {
    return t.service.reprint({ opId, staffId: 'clerk-01' }).printJobId;
  } catch (err) {
    if (err instanceof DeskError) return err.code;
    throw err;
  }
}

describe('a reprint while the receipt still waits adds nothing', () => {
  it('ten taps with no printer set up: nothing added, and one receipt prints once a printer is', async () => {
    const opId = earnFor('M00000001');
    const audit = count(t, 'SELECT count(*) AS n FROM audit');
    for (let i = 0; i < 10; i++) expect(reprint(opId)).toBe('RECEIPT_ALREADY_WAITING');
    expect(jobsOf(opId)).toBe(1);
    expect(count(t, 'SELECT count(*) AS n FROM audit')).toBe(audit);
    const before = printer.receipts.length;
    expect(await queue()).toEqual([expect.objectContaining({ opId, status: 'printed' })]);
    expect(printer.receipts.slice(before).map((r) => r.qr)).toEqual([[opId]]);
    // Printed: the next reprint is taken, and prints one COPY.
    expect(typeof reprint(opId)).toBe('number');
    expect(reprint(opId)).toBe('RECEIPT_ALREADY_WAITING');
    await queue();
    const copies = printer.receipts.slice(before).filter((r) => r.lines.join('\n').includes('*** 重印 ***'));
    expect(copies.map((r) => r.qr)).toEqual([[opId]]);
  });

  it('says so in words, in each language, naming a waiting copy apart from a waiting original', () => {
    const opId = earnFor('M00000002');
    let err: unknown;
    try {
      t.service.reprint({ opId, staffId: 'clerk-01' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DeskError);
    const { code, params } = err as DeskError;
    expect(createTranslator('zh-CN').error(code, params)).toBe('这张小票还在等待打印，未再加印一份：打印机设置好或恢复后会自动打印。');
    expect(createTranslator('zh-TW').error(code, params)).toBe('這張收據還在等待列印，未再加印一份：印表機設定好或恢復後會自動列印。');
    expect(createTranslator('en').error(code, params)).toMatch(/^This receipt is still waiting to print/);
    // The original printed, a copy asked for and waiting: the refusal names the copy.
    t.db.prepare("UPDATE print_jobs SET status = 'printed' WHERE op_id = ?").run(opId);
    t.service.reprint({ opId, staffId: 'clerk-01' });
    try {
      t.service.reprint({ opId, staffId: 'clerk-01' });
    } catch (e) {
      err = e;
    }
    expect((err as DeskError).params).toMatchObject({ context: 'copy' });
    expect(createTranslator('zh-CN').error((err as DeskError).code, (err as DeskError).params)).toContain('已有一份重印在等待打印');
  });

  it.each([1, 2, 3, 4, 5, 6])('generated run %i: accepted iff nothing waits; each accepted reprint prints one copy', async (seed) => {
    const rnd = prng(seed * 7919);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const ops = ['M00000003', 'M00000004', 'M00000005'].map(earnFor);
    const accepted = new Map(ops.map((o) => [o, 0]));
    const startReceipts = printer.receipts.length;
    let refused = 0;
    for (let step = 0; step < 60; step++) {
      const roll = rnd();
      if (roll < 0.6) {
        const opId = pick(ops);
        const waiting = pendingOf(opId) > 0;
        const jobs = jobsOf(opId);
        const audits = reprintAudits(opId);
        const r = reprint(opId);
        if (waiting) {
          expect(r, `step ${step}`).toBe('RECEIPT_ALREADY_WAITING');
          refused++;
          expect(jobsOf(opId)).toBe(jobs);
          expect(reprintAudits(opId)).toBe(audits);
        } else {
          expect(typeof r, `step ${step}`).toBe('number');
          accepted.set(opId, accepted.get(opId)! + 1);
          expect(reprintAudits(opId)).toBe(audits + 1);
        }
      } else if (roll < 0.75) {
        printer.setFault({ fault: 'none' });
        await queue();
      } else if (roll < 0.9) {
        printer.setFault({ fault: 'paper-out' });
        await queue();
      } else {
        t.clock.now += Math.floor(rnd() * 6_000);
      }
      // Never more than one paper of a receipt waiting.
      for (const o of ops) expect(pendingOf(o)).toBeLessThanOrEqual(1);
    }
    // The run met each case: reprints taken and refused.
    expect(refused).toBeGreaterThan(0);
    expect([...accepted.values()].reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    // The printer comes up; a person runs the queue (print-queue), given-up jobs included.
    printer.setFault({ fault: 'none' });
    for (let i = 0; i < 5 && count(t, "SELECT count(*) AS n FROM print_jobs WHERE status <> 'printed'") > 0; i++) await queue({ ignoreBackoff: true });
    expect(count(t, "SELECT count(*) AS n FROM print_jobs WHERE status <> 'printed'")).toBe(0);
    const printed = printer.receipts.slice(startReceipts);
    for (const o of ops) {
      const mine = printed.filter((r) => r.qr[0] === o);
      const copies = mine.filter((r) => r.lines.join('\n').includes('*** 重印 ***')).length;
      expect({ op: o, originals: mine.length - copies, copies }).toEqual({ op: o, originals: 1, copies: accepted.get(o) });
    }
  });
});

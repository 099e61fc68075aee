// Printing for the desk host: after each operation the print queue (src/print/queue.ts) prints its
// receipt at once; due retries run on a timer; the printer's real-time state feeds the status bar.
// One use of the printer at a time (runs, status polls): overlapping ones would fight for the port.
import type { DeskEvent, PrinterState } from '../contract/terminalApi';
import type { Lang } from '../loyalty/types';
import { printStatus } from '../print/deliver';
import { parsePrinterUri, type PrinterSpec } from '../print/printerUri';
import type { PrinterAllowance } from '../print/printerPolicy';
import { runPrintQueue } from '../print/queue';
import type { Db } from '../store/open';
import type { Logger } from '../log/port';

export interface PrintLoop {
  state(): { state: PrinterState; name: string | null };
  /** Print what is due now (called after each operation). */
  kick(): void;
  /** Runs a task that talks to a printer (the manager's Z-report, test page, status) in the loop's turn, never beside a receipt. */
  withPrinter<T>(task: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const direct = <T>(task: () => Promise<T>): Promise<T> => task();

export interface PrintLoopOptions {
  db: Db;
  /** config.json "printer"; null: no printer set, receipts wait in the queue. */
  printerUri: string | null;
  /** What config.json adds to where a printer may be (printerPorts, serialPaths). */
  printerAllow?: PrinterAllowance;
  lang: Lang;
  publish(event: DeskEvent): void;
  retryMs?: number;
  statusMs?: number;
  onError?(err: unknown): void;
  /** One line per job that printed or failed, under the run's request id. */
  log?: Logger;
}

export function startPrintLoop(o: PrintLoopOptions): PrintLoop {
  if (o.printerUri === null) {
    return { state: () => ({ state: 'not-configured', name: null }), kick: () => undefined, withPrinter: direct, close: async () => undefined };
  }
  let spec: PrinterSpec;
  try {
    spec = parsePrinterUri(o.printerUri, o.printerAllow);
  } catch (err) {
    o.onError?.(err);
    return { state: () => ({ state: 'error', name: o.printerUri }), kick: () => undefined, withPrinter: direct, close: async () => undefined };
  }
  let current: PrinterState = 'unknown';
  let closed = false;
  // Every use of the printer goes through this one chain, so at most one transport is open at a
  // time: a serial port refuses a second open (EBUSY) and the job would back off for nothing.
  let tail: Promise<void> = Promise.resolve();
  const exclusive = (task: () => Promise<void>): void => {
    tail = tail.then(() => (closed ? undefined : task())).catch((err: unknown) => o.onError?.(err));
  };
  // At most one queue run and one status poll wait in the chain; a kick during a run or a poll
  // queues one run right after it (the queue itself picks up everything due by then).
  let runWaiting = false;
  let pollWaiting = false;

  const run = (): void => {
    if (closed || runWaiting) return;
    runWaiting = true;
    exclusive(async () => {
      runWaiting = false;
      const started = Date.now();
      const outcomes = await runPrintQueue(o.db, { spec, lang: o.lang });
      const line = o.log?.withRequest();
      const printer = spec.target.kind === 'file' ? 'device' : spec.target.kind;
      for (const r of outcomes) {
        if (r.printerState) current = r.printerState;
        if (r.status === 'printed') line?.log('info', 'print.printed', { printJobId: r.jobId, attempts: r.attempts, printer, ms: Date.now() - started });
        else line?.log('warn', 'print.failed', { printJobId: r.jobId, attempts: r.attempts, printer, ...(r.error ? { code: r.error.code } : {}), ...(r.printerState ? { state: r.printerState } : {}) });
        if (r.status === 'printed' || r.status === 'failed') {
          o.publish({ type: 'print', printJobId: r.jobId, opId: r.opId, state: r.status, message: r.error?.code ?? null });
        }
      }
    });
  };
  const refreshStatus = (): void => {
    if (closed || pollWaiting) return;
    pollWaiting = true;
    exclusive(async () => {
      pollWaiting = false;
      try {
        current = (await printStatus(spec)).state;
      } catch {
        current = 'not-answering';
      }
    });
  };

  const retry = setInterval(run, o.retryMs ?? 5_000);
  const status = setInterval(refreshStatus, o.statusMs ?? 10_000);
  retry.unref();
  status.unref();
  refreshStatus();
  run();

  return {
    state: () => ({ state: current, name: spec.uri }),
    kick: run,
    withPrinter<T>(task: () => Promise<T>): Promise<T> {
      const result = tail.then(() => {
        if (closed) throw new Error('the print queue has stopped');
        return task();
      });
      tail = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
    close: async () => {
      closed = true;
      clearInterval(retry);
      clearInterval(status);
      await tail;
    },
  };
}

// Printing for the desk host: after each operation the print queue (src/print/queue.ts) prints its
// receipt at once; due retries run on a timer; the printer's real-time state feeds the status bar.
// One run at a time: the queue leases jobs, but overlapping runs here would only fight for the port.
import type { DeskEvent, PrinterState } from '../contract/terminalApi';
import type { Lang } from '../loyalty/types';
import { printStatus } from '../print/deliver';
import { parsePrinterUri, type PrinterSpec } from '../print/printerUri';
import { runPrintQueue } from '../print/queue';
import type { Db } from '../store/open';

export interface PrintLoop {
  state(): { state: PrinterState; name: string | null };
  /** Print what is due now (called after each operation). */
  kick(): void;
  close(): Promise<void>;
}

export interface PrintLoopOptions {
  db: Db;
  /** config.json "printer"; null: no printer set, receipts wait in the queue. */
  printerUri: string | null;
  lang: Lang;
  publish(event: DeskEvent): void;
  retryMs?: number;
  statusMs?: number;
  onError?(err: unknown): void;
}

export function startPrintLoop(o: PrintLoopOptions): PrintLoop {
  if (o.printerUri === null) {
    return { state: () => ({ state: 'not-configured', name: null }), kick: () => undefined, close: async () => undefined };
  }
  let spec: PrinterSpec;
  try {
    spec = parsePrinterUri(o.printerUri);
  } catch (err) {
    o.onError?.(err);
    return { state: () => ({ state: 'error', name: o.printerUri }), kick: () => undefined, close: async () => undefined };
  }
  let current: PrinterState = 'unknown';
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const run = (): void => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        do {
          again = false;
          const outcomes = await runPrintQueue(o.db, { spec, lang: o.lang });
          for (const r of outcomes) {
            if (r.printerState) current = r.printerState;
            if (r.status === 'printed' || r.status === 'failed') {
              o.publish({ type: 'print', printJobId: r.jobId, opId: r.opId, state: r.status, message: r.error?.code ?? null });
            }
          }
        } while (again && !closed);
      } catch (err) {
        o.onError?.(err);
      } finally {
        running = null;
      }
    })();
  };
  const refreshStatus = async (): Promise<void> => {
    if (running || closed) return;
    try {
      current = (await printStatus(spec)).state;
    } catch {
      current = 'not-answering';
    }
  };

  const retry = setInterval(run, o.retryMs ?? 5_000);
  const status = setInterval(() => void refreshStatus(), o.statusMs ?? 10_000);
  retry.unref();
  status.unref();
  void refreshStatus().then(run);

  return {
    state: () => ({ state: current, name: spec.uri }),
    kick: run,
    close: async () => {
      closed = true;
      clearInterval(retry);
      clearInterval(status);
      await running;
    },
  };
}

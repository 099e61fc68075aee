// The print loop that follows config.json: when the manager picks another printer or language in
// the settings (src/terminal/manager/settings.ts writes the file), the old loop finishes what it is
// printing and closes, then a loop on the new printer starts; receipts waiting in the queue print
// there. Checked at most every recheckMs, whenever the printer's state is asked for (the status
// bar asks every second), as the scanner wiring does for its settings.
import type { DeskEvent } from '../contract/terminalApi';
import type { Lang } from '../loyalty/types';
import type { Db } from '../store/open';
import type { Logger } from '../log/port';
import type { PrinterAllowance } from '../print/printerPolicy';
import { configStamp, printerAllowance, readConfig } from '../terminal/operations/config';
import { startPrintLoop, type PrintLoop } from './printLoop';

export interface LivePrintingOptions {
  db: Db;
  dataDir: string;
  /** Fixed printer (tests point at the fake printer): config.json is not followed. */
  printerUri?: string | null;
  lang: Lang;
  publish(event: DeskEvent): void;
  onError?(err: unknown): void;
  log?: Logger;
  recheckMs?: number;
  now?: () => number;
}

export interface LivePrinting extends PrintLoop {
  printerUri(): string | null;
}

export function startLivePrinting(o: LivePrintingOptions): LivePrinting {
  const now = o.now ?? Date.now;
  const recheckMs = o.recheckMs ?? 1_000;
  const fixed = o.printerUri !== undefined;
  const first = readConfig(o.dataDir);
  let uri: string | null = fixed ? (o.printerUri ?? null) : (first?.printer ?? null);
  // Where a printer may be is config.json's even for a fixed printer: tests list the fake printer's port there.
  let allow: PrinterAllowance = printerAllowance(first);
  let lang = o.lang;
  const start = () => startPrintLoop({ db: o.db, printerUri: uri, printerAllow: allow, lang, publish: o.publish, ...(o.onError ? { onError: o.onError } : {}), ...(o.log ? { log: o.log } : {}) });
  let loop = start();
  let stamp = fixed ? '' : configStamp(o.dataDir);
  let checkedAt = now();
  let switching: Promise<void> = Promise.resolve();
  let closed = false;

  // `force`: a print or a question about the printer in use, not the status bar's poll, which is
  // held to one look at config.json a second. A printer set a moment ago must be the one printed on.
  const recheck = (force = false): void => {
    if (fixed || closed || (!force && now() - checkedAt < recheckMs)) return;
    checkedAt = now();
    const next = configStamp(o.dataDir);
    if (next === stamp) return;
    stamp = next;
    let config;
    try {
      config = readConfig(o.dataDir);
    } catch {
      return; // a file that fails its schema keeps the printer in use
    }
    const nextUri = config?.printer ?? null;
    const nextLang = config?.lang ?? lang;
    const nextAllow = printerAllowance(config);
    if (nextUri === uri && nextLang === lang && JSON.stringify(nextAllow) === JSON.stringify(allow)) return;
    uri = nextUri;
    lang = nextLang;
    allow = nextAllow;
    const old = loop;
    // One printer connection at a time: the new loop starts once the old one has let go.
    switching = switching.then(async () => {
      await old.close();
      if (!closed) {
        loop = start();
        loop.kick();
      }
    });
  };

  return {
    state: () => {
      recheck();
      return loop.state();
    },
    kick: () => loop.kick(),
    withPrinter: (task) => {
      recheck(true);
      return switching.then(() => loop.withPrinter(task));
    },
    printerUri: () => {
      recheck(true);
      return uri;
    },
    close: async () => {
      closed = true;
      await switching;
      await loop.close();
    },
  };
}


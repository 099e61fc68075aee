// Setup from the UI (docs/setup.md), the host's side: a data folder with no desk.db, started without
// demo data, is set up by its first window — enrollment with HQ (the code is never logged or kept),
// the first sync with its progress, the printer — after which the desk itself opens in this process.
// A desk already open (enrolled, or the demo) gets the same port for its manager's "Setup" entry:
// state and serial ports only, since its printer goes through the manager's audited settings.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { DeskError } from '../contract/errors';
import { ioReason } from '../contract/ioReason';
import type { PrinterCheck, SetupState, SetupSyncProgress } from '../contract/setupContract';
import type { Translator } from '../i18n';
import type { Lang } from '../loyalty/types';
import { parsePrinterUri } from '../print/printerUri';
import { appendAudit } from '../store/audit';
import { keyOfConnection, openStore, type Db } from '../store/open';
import { issueRecoveryKey } from '../store/recoveryKey';
import { printRecoverySheet } from '../terminal/manager/recovery';
import { getSyncState } from '../store/syncState';
import { enrollTerminal, isEnrolled } from '../syncClient/enroll';
import { syncOnce } from '../syncClient/syncRun';
import { printerLiveState, printTestPage } from '../terminal/manager/printing';
import { listStaff } from '../terminal/manager/staff';
import { CONFIG_FILE, DB_FILE, deskConfigSchema, printerAllowance, readConfig } from '../terminal/operations/config';
import type { Dispatcher } from '../terminal/session/dispatcher';
import type { SetupPort } from '../terminal/session/setupPort';
import { makePrivate } from './dataFolder';
import type { DeskRuntime } from './deskRuntime';

const SERIAL_LIST_MS = 5_000;

/**
 * What IT may write into config.json before setup: everything but the store and terminal, which
 * come from HQ at enrollment (printer ports and serial paths, scanner thresholds, the language).
 * A file that does not parse is left to be rewritten at enrollment.
 */
const presetSchema = deskConfigSchema.partial({ storeId: true, terminalId: true });
export function readPresetConfig(dataDir: string): z.infer<typeof presetSchema> | null {
  try {
    const parsed = presetSchema.safeParse(JSON.parse(readFileSync(join(dataDir, CONFIG_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The serial ports serialport finds on this PC (none when it cannot list them). */
async function serialPorts(): Promise<{ path: string; label: string | null }[]> {
  try {
    const { SerialPort } = await import('serialport');
    const timeout = new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('serial port list timed out')), SERIAL_LIST_MS).unref());
    const ports = await Promise.race([SerialPort.list(), timeout]);
    return ports.slice(0, 64).map((p) => ({ path: p.path, label: p.manufacturer ?? null }));
  } catch {
    return [];
  }
}

/**
 * HQ out of reach during setup: the desk's "works offline within its limits" means nothing yet; and
 * something that answers but not as HQ does is most likely a wrong address, not a problem to call IT for.
 */
const SETUP_WORDED = new Set(['HQ_UNREACHABLE', 'HQ_TIMEOUT', 'HQ_BAD_RESPONSE', 'HQ_ERROR']);
function inSetupWords(err: unknown): unknown {
  if (err instanceof DeskError && SETUP_WORDED.has(err.code) && typeof err.params.url === 'string') return new DeskError(err.code, { ...err.params, context: 'setup' }, err);
  return err;
}

function activeStaff(db: Db, storeId: string): number {
  return listStaff(db, storeId).filter((s) => s.active).length;
}

/** The port a desk already open gives its manager's Setup entry. */
export function openedSetupPort(runtime: () => DeskRuntime | null, dispatcher: () => Dispatcher): SetupPort {
  const closed = (): never => {
    throw new DeskError('SETUP_CLOSED', {});
  };
  return {
    state: () => {
      const r = runtime();
      if (!r) throw new DeskError('NOT_ENROLLED', {});
      const { db } = r.terminal;
      const { storeId, terminalId } = r.terminal.service.deps.identity;
      const enrolled = isEnrolled(db);
      return {
        terminal: enrolled ? 'enrolled' : 'demo',
        storeId,
        terminalId,
        hqUrl: enrolled ? getSyncState(db, 'hq_url') : null,
        sync: null,
        ready: true,
        staffCount: activeStaff(db, storeId),
        printer: r.printing.printerUri(),
      };
    },
    enroll: async () => closed(),
    sync: async () => closed(),
    // A desk session's setup goes through the manager's own methods (setupHandlers.ts).
    recoveryKey: () => closed(),
    printRecoveryKey: async () => closed(),
    serialPorts,
    setPrinter: async () => closed(),
    testPrint: async () => closed(),
    setLang: () => undefined,
    desk: dispatcher,
  };
}

export interface SetupWiringOptions {
  dataDir: string;
  lang: Lang;
  dbKey?: Buffer;
  now: () => number;
  /** Opens the desk on the data folder once it holds an enrolled, synced desk.db. */
  openDesk: () => DeskRuntime;
}

export interface SetupWiring {
  port: SetupPort;
  desk(): DeskRuntime | null;
  close(): Promise<void>;
}

/** The port of a terminal being set up: nothing is on disk until HQ accepts the code. */
export function startSetupWiring(o: SetupWiringOptions): SetupWiring {
  const dbPath = join(o.dataDir, DB_FILE);
  let lang = o.lang;
  let progress: (Omit<SetupSyncProgress, 'error'> & { error: DeskError | null }) | null = null;
  let identity: { storeId: string; terminalId: string; tz: string; hqUrl: string } | null = null;
  let ready: DeskRuntime | null = null;

  const firstSync = async (): Promise<void> => {
    progress = { phase: 'push', pulled: 0, pages: 0, error: null };
    const { db } = openStore(dbPath, { create: false, ...(o.dbKey ? { key: { raw: o.dbKey } } : {}) });
    try {
      await syncOnce(db, { onProgress: (p) => (progress = { phase: p.phase, pulled: p.pulled, pages: p.pages, error: null }) });
    } catch (err) {
      const said = inSetupWords(err);
      progress = { ...progress, phase: 'failed', error: said instanceof DeskError ? said : new DeskError('INTERNAL', { detail: 'first sync' }) };
      throw said;
    } finally {
      db.close();
    }
    ready = o.openDesk();
  };

  const writeChecked = (next: unknown): void => {
    const config = deskConfigSchema.parse(next);
    const path = join(o.dataDir, CONFIG_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    } catch (err) {
      throw new DeskError('FILE_WRITE_FAILED', { path, detail: err instanceof Error ? err.message : String(err), why: ioReason(err) });
    } finally {
      rmSync(tmp, { force: true });
    }
  };

  const port: SetupPort = {
    state: (tr: Translator): Omit<SetupState, 'session'> => ({
      terminal: identity ? 'enrolled' : 'new',
      storeId: identity?.storeId ?? null,
      terminalId: identity?.terminalId ?? null,
      hqUrl: identity?.hqUrl ?? null,
      sync: progress === null ? null : { ...progress, error: progress.error ? { code: progress.error.code, message: tr.error(progress.error.code, progress.error.params), params: progress.error.params } : null },
      ready: ready !== null,
      staffCount: ready && identity ? activeStaff(ready.terminal.db, identity.storeId) : 0,
      printer: identity ? (readConfig(o.dataDir)?.printer ?? null) : null,
    }),
    enroll: async (hqUrl, code) => {
      if (identity) throw new DeskError('ALREADY_ENROLLED', { storeId: identity.storeId, terminalId: identity.terminalId, context: 'desk' });
      progress = { phase: 'enrolling', pulled: 0, pages: 0, error: null };
      try {
        const enrolled = await enrollTerminal({ dbPath, hqUrl, code, ...(o.dbKey ? { key: o.dbKey } : {}) });
        identity = { storeId: enrolled.storeId, terminalId: enrolled.terminalId, tz: enrolled.tz, hqUrl: enrolled.hq };
      } catch (err) {
        progress = null;
        throw inSetupWords(err);
      }
      // IT may have listed printer ports and serial paths by hand already; the identity is HQ's.
      const before = readPresetConfig(o.dataDir);
      writeChecked({ ...(before ?? {}), storeId: identity.storeId, terminalId: identity.terminalId, tz: identity.tz, lang });
      makePrivate(o.dataDir);
      await firstSync();
    },
    sync: async () => {
      if (!identity) throw new DeskError('NOT_ENROLLED', {});
      if (ready) return;
      await firstSync();
    },
    serialPorts,
    setPrinter: async (uri, tr): Promise<PrinterCheck> => {
      if (!identity) throw new DeskError('NOT_ENROLLED', {});
      const before = readConfig(o.dataDir);
      const allow = printerAllowance(before);
      // The manager's rule (src/print/printerPolicy.ts): a refused address is never written or probed.
      const printer = uri === null ? null : parsePrinterUri(uri, allow).uri;
      if (printer !== (before?.printer ?? null)) {
        writeChecked({ ...before, printer });
        if (ready) {
          const db = ready.terminal.db;
          db.transaction(() => appendAudit(db, { at: o.now(), actor: 'setup', action: 'settings.update', ref: CONFIG_FILE, data: { changed: ['printer'], changes: [{ field: 'printer', from: before?.printer ?? null, to: printer }] } })).immediate();
        }
      }
      const check = () => printerLiveState(printer, allow);
      const live = await (ready ? ready.printing.withPrinter(check) : check());
      return { uri: live.uri, state: live.state, error: live.error ? { code: live.error.code, message: tr.error(live.error.code as never, live.error.params), params: live.error.params } : null };
    },
    testPrint: async (l) => {
      if (!identity) throw new DeskError('NOT_ENROLLED', {});
      const config = readConfig(o.dataDir);
      const task = () => printTestPage({ uri: config?.printer ?? null, allow: printerAllowance(config), lang: l, tz: identity!.tz, now: o.now() });
      return ready ? ready.printing.withPrinter(task) : task();
    },
    recoveryKey: () => {
      // After the first sync the desk is open: its database and key. Whoever enrolled sees it, as setup's actor.
      if (!ready) throw new DeskError('NOT_ENROLLED', {});
      const { db } = ready.terminal;
      return issueRecoveryKey(db, keyOfConnection(db), { actor: 'setup', now: o.now() });
    },
    printRecoveryKey: async (recoveryKey, l) => {
      if (!ready) throw new DeskError('NOT_ENROLLED', {});
      const desk = ready;
      const config = readConfig(o.dataDir);
      return desk.printing.withPrinter(() =>
        printRecoverySheet(desk.terminal.db, { uri: desk.printing.printerUri(), allow: printerAllowance(config), lang: config?.lang ?? l, now: o.now(), recoveryKey, actor: 'setup' }),
      );
    },
    setLang: (l) => {
      lang = l;
      // After enrollment config.json exists: the chosen language is the desk's (and its receipts').
      const before = identity ? readConfig(o.dataDir) : null;
      if (before && before.lang !== l) writeChecked({ ...before, lang: l });
    },
    desk: () => ready?.dispatcher ?? null,
  };

  return {
    port,
    desk: () => ready,
    close: async () => {
      await ready?.close();
    },
  };
}

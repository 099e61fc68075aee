// Everything a desk needs besides its window, shared by the web host (launch.ts) and Electron
// (electron/main.ts), so both run the same desk: the data folder prepared (demo data on first run),
// the terminal opened with background checkpoints, the sync loop when enrolled, the print queue,
// the serial scanner, and the dispatcher wired to them (printer and scanner state, wedge
// thresholds, the manager's sync and printer).
import type { DeskEvent } from '../contract/terminalApi';
import type { Lang } from '../loyalty/types';
import type { SyncLoop } from '../syncClient/syncLoop';
import { readConfig } from '../terminal/operations/config';
import { prepareDataFolder, type PreparedFolder } from './dataFolder';
import { openTerminal, type OpenedTerminal } from '../terminal/operations/openTerminal';
import { createDispatcher, type Dispatcher } from '../terminal/session/dispatcher';
import { managerPorts } from './managerWiring';
import { startLivePrinting, type LivePrinting } from './livePrinting';
import { openedSetupPort } from './setupWiring';
import { startScannerWiring } from './serialWiring';
import { startSyncIfEnrolled } from './syncWiring';
import { memberHistoryPort } from '../syncClient/historyPort';
import { SILENT, type Logger } from '../log/port';
import { appVersion } from './appVersion';
import { startDailyBackups, type DailyBackups } from './dailyBackup';

export interface DeskRuntime {
  prepared: PreparedFolder;
  terminal: OpenedTerminal;
  printing: LivePrinting;
  sync: SyncLoop | null;
  /** The automatic daily backup beside the data folder (docs/backup.md). */
  backups: DailyBackups;
  /** The one door the windows' calls go through (web host sessions, Electron IPC). */
  dispatcher: Dispatcher;
  lang: Lang;
  /** Call after every answered API call: a new print job prints at once. */
  afterCall(result: unknown): void;
  close(): Promise<void>;
}

export interface DeskRuntimeOptions {
  dataDir: string;
  now?: number;
  /** Overrides config.json "printer" (tests point it at the fake printer). */
  printerUri?: string | null;
  /** Where the runtime's events go (the windows): print progress, serial scans. */
  publish: (event: DeskEvent) => void;
  onInternal?: (err: unknown, ref?: string) => void;
  /** The database key itself (Electron: kept by the OS keystore); otherwise the key file rule (docs/encryption.md). */
  dbKey?: Buffer;
  /** The host's log (the data folder's logs/, src/log/files.ts): start and stop, each call, sync and print job. */
  log?: Logger;
  /** Which host runs the desk, for the start and stop lines. */
  host?: 'web' | 'electron';
}

export function openDeskRuntime(o: DeskRuntimeOptions): DeskRuntime {
  const prepared = prepareDataFolder(o.dataDir, o.now ?? Date.now(), o.dbKey);
  const config = readConfig(prepared.dir);
  let sync: SyncLoop | null = null;
  // HQ online/offline and the offline risk limits follow the sync loop once the terminal is enrolled.
  const terminal = openTerminal(prepared.dbPath, {
    connectivity: () => sync?.connectivity() ?? { online: false },
    backgroundCheckpoints: true,
    ...(o.dbKey ? { key: { raw: o.dbKey } } : {}),
  });
  const log = o.log ?? SILENT;
  sync = startSyncIfEnrolled(terminal, log);
  const backups = startDailyBackups(terminal.db, o.onInternal ? { onError: o.onInternal } : {});
  const lang = config?.lang ?? 'zh-CN';
  const host = o.host ?? 'web';
  log.log('info', 'host.start', { host, version: appVersion(), schemaVersion: terminal.schemaVersion, lang });
  const scanners = startScannerWiring({ dataDir: prepared.dir, onCode: (code) => o.publish({ type: 'scan', code, source: 'serial' }) });
  // Follows the printer and language chosen in the manager's settings without a restart.
  const printing = startLivePrinting({
    db: terminal.db,
    dataDir: prepared.dir,
    ...(o.printerUri === undefined ? {} : { printerUri: o.printerUri }),
    lang,
    publish: o.publish,
    ...(o.onInternal ? { onError: o.onInternal } : {}),
    log,
  });
  let runtime: DeskRuntime | null = null;
  const dispatcher = createDispatcher(terminal.service, {
    lang,
    log,
    ...(o.onInternal ? { onInternal: o.onInternal } : {}),
    desk: {
      printer: printing.state,
      scanner: () => scanners.status(),
      ...(config ? { wedge: config.scanner.wedge } : {}),
      manager: managerPorts(sync, () => printing.printerUri(), printing),
      setup: openedSetupPort(() => runtime, () => dispatcher),
      history: memberHistoryPort(terminal.db),
    },
  });
  runtime = {
    prepared,
    terminal,
    printing,
    sync,
    backups,
    lang,
    dispatcher,
    afterCall(result) {
      const value = (result as { ok?: unknown; value?: { printJobId?: unknown } | null } | null) ?? null;
      if (value?.ok === true && typeof value.value?.printJobId === 'number') printing.kick();
    },
    async close() {
      await scanners.stop();
      await printing.close();
      await sync?.stop();
      await backups.stop();
      await terminal.closeAsync();
      log.log('info', 'host.stop', { host });
    },
  };
  return runtime;
}

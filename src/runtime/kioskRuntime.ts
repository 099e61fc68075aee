// Everything a member kiosk needs besides its window, like deskRuntime.ts for the desk: the data
// folder prepared, the terminal opened, half-printed slips swept, the sync loop when enrolled, the
// print loop for slips, the serial scanner, and a dispatcher whose sessions are kiosk sessions.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScannerStatus } from '../contract/terminalApi';
import type { Lang } from '../loyalty/types';
import { parsePrivateJwk, type PrivateJwk } from '../scan/hqKeys';
import { sweepSlips } from '../store/kioskQueries';
import type { SyncLoop } from '../syncClient/syncLoop';
import { printerAllowance, readConfig } from '../terminal/operations/config';
import { openTerminal, type OpenedTerminal } from '../terminal/operations/openTerminal';
import { createDispatcher, type Dispatcher } from '../terminal/session/dispatcher';
import { HQ_KEY_FILE, prepareDataFolder, type PreparedFolder } from './dataFolder';
import { readKioskConfig, type KioskConfig } from './kioskConfig';
import { startPrintLoop } from './printLoop';
import { startScannerWiring } from './serialWiring';
import { startSyncIfEnrolled } from './syncWiring';
import { SILENT, type Logger } from '../log/port';
import { appVersion } from './appVersion';
import { startDailyBackups, type DailyBackups } from './dailyBackup';

export interface KioskRuntime {
  prepared: PreparedFolder;
  terminal: OpenedTerminal;
  config: KioskConfig;
  lang: Lang;
  dispatcher: Dispatcher;
  /** The automatic daily backup beside the data folder, as the desk's (docs/backup.md). */
  backups: DailyBackups;
  /** The serial scanner's state (config.json scanner.serial), as the desk's status bar shows it. */
  scanner(): ScannerStatus;
  close(): Promise<void>;
}

export interface KioskRuntimeOptions {
  dataDir: string;
  now?: number;
  /** The database key itself (Electron: kept by the OS keystore); otherwise the key file rule. */
  dbKey?: Buffer;
  /** Overrides config.json "printer" (tests point it at the fake printer). */
  printerUri?: string | null;
  /** Overrides kiosk.json (tests shorten the idle timeout). */
  kiosk?: Partial<KioskConfig>;
  /** Where a serial scanner's code goes (the kiosk page). */
  onScan: (code: string) => void;
  onInternal?: (err: unknown, ref?: string) => void;
  /** The host's log (the data folder's logs/): start and stop, each call, sync and slip printing. */
  log?: Logger;
}

/**
 * HQ's private key is in a demo or dev folder only (seeded demo data writes it there); a real
 * terminal has none, and the slip then prints the card code the member scanned, or says why not.
 */
function folderHqKey(dir: string): PrivateJwk | null {
  const file = join(dir, HQ_KEY_FILE);
  return existsSync(file) ? parsePrivateJwk(readFileSync(file, 'utf8')) : null;
}

export function openKioskRuntime(o: KioskRuntimeOptions): KioskRuntime {
  const prepared = prepareDataFolder(o.dataDir, o.now ?? Date.now(), o.dbKey);
  const config = readConfig(prepared.dir);
  const kiosk = { ...readKioskConfig(prepared.dir), ...o.kiosk };
  let sync: SyncLoop | null = null;
  const terminal = openTerminal(prepared.dbPath, { connectivity: () => sync?.connectivity() ?? { online: false }, ...(o.dbKey ? { key: { raw: o.dbKey } } : {}) });
  // Slips a crash left half-way never print late, and printed ones keep nothing of the member.
  sweepSlips(terminal.db, Date.now());
  const log = o.log ?? SILENT;
  sync = startSyncIfEnrolled(terminal, log);
  // The kiosk keeps its own database (its slips, its sync with HQ): backed up daily like the desk's.
  const backups = startDailyBackups(terminal.db, o.onInternal ? { onError: o.onInternal } : {});
  const lang = config?.lang ?? 'zh-CN';
  log.log('info', 'host.start', { host: 'kiosk', version: appVersion(), schemaVersion: terminal.schemaVersion, lang });
  const printing = startPrintLoop({
    db: terminal.db,
    printerUri: o.printerUri === undefined ? (config?.printer ?? null) : o.printerUri,
    printerAllow: printerAllowance(config),
    lang,
    publish: () => undefined,
    ...(o.onInternal ? { onError: o.onInternal } : {}),
    log,
  });
  // The desk's serial wiring: a code from the configured serial scanner goes to the kiosk page.
  const scanners = startScannerWiring({ dataDir: prepared.dir, onCode: o.onScan });
  const dispatcher = createDispatcher(terminal.service, {
    lang,
    log,
    ...(o.onInternal ? { onInternal: o.onInternal } : {}),
    kiosk: {
      idleMs: Math.round(kiosk.idleSeconds * 1000),
      pageTtlMs: kiosk.pageTtlSeconds * 1000,
      slipWaitMs: kiosk.slipWaitSeconds * 1000,
      maxSlips: kiosk.maxSlips,
      ...(config ? { wedge: config.scanner.wedge } : {}),
      camera: { enabled: kiosk.camera, deviceId: config?.scanner.camera.deviceId ?? null },
      printer: printing.state,
      hqKey: folderHqKey(prepared.dir),
      onSlip: () => printing.kick(),
    },
  });
  return {
    prepared,
    terminal,
    config: kiosk,
    lang,
    dispatcher,
    backups,
    scanner: () => scanners.status(),
    close: async () => {
      await scanners.stop();
      await printing.close();
      await sync?.stop();
      await backups.stop();
      terminal.close();
      log.log('info', 'host.stop', { host: 'kiosk' });
    },
  };
}

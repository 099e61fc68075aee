// One call from a data folder to a running kiosk: like launchDesk (launch.ts), but the host serves the
// kiosk page and KioskApi only. Slips print through the same print loop and queue as receipts.
import type { ScannerStatus } from '../contract/terminalApi';
import type { PreparedFolder } from '../runtime/dataFolder';
import type { KioskConfig } from '../runtime/kioskConfig';
import { openKioskRuntime, type KioskRuntime } from '../runtime/kioskRuntime';
import { startKioskHost, type RunningKioskHost } from './kioskServer';
import { RENDERER_DIR, type LaunchOptions } from './launch';
import { openLogFiles } from '../log/files';

export interface KioskLaunch {
  prepared: PreparedFolder;
  terminal: KioskRuntime['terminal'];
  host: RunningKioskHost;
  config: KioskConfig;
  /** The serial scanner's state (config.json scanner.serial), as the desk's status bar shows it. */
  scanner(): ScannerStatus;
  close(): Promise<void>;
}

export interface KioskLaunchOptions extends LaunchOptions {
  /** Overrides kiosk.json (tests shorten the idle timeout). */
  kiosk?: Partial<KioskConfig>;
  /** The database key itself (Electron: kept by the OS keystore); otherwise the key file rule. */
  dbKey?: Buffer;
}

export async function launchKiosk(o: KioskLaunchOptions): Promise<KioskLaunch> {
  let host: RunningKioskHost | null = null;
  const log = openLogFiles(o.dataDir, o.logFiles);
  const runtime = openKioskRuntime({
    dataDir: o.dataDir,
    log,
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.printerUri === undefined ? {} : { printerUri: o.printerUri }),
    ...(o.kiosk ? { kiosk: o.kiosk } : {}),
    ...(o.dbKey ? { dbKey: o.dbKey } : {}),
    onScan: (code) => host?.scan(code),
    ...(o.onInternal ? { onInternal: o.onInternal } : {}),
  });
  try {
    host = await startKioskHost({
      dispatcher: runtime.dispatcher,
      rendererDir: o.rendererDir ?? RENDERER_DIR,
      ...(o.port === undefined ? {} : { port: o.port }),
      lang: runtime.lang,
      ...(o.onInternal ? { onInternal: o.onInternal } : {}),
    });
  } catch (err) {
    await runtime.close();
    log.close();
    throw err;
  }
  const running = host;
  return {
    prepared: runtime.prepared,
    terminal: runtime.terminal,
    host: running,
    config: runtime.config,
    scanner: () => runtime.scanner(),
    close: async () => {
      await running.close();
      await runtime.close();
      log.close();
    },
  };
}

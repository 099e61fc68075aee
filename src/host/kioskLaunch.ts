// One call from a data folder to a running kiosk: like launchDesk (launch.ts), but the host serves the
// kiosk page and KioskApi only. Slips print through the same print loop and queue as receipts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScannerStatus } from '../contract/terminalApi';
import { parsePrivateJwk, type PrivateJwk } from '../scan/hqKeys';
import { sweepSlips } from '../store/kioskQueries';
import type { SyncLoop } from '../sync/syncLoop';
import { readConfig } from '../terminal/config';
import { HQ_KEY_FILE, prepareDataFolder, type PreparedFolder } from '../terminal/dataFolder';
import { openTerminal, type OpenedTerminal } from '../terminal/openTerminal';
import { readKioskConfig, type KioskConfig } from './kioskConfig';
import { startKioskHost, type RunningKioskHost } from './kioskServer';
import { RENDERER_DIR, type LaunchOptions } from './launch';
import { startPrintLoop } from './printLoop';
import { startScannerWiring } from './serialWiring';
import { startSyncIfEnrolled } from './syncWiring';

export interface KioskLaunch {
  prepared: PreparedFolder;
  terminal: OpenedTerminal;
  host: RunningKioskHost;
  config: KioskConfig;
  /** The serial scanner's state (config.json scanner.serial), as the desk's status bar shows it. */
  scanner(): ScannerStatus;
  close(): Promise<void>;
}

export interface KioskLaunchOptions extends LaunchOptions {
  /** Overrides kiosk.json (tests shorten the idle timeout). */
  kiosk?: Partial<KioskConfig>;
}

/**
 * HQ's private key is in a demo or dev folder only (seeded demo data writes it there); a real
 * terminal has none, and the slip then prints the card code the member scanned, or says why not.
 */
function folderHqKey(dir: string): PrivateJwk | null {
  const file = join(dir, HQ_KEY_FILE);
  return existsSync(file) ? parsePrivateJwk(readFileSync(file, 'utf8')) : null;
}

export async function launchKiosk(o: KioskLaunchOptions): Promise<KioskLaunch> {
  const now = o.now ?? Date.now();
  const prepared = prepareDataFolder(o.dataDir, now);
  const config = readConfig(prepared.dir);
  const kiosk = { ...readKioskConfig(prepared.dir), ...o.kiosk };
  let sync: SyncLoop | null = null;
  const terminal = openTerminal(prepared.dbPath, { connectivity: () => sync?.connectivity() ?? { online: false } });
  // Slips a crash left half-way never print late, and printed ones keep nothing of the member.
  sweepSlips(terminal.db, Date.now());
  sync = startSyncIfEnrolled(terminal);
  const lang = config?.lang ?? 'zh-CN';
  const printing = startPrintLoop({
    db: terminal.db,
    printerUri: o.printerUri === undefined ? (config?.printer ?? null) : o.printerUri,
    lang,
    publish: () => undefined,
    ...(o.onInternal ? { onError: o.onInternal } : {}),
  });
  let host: RunningKioskHost | null = null;
  // The desk's serial wiring: a code from the configured serial scanner goes to the kiosk page.
  const scanners = startScannerWiring({ dataDir: prepared.dir, onCode: (code) => host?.scan(code) });
  try {
    host = await startKioskHost({
      service: terminal.service,
      rendererDir: o.rendererDir ?? RENDERER_DIR,
      ...(o.port === undefined ? {} : { port: o.port }),
      lang,
      idleMs: Math.round(kiosk.idleSeconds * 1000),
      pageTtlMs: kiosk.pageTtlSeconds * 1000,
      slipWaitMs: kiosk.slipWaitSeconds * 1000,
      maxSlips: kiosk.maxSlips,
      ...(config ? { wedge: config.scanner.wedge } : {}),
      camera: { enabled: kiosk.camera, deviceId: config?.scanner.camera.deviceId ?? null },
      printer: printing.state,
      hqKey: folderHqKey(prepared.dir),
      onSlip: () => printing.kick(),
      ...(o.onInternal ? { onInternal: o.onInternal } : {}),
    });
  } catch (err) {
    await scanners.stop();
    await printing.close();
    await sync?.stop();
    terminal.close();
    throw err;
  }
  const running = host;
  return {
    prepared,
    terminal,
    host: running,
    config: kiosk,
    scanner: () => scanners.status(),
    close: async () => {
      await scanners.stop();
      await running.close();
      await printing.close();
      await sync?.stop();
      terminal.close();
    },
  };
}

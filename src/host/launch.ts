// One call from a data folder to a running desk: the folder prepared (demo data on first run), the
// terminal opened, printing wired to the print queue, and the web host listening on 127.0.0.1.
import { join } from 'node:path';
import { readConfig } from '../terminal/config';
import { prepareDataFolder, type PreparedFolder } from '../terminal/dataFolder';
import { startSerialScanner } from './serialWiring';
import { openTerminal, type OpenedTerminal } from '../terminal/openTerminal';
import type { SyncLoop } from '../sync/syncLoop';
import { managerPorts } from './managerWiring';
import { startPrintLoop } from './printLoop';
import { startSyncIfEnrolled } from './syncWiring';
import { startHost, type RunningHost } from './server';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const RENDERER_DIR = join(REPO_ROOT, 'dist', 'renderer');

export interface DeskLaunch {
  prepared: PreparedFolder;
  terminal: OpenedTerminal;
  host: RunningHost;
  close(): Promise<void>;
}

export interface LaunchOptions {
  dataDir: string;
  port?: number;
  rendererDir?: string;
  now?: number;
  /** Overrides config.json "printer" (tests point it at the fake printer). */
  printerUri?: string | null;
  onInternal?: (err: unknown) => void;
}

export async function launchDesk(o: LaunchOptions): Promise<DeskLaunch> {
  const prepared = prepareDataFolder(o.dataDir, o.now ?? Date.now());
  const config = readConfig(prepared.dir);
  let sync: SyncLoop | null = null;
  // HQ online/offline and the offline risk limits follow the sync loop once the terminal is enrolled.
  const terminal = openTerminal(prepared.dbPath, {
    connectivity: () => sync?.connectivity() ?? { online: false },
    backgroundCheckpoints: true,
  });
  sync = startSyncIfEnrolled(terminal);
  const lang = config?.lang ?? 'zh-CN';
  let host: RunningHost | null = null;
  const printing = startPrintLoop({
    db: terminal.db,
    printerUri: o.printerUri === undefined ? (config?.printer ?? null) : o.printerUri,
    lang,
    publish: (e) => host?.publish(e),
    ...(o.onInternal ? { onError: o.onInternal } : {}),
  });
  try {
    host = await startHost({
      service: terminal.service,
      rendererDir: o.rendererDir ?? RENDERER_DIR,
      ...(o.port === undefined ? {} : { port: o.port }),
      lang,
      ...(config ? { wedge: config.scanner.wedge } : {}),
      printer: printing.state,
      onPrintJob: () => printing.kick(),
      manager: managerPorts(sync, o.printerUri === undefined ? (config?.printer ?? null) : o.printerUri),
      ...(o.onInternal ? { onInternal: o.onInternal } : {}),
    });
  } catch (err) {
    await printing.close();
    await sync?.stop();
    terminal.close();
    throw err;
  }
  const running = host;
  const serial = startSerialScanner(config?.scanner.serial, (e) => running.publish(e));
  return {
    prepared,
    terminal,
    host: running,
    close: async () => {
      await serial.stop();
      await running.close();
      await printing.close();
      await sync?.stop();
      await terminal.closeAsync();
    },
  };
}

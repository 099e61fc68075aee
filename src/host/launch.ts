// One call from a data folder to a running desk in the browser: the desk runtime (deskRuntime.ts,
// the same one Electron runs), or setup from the UI on a folder without one (deskHost.ts), and the
// web host listening on 127.0.0.1.
import { join } from 'node:path';
import type { PreparedFolder } from '../runtime/dataFolder';
import { openDeskHost, type DeskHost } from '../runtime/deskHost';
import type { DeskRuntime } from '../runtime/deskRuntime';
import { startHost, type RunningHost } from './server';
import { openLogFiles, type LogFileOptions } from '../log/files';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const RENDERER_DIR = join(REPO_ROOT, 'dist', 'renderer');

export interface DeskLaunch {
  /** The data folder as prepared; throws while it is being set up (no desk.db, started without demo data). */
  readonly prepared: PreparedFolder;
  /** Started on a folder with no terminal and no demo data: the first window shows setup. */
  settingUp: boolean;
  /** The opened terminal; throws while the folder is being set up. */
  readonly terminal: DeskRuntime['terminal'];
  runtime: DeskHost;
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
  onInternal?: (err: unknown, ref?: string) => void;
  /** The log files' rotation (tests make it small); the data folder's logs/ in any case. */
  logFiles?: LogFileOptions;
  /** A folder without desk.db gets demo data (default) or, false, the setup screen. */
  demo?: boolean;
}

export async function launchDesk(o: LaunchOptions): Promise<DeskLaunch> {
  let host: RunningHost | null = null;
  const log = openLogFiles(o.dataDir, o.logFiles);
  const runtime = openDeskHost({
    demo: o.demo ?? true,
    dataDir: o.dataDir,
    log,
    host: 'web',
    ...(o.now === undefined ? {} : { now: o.now }),
    ...(o.printerUri === undefined ? {} : { printerUri: o.printerUri }),
    publish: (e) => host?.publish(e),
    ...(o.onInternal ? { onInternal: o.onInternal } : {}),
  });
  try {
    host = await startHost({
      dispatcher: runtime.dispatcher,
      rendererDir: o.rendererDir ?? RENDERER_DIR,
      ...(o.port === undefined ? {} : { port: o.port }),
      lang: runtime.lang,
      afterCall: (result) => runtime.afterCall(result),
      ...(o.onInternal ? { onInternal: o.onInternal } : {}),
    });
  } catch (err) {
    await runtime.close();
    log.close();
    throw err;
  }
  const running = host;
  const settingUp = runtime.prepared === null;
  return {
    get prepared() {
      const prepared = runtime.prepared;
      if (!prepared) throw new Error('the terminal is being set up: no desk yet');
      return prepared;
    },
    settingUp,
    get terminal() {
      const desk = runtime.desk();
      if (!desk) throw new Error('the terminal is being set up: no desk yet');
      return desk.terminal;
    },
    runtime,
    host: running,
    close: async () => {
      await running.close();
      await runtime.close();
      log.close();
    },
  };
}

// What a desk window's host runs (the web host, Electron): the desk runtime on a data folder that
// holds a terminal (or gets demo data), or, on a folder with none started without demo data (a
// packaged install's first start, `npm start -- --no-demo`), setup from the UI until the desk opens.
import type { Result } from '../contract/errors';
import type { Lang } from '../loyalty/types';
import type { Dispatcher } from '../terminal/session/dispatcher';
import { createSetupDispatcher } from '../terminal/session/setupDispatcher';
import { isFreshFolder, type PreparedFolder } from './dataFolder';
import { openDeskRuntime, type DeskRuntime, type DeskRuntimeOptions } from './deskRuntime';
import { readPresetConfig, startSetupWiring } from './setupWiring';

export interface DeskHost {
  /** The one door the windows' calls go through. */
  dispatcher: Dispatcher;
  lang: Lang;
  /** The data folder as prepared (demo data seeded, or used as it was); null while it is being set up. */
  prepared: PreparedFolder | null;
  /** The desk, once there is one. */
  desk(): DeskRuntime | null;
  afterCall(result: Result<unknown>): void;
  close(): Promise<void>;
}

export interface DeskHostOptions extends DeskRuntimeOptions {
  /** A folder without desk.db gets demo data (true, `npm start`) or the setup screen (false). */
  demo: boolean;
}

export function openDeskHost(o: DeskHostOptions): DeskHost {
  if (o.demo || !isFreshFolder(o.dataDir)) {
    const runtime = openDeskRuntime(o);
    return { dispatcher: runtime.dispatcher, lang: runtime.lang, prepared: runtime.prepared, desk: () => runtime, afterCall: (r) => runtime.afterCall(r), close: () => runtime.close() };
  }
  // A config.json IT wrote ahead (printer ports, scanner, language) is kept; it names no store yet.
  const lang: Lang = readPresetConfig(o.dataDir)?.lang ?? 'zh-CN';
  const wiring = startSetupWiring({
    dataDir: o.dataDir,
    lang,
    now: () => Date.now(),
    ...(o.dbKey ? { dbKey: o.dbKey } : {}),
    openDesk: () => openDeskRuntime(o),
  });
  return {
    dispatcher: createSetupDispatcher(wiring.port, { lang, ...(o.onInternal ? { onInternal: o.onInternal } : {}) }),
    lang,
    get prepared() {
      return wiring.desk()?.prepared ?? null;
    },
    desk: () => wiring.desk(),
    afterCall: (r) => wiring.desk()?.afterCall(r),
    close: () => wiring.close(),
  };
}

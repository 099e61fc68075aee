// Opens a terminal database and builds the service over it.
import { dirname, join } from 'node:path';
import { DeskError } from '../../contract/errors';
import { DEFAULT_RULES, loyaltyRulesSchema } from '../../loyalty/rules';
import type { LoyaltyRules } from '../../loyalty/types';
import { getMeta, readIdentity } from '../../store/meta';
import { startBackgroundCheckpoints } from '../../store/checkpointer';
import { openStore, type Db, type OpenOptions } from '../../store/open';
import { CONFIG_FILE, readConfig, type DeskConfig } from './config';
import { alwaysOffline, newUuidV7, systemClock, type ServiceDeps } from './deps';
import { createTerminalService, type TerminalService } from './service';

export interface OpenTerminalOptions extends OpenOptions {
  /** Long-running processes (the desk, the bench): checkpoint the WAL from a worker thread, never inside a commit. */
  backgroundCheckpoints?: boolean;
  clock?: () => number;
  newId?: () => string;
  connectivity?: ServiceDeps['connectivity'];
}

export interface OpenedTerminal {
  db: Db;
  service: TerminalService;
  config: DeskConfig | null;
  schemaVersion: number;
  close(): void;
  /** Like close, but waits for the background checkpointer's last checkpoint. */
  closeAsync(): Promise<void>;
}

/**
 * HQ changes the rules (offline limits, multipliers, tiers) through a pull while the desk runs:
 * the service reads them through this, which re-parses only when the stored text changed.
 */
function liveRules(db: Db): () => LoyaltyRules {
  let seen: string | null | undefined;
  let rules = DEFAULT_RULES;
  return () => {
    const json = getMeta(db, 'rules_json');
    if (json !== seen) {
      rules = json === null ? DEFAULT_RULES : loyaltyRulesSchema.parse(JSON.parse(json));
      seen = json;
    }
    return rules;
  };
}

export function openTerminal(dbPath: string, options: OpenTerminalOptions = {}): OpenedTerminal {
  const store = openStore(dbPath, { create: false, ...options });
  try {
    const identity = readIdentity(store.db);
    if (!identity) throw new DeskError('NOT_ENROLLED', { path: dbPath });
    const config = readConfig(dirname(dbPath));
    if (config && (config.storeId !== identity.storeId || config.terminalId !== identity.terminalId)) {
      throw new DeskError('CONFIG_INVALID', { path: join(dirname(dbPath), CONFIG_FILE), problem: 'otherTerminal' });
    }
    const rules = liveRules(store.db);
    const service = createTerminalService({
      db: store.db,
      identity,
      get rules() {
        return rules();
      },
      clock: options.clock ?? systemClock,
      newId: options.newId ?? newUuidV7,
      connectivity: options.connectivity ?? alwaysOffline,
    });
    const checkpointer = options.backgroundCheckpoints ? startBackgroundCheckpoints(store.db, dbPath, store.key) : null;
    const close = (): Promise<void> => {
      const stopped = checkpointer?.stop() ?? Promise.resolve();
      if (store.db.open) store.db.close();
      return stopped;
    };
    return {
      db: store.db,
      service,
      config,
      schemaVersion: store.schemaVersion,
      close: () => void close(),
      // Writes already queued for a group commit are committed (and answered) before the file closes.
      closeAsync: () => service.commits.close().then(close),
    };
  } catch (err) {
    store.db.close();
    throw err;
  }
}

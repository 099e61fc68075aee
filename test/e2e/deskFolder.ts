// A data folder for a browser walk, and the Chromium flags every walk starts with (the machine facts
// in the README: Debian's Chromium, headless, nothing fetched from the network).
import { join } from 'node:path';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { deskConfigSchema, scannerConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { demoPhones } from '../helpers/demoPhones';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Demo members seeded into `dataDir` and its config.json written. A busy 2-core box can hand the
 * page a burst's keys (scanWedge, wedgeScanner.ts) unevenly: the burst window is the desk's own
 * setting (config.json), not a test switch. Answers the members' demo phone numbers (the desk holds
 * only their hashes).
 */
export function prepareDeskFolder(dataDir: string, demo: { members: number; seed: string }): Map<string, string> {
  const now = Date.now();
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: demo.members, seed: demo.seed, now });
  writeConfig(dataDir, {
    ...deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }),
    scanner: scannerConfigSchema.parse({ wedge: { maxInterKeyMs: 120, minLength: 8 } }),
  });
  return demoPhones({ now, ...demo });
}

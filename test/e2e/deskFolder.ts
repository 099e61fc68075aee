// A data folder for a browser walk, and the Chromium flags every walk starts with (the machine facts
// in the README: Debian's Chromium, headless, nothing fetched from the network).
import { join } from 'node:path';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { deskConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { demoPhones } from '../helpers/demoPhones';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Demo members seeded into `dataDir` and its config.json written with the settings a store ships
 * (the scanner's default key gap included: the walks' scans, scanWedge in wedgeScanner.ts, must be
 * read as a store reads them). Answers the members' demo phone numbers (the desk holds only their
 * hashes).
 */
export function prepareDeskFolder(dataDir: string, demo: { members: number; seed: string }): Map<string, string> {
  const now = Date.now();
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: demo.members, seed: demo.seed, now });
  writeConfig(dataDir, deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }));
  return demoPhones({ now, ...demo });
}

// Prepares a data folder: an existing desk.db is used as it is; a folder without one gets demo data.
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeskError } from '../contract/errors';
import { keyFileOf, readKeyFile } from '../store/dbKey';
import { openStore } from '../store/open';
import { CONFIG_FILE, DB_FILE, readConfig, writeConfig } from '../terminal/operations/config';
import { DEMO_STORE, DEMO_TERMINAL } from '../terminal/demo/catalog';
import { seedDemo, type SeedSummary } from '../terminal/demo/seed';
import { homedir } from 'node:os';

export const DEMO_MEMBERS = 2_000;
export const HQ_KEY_FILE = 'hq-demo-key.jwk.json';

export interface SeedRequest {
  dbPath: string;
  members: number;
  seed: string;
  now: number;
  /** The database key itself (Electron: from the OS keystore); otherwise the key file rule. */
  dbKey?: Buffer;
}

/** Seeds demo data into a new database file; refuses a file that already holds one. */
export function seedNewDatabase(req: SeedRequest): SeedSummary & { db: string } {
  if (existsSync(req.dbPath) && statSync(req.dbPath).size > 0) throw new DeskError('DB_EXISTS', { path: req.dbPath });
  const dir = join(req.dbPath, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { db } = openStore(req.dbPath, { create: true, ...(req.dbKey ? { key: { raw: req.dbKey } } : {}) });
  try {
    const summary = seedDemo(db, { members: req.members, seed: req.seed, now: req.now, hqKeyFile: join(dir, HQ_KEY_FILE) });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return { db: req.dbPath, ...summary };
  } catch (err) {
    // The file was new: leave no half-made database behind to be mistaken for a real one.
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${req.dbPath}${suffix}`, { force: true });
    throw err;
  }
}

export interface PreparedFolder {
  dir: string;
  dbPath: string;
  seeded: (SeedSummary & { db: string }) | null;
}

/** The data folder is its owner's alone: 0700, every file in it 0600 (the database's key is elsewhere). */
export function makePrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) chmodSync(join(dir, entry.name), 0o600);
  }
}

/** A folder with no desk.db (or an empty one): demo data is seeded into it, or it is set up from the UI. */
export function isFreshFolder(dir: string): boolean {
  const dbPath = join(dir, DB_FILE);
  return !existsSync(dbPath) || statSync(dbPath).size === 0;
}

export function prepareDataFolder(dir: string, now: number, dbKey?: Buffer): PreparedFolder {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const dbPath = join(dir, DB_FILE);
  const fresh = isFreshFolder(dir);
  const seeded = fresh ? seedNewDatabase({ dbPath, members: DEMO_MEMBERS, seed: 'demo', now, ...(dbKey ? { dbKey } : {}) }) : null;
  if (seeded && !existsSync(join(dir, CONFIG_FILE))) {
    writeConfig(dir, {
      storeId: DEMO_STORE.id,
      terminalId: DEMO_TERMINAL,
      tz: DEMO_STORE.tz,
      printer: null,
      scanner: { wedge: { enabled: true, maxInterKeyMs: 35, minLength: 8 }, serial: { port: null, baud: 9600 }, camera: { deviceId: null } },
      lang: 'zh-CN',
    });
  }
  readConfig(dir);
  makePrivate(dir);
  return { dir, dbPath, seeded };
}

/** The OS's per-user app-data folder for Loyalty Desk. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'LoyaltyDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'LoyaltyDesk');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'loyalty-desk');
}

/**
 * The key the key file rule holds for this data folder's database, if any: Electron moves it into
 * the OS keystore the first time, so a folder the web host made opens in the desktop app too.
 */
export function ruleKeyOf(dataDir: string): Buffer | null {
  return readKeyFile(keyFileOf(join(dataDir, DB_FILE)));
}

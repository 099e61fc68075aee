// Lets a test's data folder print to the fake printer: an ephemeral port is no printer port and a pty
// in a temp folder no serial port (src/print/printerPolicy.ts), so the folder's config.json lists them
// as the IT person would ("printerPorts", "serialPaths"). A folder without config.json gets one
// naming the database's own store and terminal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readIdentity } from '../../src/store/meta';
import { openStore } from '../../src/store/open';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { DB_FILE, deskConfigSchema, printerAllowance, readConfig, writeConfig } from '../../src/terminal/operations/config';

function identityOf(dataDir: string): { storeId: string; terminalId: string; tz?: string } {
  const dbPath = join(dataDir, DB_FILE);
  if (!existsSync(dbPath)) return { storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL };
  const { db } = openStore(dbPath, { create: false });
  try {
    const id = readIdentity(db);
    return id ? { storeId: id.storeId, terminalId: id.terminalId, tz: id.tz } : { storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL };
  } finally {
    db.close();
  }
}

export function allowPrinter(dataDir: string, allow: { ports?: readonly number[]; serialPaths?: readonly string[] }): void {
  const config = readConfig(dataDir) ?? deskConfigSchema.parse(identityOf(dataDir));
  const had = printerAllowance(config);
  writeConfig(dataDir, {
    ...config,
    printerPorts: [...new Set([...(had.ports ?? []), ...(allow.ports ?? [])])],
    serialPaths: [...new Set([...(had.serialPaths ?? []), ...(allow.serialPaths ?? [])])],
  });
}

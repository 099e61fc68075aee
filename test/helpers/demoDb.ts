// A seeded demo database in a fresh temp folder, with a fixed clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { openTerminal, type OpenedTerminal, type OpenTerminalOptions } from '../../src/terminal/operations/openTerminal';

/** 2026-11-23 10:00 in Shanghai. */
export const NOW = Date.UTC(2026, 10, 23, 2, 0, 0);

export function tempDir(prefix = 'ld-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface DemoTerminal extends OpenedTerminal {
  dbPath: string;
  dir: string;
  clock: { now: number };
  online: { value: boolean };
  cleanup: () => void;
}

export function seedDemoDb(members = 300, now = NOW): { dir: string; dbPath: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir();
  const dbPath = join(dir, 'desk.db');
  seedNewDatabase({ dbPath, members, seed: 'test', now });
  return { dir, dbPath, cleanup };
}

export function openDemoTerminal(members = 300, options: OpenTerminalOptions = {}): DemoTerminal {
  const seeded = seedDemoDb(members);
  const clock = { now: NOW };
  const online = { value: false };
  const t = openTerminal(seeded.dbPath, {
    clock: () => clock.now,
    connectivity: () => ({ online: online.value }),
    ...options,
  });
  return {
    ...t,
    dbPath: seeded.dbPath,
    dir: seeded.dir,
    clock,
    online,
    cleanup: () => {
      t.close();
      seeded.cleanup();
    },
  };
}

export function count(t: { db: OpenedTerminal['db'] }, sql: string, ...params: unknown[]): number {
  return (t.db.prepare(sql).get(...params) as { n: number }).n;
}

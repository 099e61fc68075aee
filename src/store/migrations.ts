// Numbered SQL files (db/terminal/NNN_name.sql) applied in order, all pending ones in one
// transaction, the schema version recorded in PRAGMA user_version.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * A migration whose SQL says so is followed by a VACUUM (after its transaction commits): what it
 * dropped is rewritten out of the file, not left in free pages or slack space a forensic reader finds.
 */
const VACUUM_AFTER = /^-- then: VACUUM$/m;

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;

export function terminalMigrationsDir(): string {
  return fileURLToPath(new URL('../../db/terminal/', import.meta.url));
}

export function loadMigrations(dir: string = terminalMigrationsDir()): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      if (!m || m[1] === undefined || m[2] === undefined) return null;
      return { version: Number(m[1]), name: m[2], sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .filter((m): m is Migration => m !== null)
    .sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`two migrations share version ${migrations[i]!.version} in ${dir}`);
    }
  }
  return migrations;
}

export function latestVersion(migrations: Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** Applies every migration newer than the file's version; returns the versions applied. */
export function migrate(db: Database, migrations: Migration[], applicationId: number): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return [];
  // What a migration removes (130 drops every phone number) is overwritten, not left in free pages.
  const secureDelete = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    db.transaction(() => {
      for (const m of pending) db.exec(m.sql);
      db.pragma(`application_id = ${applicationId}`);
      db.pragma(`user_version = ${latestVersion(pending)}`);
    }).immediate();
  } finally {
    db.pragma(`secure_delete = ${secureDelete}`);
  }
  if (pending.some((m) => VACUUM_AFTER.test(m.sql))) db.exec('VACUUM');
  return pending.map((m) => m.version);
}

// Opens (or creates) a terminal database. A file that is not ours, or is from a newer version,
// is refused before anything is written to it.
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DeskError } from '../contract/errors';
import { latestVersion, loadMigrations, migrate, type Migration } from './migrations';

export type Db = Database.Database;

/** PRAGMA application_id of a Loyalty Desk terminal database: 'LDSK'. */
export const TERMINAL_APPLICATION_ID = 0x4c44534b;

export interface OpenOptions {
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  /**
   * PRAGMA quick_check at open: true (default) always; 'after-crash' only when a write-ahead log was
   * left behind (the last writer did not close cleanly) — short CLI calls use that, since the check
   * reads the whole file (about 1.7 s at a million members); false never (doctor runs the full check).
   */
  quickCheck?: boolean | 'after-crash';
  migrations?: Migration[];
}

export interface OpenedStore {
  db: Db;
  schemaVersion: number;
  created: boolean;
  migrated: number[];
}

interface FileIdentity {
  applicationId: number;
  userVersion: number;
  tableCount: number;
}

function isBusy(err: unknown): boolean {
  return err instanceof Error && 'code' in err && (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED');
}

/** Reads who the file says it is through a read-only connection, so probing changes nothing. */
function probe(path: string): FileIdentity {
  let ro: Db | undefined;
  try {
    ro = new Database(path, { readonly: true, fileMustExist: true });
    return {
      applicationId: ro.pragma('application_id', { simple: true }) as number,
      userVersion: ro.pragma('user_version', { simple: true }) as number,
      tableCount: (ro.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n,
    };
  } catch (err) {
    if (isBusy(err)) throw new DeskError('DB_BUSY', { path }, err);
    throw new DeskError('NOT_LOYALTY_DB', { path }, err);
  } finally {
    ro?.close();
  }
}

function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

export function openStore(path: string, options: OpenOptions = {}): OpenedStore {
  const migrations = options.migrations ?? loadMigrations();
  const supported = latestVersion(migrations);
  const exists = existsSync(path) && statSync(path).size > 0;
  const walLeft = existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0;
  if (!exists && options.create === false) throw new DeskError('DB_NOT_FOUND', { path });

  if (exists) {
    const id = probe(path);
    const ours = id.applicationId === TERMINAL_APPLICATION_ID;
    const blank = id.applicationId === 0 && id.userVersion === 0 && id.tableCount === 0;
    if (!ours && !blank) throw new DeskError('NOT_LOYALTY_DB', { path });
    if (id.userVersion > supported) {
      throw new DeskError('DB_FROM_FUTURE', { path, found: id.userVersion, supported });
    }
  }

  const db = new Database(path);
  try {
    applyPragmas(db);
    const quickCheck = options.quickCheck ?? true;
    if (exists && (quickCheck === true || (quickCheck === 'after-crash' && walLeft))) {
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      if (rows[0]?.quick_check !== 'ok') {
        throw new DeskError('DB_CORRUPT', { path, detail: rows.map((r) => r.quick_check).slice(0, 3).join('; ') });
      }
    }
    const migrated = migrate(db, migrations, TERMINAL_APPLICATION_ID);
    return { db, schemaVersion: supported, created: !exists, migrated };
  } catch (err) {
    db.close();
    if (err instanceof DeskError) throw err;
    if (isBusy(err)) throw new DeskError('DB_BUSY', { path }, err);
    throw err;
  }
}

// Key/value facts about this terminal's database: identity, salts, sync marks.
import type { Db } from './open';
import { stmt } from './statements';

export type MetaKey =
  | 'store_id'
  | 'terminal_id'
  | 'tz'
  | 'pin_salt'
  | 'rules_json'
  | 'last_sync_at'
  | 'demo'
  // The recovery key's wrap of the database key, and when the key was shown (src/store/recoveryKey.ts).
  | 'recovery_wrap'
  | 'recovery_shown_at'
  // The daily backup failing since when (src/store/opsFailures.ts); gone after the next success.
  | 'backup_failure';

export function getMeta(db: Db, key: MetaKey): string | null {
  const row = stmt<[string], { value: string }>(db, 'SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value ?? null;
}

export function setMeta(db: Db, key: MetaKey, value: string): void {
  stmt(db, 'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

export interface TerminalIdentity {
  storeId: string;
  terminalId: string;
  tz: string;
}

export function readIdentity(db: Db): TerminalIdentity | null {
  const storeId = getMeta(db, 'store_id');
  const terminalId = getMeta(db, 'terminal_id');
  const tz = getMeta(db, 'tz');
  if (storeId === null || terminalId === null || tz === null) return null;
  return { storeId, terminalId, tz };
}

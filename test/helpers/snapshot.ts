// Every table's row count and a checksum of its content: "nothing written" means this is unchanged.
import { createHash } from 'node:crypto';
import type { Db } from '../../src/store/open';

/** `except`: tables a refusal is meant to write (the PIN and phone-check lockout counters). */
export function snapshot(db: Db, except: readonly string[] = []): Record<string, string> {
  const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name)
    .filter((name) => !except.includes(name));
  return Object.fromEntries(
    tables.map((t) => {
      const rows = db.prepare(`SELECT * FROM ${t}`).all();
      return [t, `${rows.length}:${createHash('sha1').update(JSON.stringify(rows)).digest('hex')}`];
    }),
  );
}

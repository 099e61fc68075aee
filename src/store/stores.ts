// stores: the brand's stores this terminal knows (its own, at least).
import type { LocalizedText } from '../loyalty/types';
import { localizedTextSchema } from '../loyalty/schemas';
import type { Db } from './open';
import { stmt } from './statements';

export function getStoreName(db: Db, id: string): LocalizedText | null {
  const row = stmt<[string], { name_json: string }>(db, 'SELECT name_json FROM stores WHERE id = ? AND tombstone = 0').get(id);
  return row ? localizedTextSchema.parse(JSON.parse(row.name_json)) : null;
}

export function upsertStore(db: Db, s: { id: string; name: LocalizedText; tz: string; at: number }): void {
  stmt(
    db,
    `INSERT INTO stores(id, name_json, tz, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET name_json = excluded.name_json, tz = excluded.tz, updated_at = excluded.updated_at, tombstone = 0`,
  ).run(s.id, JSON.stringify(s.name), s.tz, s.at);
}

// Prepared statements cached per connection: hot paths prepare once, and SQL stays parameterised.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from './open';

const caches = new WeakMap<Db, Map<string, Statement>>();

export function stmt<P extends unknown[] | {} = unknown[], R = unknown>(db: Db, sql: string): Statement<P, R> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s as unknown as Statement<P, R>;
}

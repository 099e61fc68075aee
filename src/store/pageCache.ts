// A large SQLite page cache for bulk sync work only. A pull of 10,000 changed members into a
// million-member file touches thousands of pages: with the connection's default (16 MB in
// better-sqlite3's build) they are spilled to the WAL mid-transaction and read (and, encrypted,
// decrypted) again and again. Outside a sync the desk keeps the default, and the pages read
// meanwhile are let go: decrypted member data does not sit in the process's memory longer than the
// work needs it.
import type { Db } from './open';

/** 64 MiB, taken only as pages are read. */
export const SYNC_PAGE_CACHE_KIB = 65_536;

export async function withSyncPageCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${SYNC_PAGE_CACHE_KIB}`);
  try {
    return await work();
  } finally {
    if (db.open) {
      db.pragma(`cache_size = ${before}`);
      db.pragma('shrink_memory');
    }
  }
}

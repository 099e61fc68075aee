// Group commit: writes that arrive while the event loop is busy share one COMMIT (one fsync of the
// WAL) instead of paying one each. With synchronous=FULL the fsync, not the SQL, bounds how many
// redemptions a second one connection can take; sharing it is how databases scale past that.
//
// Each piece of work runs in its own SAVEPOINT inside the shared transaction, so a refused
// redemption rolls back alone and the others still commit. No caller hears "done" before the
// COMMIT that holds its rows has returned; if that COMMIT fails, every caller in the group gets
// the error and nothing of the group is in the file.
import type { Db } from './open';

export interface GroupCommitStats {
  commits: number;
  works: number;
  largestGroup: number;
}

export interface GroupCommit {
  /** Runs `work` in the next group; resolves with its result once the group has committed. */
  run<T>(work: () => T): Promise<T>;
  stats(): GroupCommitStats;
  /** Commits what is queued, then refuses new work. */
  close(): Promise<void>;
}

interface Queued {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; err: unknown };

export function createGroupCommit(db: Db, options: { maxGroup?: number } = {}): GroupCommit {
  const maxGroup = options.maxGroup ?? 64;
  const queue: Queued[] = [];
  const stats: GroupCommitStats = { commits: 0, works: 0, largestGroup: 0 };
  let scheduled = false;
  let closed = false;
  let idle: (() => void) | null = null;

  // Nested better-sqlite3 transactions are savepoints: a throw rolls back this work only.
  const inSavepoint = db.transaction((work: () => unknown) => work());
  const commitGroup = db.transaction((group: Queued[]): Outcome[] =>
    group.map((q) => {
      try {
        return { ok: true, value: inSavepoint(q.work) };
      } catch (err) {
        return { ok: false, err };
      }
    }),
  );

  const flush = (): void => {
    scheduled = false;
    const group = queue.splice(0, maxGroup);
    if (queue.length > 0) schedule();
    if (group.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = commitGroup.immediate(group);
    } catch (err) {
      for (const q of group) q.reject(err);
      if (queue.length === 0) idle?.();
      return;
    }
    stats.commits++;
    stats.works += group.length;
    stats.largestGroup = Math.max(stats.largestGroup, group.length);
    group.forEach((q, i) => {
      const o = outcomes[i]!;
      if (o.ok) q.resolve(o.value);
      else q.reject(o.err);
    });
    if (queue.length === 0) idle?.();
  };

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask: requests already read off the sockets get to join the group.
    setImmediate(flush);
  }

  return {
    run<T>(work: () => T): Promise<T> {
      if (closed) return Promise.reject(new Error('group commit closed'));
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        schedule();
      });
    },
    stats: () => ({ ...stats }),
    close(): Promise<void> {
      closed = true;
      if (queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idle = resolve;
      });
    },
  };
}

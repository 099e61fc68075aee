// Moves WAL checkpoints off the thread that commits: a worker thread with its own connection runs
// PRAGMA wal_checkpoint(PASSIVE) every interval, and the desk's connection turns automatic
// checkpoints off. A checkpoint (several ms on a large log) then never lands inside a clerk's
// redemption. PASSIVE never blocks writers; the log is still bounded because the worker keeps up.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './open';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 50');
const tick = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message)); } };
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); parentPort.close(); } });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startBackgroundCheckpoints(db: Db, path: string, intervalMs = 250, onError?: (message: string) => void): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs } });
  worker.unref();
  worker.on('message', (m: unknown) => onError?.(String(m)));
  worker.on('error', (err) => onError?.(err.message));
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        // Bounded: a worker that does not finish its last checkpoint in 2 s is terminated.
        const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 2_000);
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
          if (db.open) db.pragma('wal_autocheckpoint = 1000');
        });
        worker.postMessage('stop');
      }),
  };
}

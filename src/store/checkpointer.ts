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
if (workerData.keyHex) { db.pragma("cipher = 'sqlcipher'"); db.pragma('legacy = 4'); db.pragma(\`key = "x'\${workerData.keyHex}'"\`); }
db.pragma('busy_timeout = 50');
const tick = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err && err.message)); } };
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); parentPort.close(); } });
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** `key`: the database key (null for a plain file); the worker's connection needs it as the desk's does. */
export function startBackgroundCheckpoints(db: Db, path: string, key: Buffer | null, intervalMs = 250, onError?: (message: string) => void): Checkpointer {
  db.pragma('wal_autocheckpoint = 0');
  const driver = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, intervalMs, keyHex: key?.toString('hex') ?? null } });
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

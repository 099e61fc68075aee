// Enrollment: trade HQ's one-time code for this terminal's identity and credential. A new file is
// created for it (and removed again if HQ refuses); a database that already belongs to a store is
// refused. The first sync then pulls the snapshot.
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeskError } from '../contract/errors';
import { readIdentity, setMeta } from '../store/meta';
import { openStore, type Db } from '../store/open';
import { getSyncState, setSyncState } from '../store/syncState';
import { createHqClient, type HqClient } from './hqClient';

export interface EnrollRequest {
  dbPath: string;
  hqUrl: string;
  code: string;
  label?: string;
  client?: HqClient;
  /** Benchmarks only: an unencrypted file, to measure what encryption costs in the same run. */
  plaintext?: boolean;
}

export interface EnrollResult {
  db: string;
  storeId: string;
  terminalId: string;
  tz: string;
  hq: string;
}

export async function enrollTerminal(req: EnrollRequest): Promise<EnrollResult> {
  const isNew = !existsSync(req.dbPath) || statSync(req.dbPath).size === 0;
  mkdirSync(dirname(req.dbPath), { recursive: true });
  const { db } = openStore(req.dbPath, { create: true, plaintext: req.plaintext === true });
  let enrolled = false;
  try {
    const existing = readIdentity(db);
    if (existing) throw new DeskError('ALREADY_ENROLLED', { path: req.dbPath, storeId: existing.storeId, terminalId: existing.terminalId });
    const client = req.client ?? createHqClient({ url: req.hqUrl });
    const { value } = await client.enroll(req.code, req.label);
    db.transaction(() => {
      setMeta(db, 'store_id', value.storeId);
      setMeta(db, 'terminal_id', value.terminalId);
      setMeta(db, 'tz', value.tz);
      setSyncState(db, 'hq_url', client.url);
      setSyncState(db, 'credential', value.credential);
    }).immediate();
    enrolled = true;
    return { db: req.dbPath, storeId: value.storeId, terminalId: value.terminalId, tz: value.tz, hq: client.url };
  } finally {
    db.close();
    // A file made only for this enrollment is not left behind half-made.
    if (isNew && !enrolled) for (const suffix of ['', '-wal', '-shm']) rmSync(`${req.dbPath}${suffix}`, { force: true });
  }
}

/** Whether this terminal holds HQ's address and its credential (it can sync). */
export function isEnrolled(db: Db): boolean {
  return getSyncState(db, 'hq_url') !== null && getSyncState(db, 'credential') !== null;
}

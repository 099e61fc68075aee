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
  /** The database key itself (Electron: from the OS keystore); otherwise the key file rule. */
  key?: Buffer;
}

/** An enrollment code as HQ issues them: ABCD-EFGH-JKLM (typed in any case, spaces around ignored). */
const CODE_SHAPE = /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/;

/** The code as HQ expects it, or ENROLLMENT_CODE_MALFORMED (the code itself is never echoed). */
export function normalizeEnrollmentCode(raw: string): string {
  const code = raw.trim().toUpperCase();
  if (!CODE_SHAPE.test(code)) throw new DeskError('ENROLLMENT_CODE_MALFORMED', {});
  return code;
}

/**
 * HQ's address: http(s), a host, no user or password in it (it would be stored and shown), no query
 * or fragment. What is wrong is said by the reason (the i18n context), not by a parser's words.
 */
export function normalizeHqUrl(raw: string): string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DeskError('HQ_URL_INVALID', { context: 'shape' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DeskError('HQ_URL_INVALID', { context: 'scheme' });
  if (url.hostname === '' || /[\s\u0000-\u001f]/.test(text)) throw new DeskError('HQ_URL_INVALID', { context: 'shape' });
  if (url.username !== '' || url.password !== '') throw new DeskError('HQ_URL_INVALID', { context: 'userinfo' });
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) throw new DeskError('HQ_URL_INVALID', { context: 'query' });
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export interface EnrollResult {
  db: string;
  storeId: string;
  terminalId: string;
  tz: string;
  hq: string;
}

export async function enrollTerminal(req: EnrollRequest): Promise<EnrollResult> {
  // Checked before any file is made: a bad address or code leaves nothing behind.
  const hqUrl = req.client ? req.client.url : normalizeHqUrl(req.hqUrl);
  const code = normalizeEnrollmentCode(req.code);
  const isNew = !existsSync(req.dbPath) || statSync(req.dbPath).size === 0;
  mkdirSync(dirname(req.dbPath), { recursive: true });
  const { db } = openStore(req.dbPath, { create: true, plaintext: req.plaintext === true, ...(req.key ? { key: { raw: req.key } } : {}) });
  let enrolled = false;
  try {
    const existing = readIdentity(db);
    if (existing) throw new DeskError('ALREADY_ENROLLED', { path: req.dbPath, storeId: existing.storeId, terminalId: existing.terminalId });
    const client = req.client ?? createHqClient({ url: hqUrl });
    const { value } = await client.enroll(code, req.label);
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

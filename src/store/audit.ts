// The tamper-evident audit log: each entry's hash covers the previous hash and its own content.
import { createHash } from 'node:crypto';
import type { Db } from './open';
import { stmt } from './statements';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  at: number;
  actor: string;
  action: string;
  ref: string | null;
  data: unknown;
}

export function auditHash(prevHash: string, contentJson: string): string {
  return createHash('sha256').update(prevHash).update(contentJson).digest('hex');
}

/** Appends an entry; returns its seq and hash (a receipt prints the start of the hash). */
export function appendAudit(db: Db, entry: AuditInput): { seq: number; hash: string } {
  const last = stmt<[], { hash: string }>(db, 'SELECT hash FROM audit ORDER BY seq DESC LIMIT 1').get();
  const prev = last?.hash ?? GENESIS_HASH;
  const content = JSON.stringify({ at: entry.at, actor: entry.actor, action: entry.action, ref: entry.ref, data: entry.data });
  const hash = auditHash(prev, content);
  const info = stmt(
    db,
    'INSERT INTO audit(at, actor, action, ref, content_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(entry.at, entry.actor, entry.action, entry.ref, content, prev, hash);
  return { seq: Number(info.lastInsertRowid), hash };
}

export type AuditVerdict =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; firstBrokenSeq: number; problem: 'prev_hash' | 'hash' | 'columns' | 'content' };

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  ref: string | null;
  content_json: string;
  prev_hash: string;
  hash: string;
}

/** Walks the whole chain; names the first entry whose link, hash or columns do not match. */
function parseContent(text: string): { at?: unknown; actor?: unknown; action?: unknown; ref?: unknown } | null {
  try {
    const c: unknown = JSON.parse(text);
    return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as { at?: unknown; actor?: unknown; action?: unknown; ref?: unknown }) : null;
  } catch {
    return null;
  }
}

export function verifyAuditChain(db: Db): AuditVerdict {
  let prev = GENESIS_HASH;
  let entries = 0;
  for (const row of db.prepare('SELECT * FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    entries++;
    if (row.prev_hash !== prev) return { ok: false, entries, firstBrokenSeq: row.seq, problem: 'prev_hash' };
    if (auditHash(prev, row.content_json) !== row.hash) return { ok: false, entries, firstBrokenSeq: row.seq, problem: 'hash' };
    const c = parseContent(row.content_json);
    // Content that is not an entry (not JSON, not an object) names the entry; it never stops the check.
    if (c === null) return { ok: false, entries, firstBrokenSeq: row.seq, problem: 'content' };
    if (c.at !== row.at || c.actor !== row.actor || c.action !== row.action || c.ref !== row.ref) {
      return { ok: false, entries, firstBrokenSeq: row.seq, problem: 'columns' };
    }
    prev = row.hash;
  }
  return { ok: true, entries, head: prev };
}

/** The last entry (seq 0 and the genesis hash for an empty log): what a push asks HQ to anchor. */
export function auditHead(db: Db): { seq: number; hash: string } {
  return stmt<[], { seq: number; hash: string }>(db, 'SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() ?? { seq: 0, hash: GENESIS_HASH };
}

/** The stored hash of entry `seq`, or null when there is no such entry. */
export function auditHashAt(db: Db, seq: number): string | null {
  return stmt<[number], { hash: string }>(db, 'SELECT hash FROM audit WHERE seq = ?').get(seq)?.hash ?? null;
}

// One sync with HQ: push the outbox in order, then pull every page after the cursor. Each push
// answer and each pull page is written in one SQLite transaction together with its mark (acks,
// cursor), so a cut anywhere resumes where it stopped and nothing is ever half-applied.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { DeskError } from '../contract/errors';
import { getMeta, setMeta } from '../store/meta';
import type { Db } from '../store/open';
import { pendingOutbox, pendingOutboxCount } from '../store/outbox';
import { applyPage, pageInOrder, type AnyChange } from '../store/syncApply';
import { withSyncPageCache } from '../store/pageCache';
import { applyAcks, getSyncState, recordConflict, setSyncState } from '../store/syncState';
import { clockSkew, createHqClient, type HqClient, type Timed } from './hqClient';
import { signedAnchorSchema, type AuditClaim, type SignedAnchor } from '../sync/anchor';
import { auditHashAt, auditHead } from '../store/audit';
import { DEFAULT_PULL_LIMIT, MAX_PUSH_EVENTS, MAX_SET_ASIDE_REPORTS, pushEventSchema, SKEW_WARN_MS, type PullPage, type AnyPushEvent, type PushResponse } from '../sync/protocol';
import { changeSchema, type Change } from '../sync/protocolEntities';
import { listSetAside, markSetAsideReported, setAside, type SetAsideRow } from '../store/setAside';
import { keepRestoreHistory, tellRestore } from './restoreSync';

export interface SyncProgress {
  phase: 'push' | 'pull' | 'done';
  pushed: number;
  toPush: number;
  pulled: number;
  pages: number;
}

export interface SyncSummary {
  pushed: number;
  duplicates: number;
  /** Events HQ refused (each with a conflict saying why; the member's row HQ sends back is HQ's truth). */
  refused: number;
  conflicts: number;
  pulled: number;
  pages: number;
  /** Rows HQ sent that this terminal could not parse, kept aside (schema 110) instead of stopping the pull. */
  setAside: number;
  /** Set-aside rows (this sync's or earlier ones') reported to HQ by this sync. */
  setAsideReported: number;
  /** This sync told HQ the terminal was restored from a backup (docs/sync.md "After a restore"). */
  restore?: { hqLastSeq: number; moved: number; kept: number; known: number; skipped: number };
  pending: number;
  skewMs: number | null;
  skewWarning: boolean;
  lastSyncAt: number;
}

export interface SyncOptions {
  client?: HqClient;
  now?: () => number;
  onProgress?: (p: SyncProgress) => void;
  pushBatch?: number;
  pullLimit?: number;
  /** Upper bound on pull pages in one run (a bounded loop even against a misbehaving HQ). */
  maxPages?: number;
  timeoutMs?: number;
  /** Free bytes where the database lives (tests give a disk of their own size); default statfs of its folder. */
  freeBytes?: () => number;
  /** The room a pull leaves for operations and receipts (default DISK_RESERVE_BYTES). */
  reserveBytes?: number;
}

/**
 * What a pull never takes from the disk: room for days of operations, receipts and the WAL (a day is
 * a few MB). An HQ (or something at its address) can send page after page of rows, valid or not;
 * without this it filled the disk until the desk could record no redemption at all. Not more: a
 * store PC with little room left must still sync (and a near-full disk is doctor's to say).
 */
export const DISK_RESERVE_BYTES = 128 * 1024 * 1024;

/** Free bytes on the volume of `file` for this user; Infinity where it cannot be told (an in-memory database). */
export function freeBytesBeside(file: string): number {
  if (!file || file === ':memory:') return Infinity;
  try {
    const s = statfsSync(dirname(file));
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return Infinity;
  }
}

export function clientFor(db: Db, options: Pick<SyncOptions, 'timeoutMs'> = {}): HqClient {
  const url = getSyncState(db, 'hq_url');
  const credential = getSyncState(db, 'credential');
  if (!url || !credential) throw new DeskError('NO_HQ_CREDENTIAL', {});
  return createHqClient({ url, credential, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
}

/**
 * The audit head to anchor, and this terminal's own entry at the anchor it holds (docs/authority.md).
 * `latest`: an anchor HQ has just sent that is not stored yet (the next batch leaves before it is).
 */
function auditClaim(db: Db, latest?: SignedAnchor | null): AuditClaim {
  const head = auditHead(db);
  const held = signedAnchorSchema.safeParse(latest ?? parseJson(getSyncState(db, 'audit_anchor')));
  const atAnchor = held.success && held.data.seq > 0 ? { seq: held.data.seq, hash: auditHashAt(db, held.data.seq) } : null;
  return { seq: head.seq, hash: head.hash, atAnchor };
}

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function outboxAsEvents(db: Db, limit: number, afterSeq = 0): AnyPushEvent[] {
  return pendingOutbox(db, limit, afterSeq).map((e) => {
    const parsed = pushEventSchema.safeParse({ seq: e.seq, id: e.id, type: e.type, createdAt: e.createdAt, payload: e.payload });
    // Our own outbox row failing our own schema is a bug to report, never something to skip.
    if (!parsed.success) throw new DeskError('INTERNAL', { detail: `outbox event ${e.seq} does not match the sync protocol: ${parsed.error.issues[0]?.message ?? ''}` });
    return parsed.data;
  });
}

export async function pushOutbox(
  db: Db,
  client: HqClient,
  options: SyncOptions = {},
): Promise<{ pushed: number; duplicates: number; refused: number; conflicts: number; skewMs: number | null }> {
  const now = options.now ?? Date.now;
  const batch = Math.min(options.pushBatch ?? 200, MAX_PUSH_EVENTS);
  const toPush = pendingOutboxCount(db);
  let pushed = 0;
  let duplicates = 0;
  let refused = 0;
  let conflicts = 0;
  let skewMs: number | null = null;
  // Pipelined, one batch ahead. The next batch is read (and checked) while HQ works on this one, and
  // sent as soon as this one's answer is checked, before that answer is written here: HQ has
  // committed this batch by then, so if writing its acks fails or the terminal stops, those events
  // are only sent again and acknowledged `duplicate`. Batches still reach HQ one at a time, in
  // outbox order (a batch leaves only after the one before it was acknowledged), and a failed
  // answer throws before anything after it is sent.
  const send = (events: AnyPushEvent[], anchor?: SignedAnchor | null): Promise<Timed<PushResponse>> => {
    // Async, so a client that throws at once fails the await below like any other failure.
    const answer = (async () => client.push(events, auditClaim(db, anchor)))();
    // A request left in flight when this loop throws (its batch is sent again next time) fails unheard.
    answer.catch(() => undefined);
    return answer;
  };
  // fetch writes the request from the event loop: let it go out before the synchronous SQLite work
  // that follows, or HQ would only get it once that work is done and nothing would overlap.
  const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
  let events = outboxAsEvents(db, batch);
  let answer = events.length > 0 ? send(events) : null;
  if (answer) await flush();
  // Bounded: every round acknowledges at least one event or throws, and no more batches leave than
  // the outbox held at the start, and two for events recorded meanwhile.
  const maxBatches = Math.ceil(toPush / batch) + 2;
  for (let round = 1; answer; round++) {
    const next = outboxAsEvents(db, batch, events.at(-1)!.seq);
    const { value, sentAt, receivedAt } = await answer;
    const sent = new Map(events.map((e) => [e.seq, e.id]));
    // Each event acknowledged once: an answer naming one event twice and another not at all is no
    // acknowledgement of both (before, it counted as one and the other was reported pushed).
    const once = new Set<number>();
    const acked = value.acks.filter((a) => sent.get(a.seq) === a.id && !once.has(a.seq) && once.add(a.seq));
    if (acked.length !== events.length || value.ackedThrough !== events.at(-1)!.seq) {
      throw new DeskError('HQ_BAD_RESPONSE', { detail: `HQ acknowledged ${acked.length} of ${events.length} events` });
    }
    answer = next.length > 0 && round < maxBatches ? send(next, value.anchor) : null;
    events = next;
    if (answer) await flush();
    db.transaction(() => {
      applyAcks(db, acked.map((a) => a.seq));
      for (const c of value.conflicts) recordConflict(db, c, now());
      setSyncState(db, 'last_push_at', String(now()));
      // HQ's signed anchor of this terminal's audit chain: doctor and the day-end check the log against it.
      if (value.anchor) setSyncState(db, 'audit_anchor', JSON.stringify(value.anchor));
    }).immediate();
    pushed += acked.filter((a) => a.status === 'applied').length;
    duplicates += acked.filter((a) => a.status === 'duplicate').length;
    // HQ holds a refused event and says why in a conflict; it leaves the outbox like any acknowledged one.
    refused += acked.filter((a) => a.status === 'refused').length;
    conflicts += value.conflicts.length;
    skewMs = clockSkew(value.serverTime, sentAt, receivedAt);
    options.onProgress?.({ phase: 'push', pushed: pushed + duplicates + refused, toPush, pulled: 0, pages: 0 });
  }
  return { pushed, duplicates, refused, conflicts, skewMs };
}

/** A change HQ sent, checked on its own: parsed, or why it is set aside (paths and zod's issue codes). */
function checkChange(raw: unknown): { ok: true; change: Change } | { ok: false; entity: string | null; entityId: string | null; reason: string } {
  const parsed = changeSchema.safeParse(raw);
  if (parsed.success) return { ok: true, change: parsed.data };
  const o = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(row)'}: ${i.code}`)
    .join('; ');
  return { ok: false, entity: typeof o.entity === 'string' ? o.entity : null, entityId: typeof o.id === 'string' ? o.id : null, reason };
}

/**
 * SQLite refused what a row asked (a constraint, a value of the wrong type): that row's fault, set
 * aside. Anything else (a full disk, a busy or broken file) is the database's, and fails the page.
 */
function refusedByDatabase(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && err.name === 'SqliteError' && typeof code === 'string' && (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH');
}

/** A page's rows one at a time, in applyPage's order, each in a savepoint: the ones SQLite refuses are returned, undone. */
function applyRowByRow(db: Db, storeId: string, rows: Change[], now: number, terminalId?: string): SetAsideRow[] {
  const { reference, members, aliases } = pageInOrder(rows as AnyChange[]);
  const refused: SetAsideRow[] = [];
  for (const c of [...reference, ...members, ...aliases]) {
    try {
      // A transaction inside a transaction is a savepoint: a refused row leaves nothing behind.
      db.transaction(() => applyPage(db, storeId, [c], now, terminalId))();
    } catch (err) {
      if (!refusedByDatabase(err)) throw err;
      refused.push({ entity: c.entity, entityId: c.id, reason: `apply: ${(err as { code: string }).code} ${(err as Error).message}`.slice(0, 200), row: c });
    }
  }
  return refused;
}

export async function pullChanges(db: Db, client: HqClient, options: SyncOptions = {}): Promise<{ pulled: number; pages: number; setAside: number; skewMs: number | null }> {
  const now = options.now ?? Date.now;
  const storeId = getMeta(db, 'store_id');
  if (storeId === null) throw new DeskError('NO_HQ_CREDENTIAL', {});
  const terminalId = getMeta(db, 'terminal_id') ?? undefined;
  const limit = options.pullLimit ?? DEFAULT_PULL_LIMIT;
  const maxPages = options.maxPages ?? 100_000;
  const freeBytes = options.freeBytes ?? (() => freeBytesBeside(db.name));
  const reserve = options.reserveBytes ?? DISK_RESERVE_BYTES;
  let pulled = 0;
  let pages = 0;
  let asideTotal = 0;
  let skewMs: number | null = null;
  let next: Promise<Timed<PullPage>> | null = client.pull(getSyncState(db, 'cursor'), limit);
  for (let i = 0; i < maxPages && next; i++) {
    const page: Timed<PullPage> = await next;
    const { value, sentAt, receivedAt } = page;
    // Before each page (at most the answer bound, 64 MB): the pages before it stay, with their cursor.
    const free = freeBytes();
    if (free < reserve) {
      throw new DeskError('DISK_SPACE_LOW', { freeMb: Math.floor(free / 1048576), reserveMb: Math.floor(reserve / 1048576) });
    }
    // Pipelined: HQ prepares page N+1 while page N is written. Safe because each page commits with
    // its own cursor: if anything fails, the terminal holds whole pages up to N and resumes after.
    next = value.more && i + 1 < maxPages ? client.pull(value.cursor, limit) : null;
    // A page that fails to apply abandons the request in flight; its failure then means nothing.
    next?.catch(() => undefined);
    // A page and its cursor commit together, so a page lost to a power cut is only pulled again:
    // it needs no fsync of its own (WAL + synchronous NORMAL stays consistent). The next commit
    // under the connection's own setting (FULL) makes it durable with everything before it. Nothing
    // else can commit on this connection in between: the page is written synchronously.
    // A row this terminal cannot parse is set aside with the page, never a reason to stop the pull.
    const good: Change[] = [];
    const aside: { entity: string | null; entityId: string | null; reason: string; row: unknown }[] = [];
    for (const raw of value.changes) {
      const checked = checkChange(raw);
      if (checked.ok) good.push(checked.change);
      else aside.push({ entity: checked.entity, entityId: checked.entityId, reason: checked.reason, row: raw });
    }
    const synchronous = db.pragma('synchronous', { simple: true }) as number;
    db.pragma('synchronous = NORMAL');
    // Rows that parse but that this database refuses (a lot key another member holds, a month named
    // twice): the page is written again row by row, each row in its own savepoint, and each refused
    // one set aside with the rest. Before, one such row failed its page at every sync, for good.
    let refused: typeof aside = [];
    const write = (rowByRow: boolean) =>
      db.transaction(() => {
        // Rows of one page may name each other in any order (a grant before its benefit): checked at commit.
        db.pragma('defer_foreign_keys = ON');
        refused = rowByRow ? applyRowByRow(db, storeId, good, now(), terminalId) : (applyPage(db, storeId, good as AnyChange[], now(), terminalId), []);
        for (const a of [...aside, ...refused]) setAside(db, a, now());
        setSyncState(db, 'cursor', value.cursor);
        setSyncState(db, 'last_pull_at', String(now()));
      }).immediate();
    try {
      try {
        write(false);
      } catch (err) {
        if (!refusedByDatabase(err)) throw err;
        write(true);
      }
    } finally {
      db.pragma(`synchronous = ${synchronous}`);
    }
    pulled += good.length - refused.length;
    asideTotal += aside.length + refused.length;
    pages++;
    skewMs = clockSkew(value.serverTime, sentAt, receivedAt);
    options.onProgress?.({ phase: 'pull', pushed: 0, toPush: 0, pulled, pages });
  }
  return { pulled, pages, setAside: asideTotal, skewMs };
}

/**
 * Tells HQ which pulled rows this terminal set aside (what and why, not the rows), once each. A
 * failure here never fails the sync: the rows stay unreported and go with the next one.
 */
async function reportSetAside(db: Db, client: HqClient, now: () => number): Promise<number> {
  let reported = 0;
  // Bounded: each round reports up to MAX_SET_ASIDE_REPORTS rows or stops.
  for (let round = 0; round < 50; round++) {
    const rows = listSetAside(db, MAX_SET_ASIDE_REPORTS, true);
    if (rows.length === 0) break;
    try {
      await client.report(rows.map((r) => ({ localId: r.id, entity: r.entity, entityId: r.entityId, reason: r.reason, receivedAt: r.receivedAt })));
    } catch {
      break;
    }
    db.transaction(() => markSetAsideReported(db, rows.map((r) => r.id), now())).immediate();
    reported += rows.length;
  }
  return reported;
}

/** Push, then pull; the last successful sync is recorded only when both finished. */
export function syncOnce(db: Db, options: SyncOptions = {}): Promise<SyncSummary> {
  return withSyncPageCache(db, () => syncWith(db, options));
}

async function syncWith(db: Db, options: SyncOptions): Promise<SyncSummary> {
  const now = options.now ?? Date.now;
  const client = options.client ?? clientFor(db, options);
  // A restored terminal first tells HQ, so nothing it pushes reuses a seq HQ holds.
  const told = await tellRestore(db, client);
  const push = await pushOutbox(db, client, options);
  const pull = await pullChanges(db, client, options);
  const restore = told ? { hqLastSeq: told.hqLastSeq, moved: told.moved, ...keepRestoreHistory(db, told, now()) } : null;
  // Anything recorded while we pulled goes now too, so a finished sync leaves the outbox empty.
  const late = pendingOutboxCount(db) > 0 ? await pushOutbox(db, client, options) : null;
  const reported = await reportSetAside(db, client, now);
  const skewMs = pull.skewMs ?? push.skewMs;
  const at = now();
  db.transaction(() => {
    setMeta(db, 'last_sync_at', String(at));
    if (skewMs !== null) setSyncState(db, 'clock_skew_ms', String(skewMs));
  }).immediate();
  const summary: SyncSummary = {
    pushed: push.pushed + (late?.pushed ?? 0),
    duplicates: push.duplicates + (late?.duplicates ?? 0),
    refused: push.refused + (late?.refused ?? 0),
    conflicts: push.conflicts + (late?.conflicts ?? 0),
    pulled: pull.pulled,
    pages: pull.pages,
    setAside: pull.setAside,
    setAsideReported: reported,
    ...(restore ? { restore } : {}),
    pending: pendingOutboxCount(db),
    skewMs,
    skewWarning: skewMs !== null && Math.abs(skewMs) > SKEW_WARN_MS,
    lastSyncAt: at,
  };
  options.onProgress?.({ phase: 'done', pushed: summary.pushed, toPush: summary.pushed, pulled: summary.pulled, pages: summary.pages });
  return summary;
}

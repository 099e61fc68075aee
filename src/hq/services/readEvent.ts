// An event's payload as HQ reads it, one event at a time: a payload that does not parse is refused
// on its own (the rest of the batch goes on), and version 1 and 2 payloads become one shape.
import { z } from 'zod';
import { memberJoinedSchema, type MemberJoined } from '../../sync/joinEvent';
import { cardReplacedSchema, type CardReplaced } from '../../sync/cardReplaceEvent';
import { operationRecordedSchema, operationRecordedV2Schema, purchaseLineSchema, type OperationRecorded, type OperationRecordedV2 } from '../../sync/events';

/** An operation as HQ applies it. `rulesVersion` null: a v1 event, checked against the current rules. */
export interface HqOp extends Omit<OperationRecordedV2, 'v' | 'rulesVersion'> {
  v: 1 | 2;
  rulesVersion: number | null;
}

export type ReadEvent = { ok: true; op: HqOp } | { ok: false; opId: string | null; memberId: string; problem: string };

const v1Lines = z.array(purchaseLineSchema).max(200);

/** A v1 earn kept its lines in `detail.lines`; without them the whole amount is one uncategorized line. */
function linesOfV1(op: OperationRecorded): HqOp['lines'] {
  if (op.kind !== 'earn') return [];
  const kept = v1Lines.safeParse(op.detail.lines);
  if (kept.success) return kept.data.map((l) => ({ category: l.category, amountFen: l.amountFen }));
  return op.amountFen !== null && op.amountFen > 0 ? [{ category: '', amountFen: op.amountFen }] : [];
}

// PostgreSQL stores no NUL in text or jsonb and no lone surrogate in jsonb: such a string would
// fail the whole batch's transaction, so it makes its own event malformed instead.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first string (key or value, at any depth, bounded) PostgreSQL could not store, or null. */
function unstorable(value: unknown, depth = 0): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? 'a string holds a NUL or a lone surrogate' : null;
  if (typeof value !== 'object' || value === null) return null;
  if (depth > 64) return 'nested too deep';
  for (const [k, v] of Object.entries(value)) {
    const bad = unstorable(k) ?? unstorable(v, depth + 1);
    if (bad) return bad;
  }
  return null;
}

function failed(raw: unknown, problem: string): Extract<ReadEvent, { ok: false }> {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as { opId?: unknown; memberId?: unknown };
  const opId = typeof r.opId === 'string' && z.uuid().safeParse(r.opId).success ? r.opId.toLowerCase() : null;
  const memberId = typeof r.memberId === 'string' && r.memberId.length <= 80 && !UNSTORABLE.test(r.memberId) ? r.memberId : '';
  return { ok: false, opId, memberId, problem };
}

/** `accepts`: the payload versions the endpoint takes (v1 takes only 1; v2 takes both, for outboxes written before an upgrade). */
export function readEvent(raw: unknown, accepts: readonly (1 | 2)[]): ReadEvent {
  const v = (raw as { v?: unknown } | null)?.v;
  const bad = unstorable(raw);
  if (bad) return failed(raw, bad);
  if (v === 2 && accepts.includes(2)) {
    const p = operationRecordedV2Schema.safeParse(raw);
    if (!p.success) return failed(raw, describe(p.error));
    const { v: _v, ...op } = p.data;
    return { ok: true, op: { ...op, v: 2 } };
  }
  if (v === 1 && accepts.includes(1)) {
    const p = operationRecordedSchema.safeParse(raw);
    if (!p.success) return failed(raw, describe(p.error));
    const { v: _v, ...op } = p.data;
    // A v1 event is held to v2's bounds too (ids, at, amounts): the same limits, the same refusal.
    const bounded = operationRecordedV2Schema.safeParse({ ...op, v: 2, dayClosed: false, lines: linesOfV1(p.data), rulesVersion: 0 });
    if (!bounded.success) return failed(raw, describe(bounded.error));
    return { ok: true, op: { ...op, v: 1, dayClosed: false, lines: bounded.data.lines, rulesVersion: null } };
  }
  return failed(raw, `payload version ${String(v)} is not accepted here`);
}

function describe(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}`.slice(0, 200) : 'not an operation';
}

type Unread = Extract<ReadEvent, { ok: false }>;

/**
 * A v2-only payload (a sign-up, a card replacement) read against its schema; `idKey` names its own
 * id, under which a refusal is recorded. v1 endpoints refuse it like any v2 payload.
 */
function readV2Only<T>(raw: unknown, accepts: readonly (1 | 2)[], schema: z.ZodType<T>, idKey: string, what: string): { ok: true; value: T } | Unread {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const asOp = { ...r, opId: r[idKey] };
  if (!accepts.includes(2)) return failed(asOp, `${what} is not accepted here (protocol v2 only)`);
  const bad = unstorable(raw);
  if (bad) return failed(asOp, bad);
  const p = schema.safeParse(raw);
  return p.success ? { ok: true, value: p.data } : failed(asOp, describe(p.error));
}

export type ReadJoin = { ok: true; join: MemberJoined } | Unread;

/** A sign-up's payload (src/sync/joinEvent.ts); v2 endpoints only, like every v2 payload. */
export function readJoinEvent(raw: unknown, accepts: readonly (1 | 2)[]): ReadJoin {
  const p = readV2Only(raw, accepts, memberJoinedSchema, 'joinId', 'a sign-up');
  return p.ok ? { ok: true, join: { ...p.value, joinId: p.value.joinId.toLowerCase() } } : p;
}

export type ReadCardReplace = { ok: true; replace: CardReplaced } | Unread;

/** A card replacement's payload (src/sync/cardReplaceEvent.ts); v2 endpoints only. */
export function readCardReplaceEvent(raw: unknown, accepts: readonly (1 | 2)[]): ReadCardReplace {
  const p = readV2Only(raw, accepts, cardReplacedSchema, 'replaceId', 'a card replacement');
  return p.ok ? { ok: true, replace: { ...p.value, replaceId: p.value.replaceId.toLowerCase() } } : p;
}

// Push: a terminal's outbox batch applied in one transaction, each event exactly once.
// An event id seen before is a duplicate (acknowledged, not applied again); a new id under a seq
// HQ already acknowledged means the terminal's outbox was rebuilt: refused, nothing applied.
// Set-based: a fixed number of statements per batch, not per event (batchLoad → applyOperation
// in memory, in event order → batchWrite); the result is the one applying events one by one gives.
import type { OperationRecorded } from '../../sync/events';
import type { PushEvent, PushResponse } from '../../sync/protocol';
import type { HqDb, Queryable } from '../db';
import { HqError } from '../errors';
import { applyOperation, type NewConflict } from './applyOperation';
import { loadBatchState } from './batchLoad';
import { writeBatch } from './batchWrite';
import type { TerminalPrincipal } from './enroll';
import { globalRules } from './rules';
import { stampChanges } from './stamp';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === '23505';
}

/** Records the batch's event ids; returns the ids (lower case) that were new. */
async function recordEvents(q: Queryable, events: PushEvent[], terminalId: string, now: number): Promise<Set<string>> {
  // The first of several events with one id is the one recorded; the others are its duplicates.
  const firsts = new Map<string, PushEvent>();
  for (const e of events) if (!firsts.has(e.id.toLowerCase())) firsts.set(e.id.toLowerCase(), e);
  const rows = await q.query<{ id: string }>(
    `INSERT INTO events(id, terminal_id, seq, op_id, received_at)
     SELECT e.id, $2, e.seq, e.op_id, $3 FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, seq bigint, op_id text)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [JSON.stringify([...firsts.values()].map((e) => ({ id: e.id, seq: e.seq, op_id: e.payload.opId }))), terminalId, now],
  );
  return new Set(rows.map((r) => r.id.toLowerCase()));
}

async function knownOperations(q: Queryable, opIds: string[]): Promise<Set<string>> {
  if (opIds.length === 0) return new Set();
  const rows = await q.query<{ id: string }>('SELECT id FROM operations WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))', [JSON.stringify(opIds)]);
  return new Set(rows.map((r) => r.id));
}

export async function pushEvents(db: HqDb, who: TerminalPrincipal, events: PushEvent[], now: number): Promise<PushResponse> {
  for (const e of events) {
    if (e.payload.storeId !== who.storeId || e.payload.terminalId !== who.terminalId) {
      throw new HqError('FORBIDDEN', `event ${e.seq} belongs to ${e.payload.storeId}/${e.payload.terminalId}, not to this terminal`);
    }
  }
  try {
    return await db.tx(async (q) => {
      const fresh = await recordEvents(q, events, who.terminalId, now);
      const candidates = events.filter((e) => fresh.has(e.id.toLowerCase()));
      const known = await knownOperations(q, [...new Set(candidates.map((e) => e.payload.opId))]);
      const acks: PushResponse['acks'] = [];
      const toApply: OperationRecorded[] = [];
      for (const e of events) {
        // Once per id, and once per operation however many events carry it.
        const apply = fresh.delete(e.id.toLowerCase()) && !known.has(e.payload.opId);
        if (apply) {
          known.add(e.payload.opId);
          toApply.push(e.payload);
        }
        acks.push({ seq: e.seq, id: e.id, status: apply ? 'applied' : 'duplicate' });
      }
      let conflicts: PushResponse['conflicts'] = [];
      if (toApply.length > 0) {
        const [store] = await q.query<{ tz: string }>('SELECT tz FROM stores WHERE id = $1', [who.storeId]);
        const { rules } = await globalRules(q);
        const state = await loadBatchState(q, toApply, rules, store?.tz ?? 'Asia/Shanghai');
        const decided: NewConflict[] = [];
        for (const op of toApply) decided.push(...applyOperation(state, op));
        conflicts = await writeBatch(q, state, decided, who, now);
      }
      const last = events.at(-1)!.seq;
      await q.query('UPDATE terminals SET last_seq = greatest(last_seq, $1), last_seen_at = $2 WHERE id = $3', [last, now, who.terminalId]);
      await stampChanges(q, ['members', 'stock', 'conflicts']);
      return { ok: true as const, ackedThrough: last, acks, conflicts, serverTime: Date.now() };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new HqError('SEQUENCE_CONFLICT', 'an event reuses a sequence number HQ already holds under another id; this terminal needs support');
    }
    throw err;
  }
}

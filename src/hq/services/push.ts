// Push: a terminal's outbox batch applied in one transaction, each event exactly once.
// An event id seen before is a duplicate (acknowledged, not applied again); a new id under a seq
// HQ already acknowledged means the terminal's outbox was rebuilt: refused, nothing applied.
import type { PushEvent, PushResponse } from '../../sync/protocol';
import type { ConflictWire } from '../../sync/protocolEntities';
import type { HqDb } from '../db';
import { HqError } from '../errors';
import { applyOperation, type NewConflict } from './applyOperation';
import type { TerminalPrincipal } from './enroll';
import { globalRules } from './rules';
import { stampChanges } from './stamp';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === '23505';
}

export async function pushEvents(db: HqDb, who: TerminalPrincipal, events: PushEvent[], now: number): Promise<PushResponse> {
  for (const e of events) {
    if (e.payload.storeId !== who.storeId || e.payload.terminalId !== who.terminalId) {
      throw new HqError('FORBIDDEN', `event ${e.seq} belongs to ${e.payload.storeId}/${e.payload.terminalId}, not to this terminal`);
    }
  }
  try {
    return await db.tx(async (q) => {
      const [store] = await q.query<{ tz: string }>('SELECT tz FROM stores WHERE id = $1', [who.storeId]);
      const { rules } = await globalRules(q);
      const ctx = { q, rules, tz: store?.tz ?? 'Asia/Shanghai', now };
      const acks: PushResponse['acks'] = [];
      const decided: NewConflict[] = [];
      for (const e of events) {
        const inserted = await q.query('INSERT INTO events(id, terminal_id, seq, op_id, received_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id', [
          e.id,
          who.terminalId,
          e.seq,
          e.payload.opId,
          now,
        ]);
        if (inserted.length === 0) {
          acks.push({ seq: e.seq, id: e.id, status: 'duplicate' });
          continue;
        }
        const known = await q.query('SELECT 1 FROM operations WHERE id = $1', [e.payload.opId]);
        if (known.length === 0) decided.push(...(await applyOperation(ctx, e.payload)));
        acks.push({ seq: e.seq, id: e.id, status: known.length === 0 ? 'applied' : 'duplicate' });
      }
      const conflicts: ConflictWire[] = [];
      for (const c of decided) {
        const [row] = await q.query<{ id: number }>(
          `INSERT INTO conflicts(store_id, terminal_id, op_id, member_id, kind, decision, detail, at, decided_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (op_id, kind) DO NOTHING RETURNING id`,
          [who.storeId, who.terminalId, c.opId, c.memberId, c.kind, c.decision, JSON.stringify(c.detail), c.at, now],
        );
        if (row) conflicts.push({ id: row.id, terminalId: who.terminalId, ...c, decidedAt: now });
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

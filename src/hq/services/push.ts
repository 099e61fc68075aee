// Push: a terminal's outbox batch applied in one transaction, each event exactly once.
// An event id seen before is a duplicate (acknowledged, not applied again); a new id under a seq
// HQ already acknowledged means the terminal's outbox was rebuilt: refused, nothing applied.
// Set-based: a fixed number of statements per batch, not per event (batchLoad → applyOperation
// in memory, in event order → batchWrite); the result is the one applying events one by one gives.
import type { LoyaltyRules } from '../../loyalty/types';
import type { AuditClaim } from '../../sync/anchor';
import { ALLOWED_SKEW_MS, type PushEnvelope, type PushResponse } from '../../sync/protocol';
import type { HqDb, Queryable } from '../db';
import { HqError } from '../errors';
import { applyOperation, type NewConflict } from './applyOperation';
import { anchorAudit } from './auditAnchor';
import { loadBatchState } from './batchLoad';
import { memberWrites, writeBatch } from './batchWrite';
import type { TerminalPrincipal } from './enroll';
import { readCardReplaceEvent, readEvent, readJoinEvent, type HqOp, type ReadCardReplace, type ReadEvent, type ReadJoin } from './readEvent';
import { applyCardReplacements } from './applyCardReplace';
import { CARD_REPLACED_EVENT, type CardReplaced } from '../../sync/cardReplaceEvent';
import { applyJoins } from './applyJoin';
import { resolveAliases } from './mergeMembers';
import { mergedBenefitTwice, recordAliasOps } from './mergedBenefitUse';
import { rewardReferrals } from './referralReward';
import { MEMBER_JOINED_EVENT, type MemberJoined } from '../../sync/joinEvent';
import { rulesOfRow } from './rules';
import { stampChanges } from './stamp';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === '23505';
}

interface Incoming {
  e: PushEnvelope;
  /** An operation, a sign-up (docs/join.md) or a card replacement (docs/lostcard.md). */
  read: ReadEvent | ReadJoin | ReadCardReplace;
  /** The operation id the event is recorded under (a malformed one's own id when it names none). */
  opId: string;
}

/**
 * Records the batch's event ids; returns the ids (lower case) that were new, and which of `opIds`
 * HQ already holds as operations. One statement: the insert does not touch operations, so both
 * parts read the same state they would read one after the other.
 */
async function recordEvents(q: Queryable, events: Incoming[], opIds: string[], terminalId: string, now: number): Promise<{ fresh: Set<string>; known: Set<string> }> {
  // The first of several events with one id is the one recorded; the others are its duplicates.
  const firsts = new Map<string, Incoming>();
  for (const x of events) if (!firsts.has(x.e.id.toLowerCase())) firsts.set(x.e.id.toLowerCase(), x);
  const rows = await q.query<{ fresh: boolean; id: string }>(
    `WITH ins AS (
       INSERT INTO events(id, terminal_id, seq, op_id, received_at)
       SELECT e.id, $2, e.seq, e.op_id, $3 FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, seq bigint, op_id text)
       ON CONFLICT (id) DO NOTHING RETURNING id)
     SELECT true AS fresh, id::text AS id FROM ins
     UNION ALL SELECT false, id FROM operations WHERE id = ANY(ARRAY(SELECT jsonb_array_elements_text($4::jsonb)))`,
    [JSON.stringify([...firsts.values()].map((x) => ({ id: x.e.id, seq: x.e.seq, op_id: x.opId }))), terminalId, now, JSON.stringify(opIds)],
  );
  return { fresh: new Set(rows.filter((r) => r.fresh).map((r) => r.id.toLowerCase())), known: new Set(rows.filter((r) => !r.fresh).map((r) => r.id)) };
}

/**
 * Moves the terminal's acknowledged seq and its low-water mark (the latest `at` of this batch that
 * is not beyond receipt + skew), and reads what the batch's checks need of the store, the terminal
 * (the mark before this batch) and the rules: one round trip. The terminal's row is locked from here
 * to the commit, so two pushes of one terminal queue.
 */
async function batchContext(
  q: Queryable,
  who: TerminalPrincipal,
  lastSeq: number,
  now: number,
  latestAt: number | null,
): Promise<{ tz: string | null; enrolledAt: number | null; lowWaterAt: number | null; rules: LoyaltyRules }> {
  const [row] = await q.query<{ tz: string | null; enrolled_at: number | null; low_water: number | null; rules: unknown }>(
    `WITH before AS (SELECT max_op_at FROM terminals WHERE id = $3),
          t AS (UPDATE terminals SET last_seq = greatest(last_seq, $1), last_seen_at = $2, max_op_at = greatest(max_op_at, $5::bigint) WHERE id = $3 RETURNING enrolled_at)
     SELECT (SELECT tz FROM stores WHERE id = $4) AS tz, (SELECT enrolled_at FROM t) AS enrolled_at, (SELECT max_op_at FROM before) AS low_water,
            (SELECT rules FROM rules WHERE id = 'global') AS rules`,
    [lastSeq, now, who.terminalId, who.storeId, latestAt],
  );
  const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
  return { tz: row?.tz ?? null, enrolledAt: num(row?.enrolled_at), lowWaterAt: num(row?.low_water), rules: rulesOfRow(row?.rules ?? null) };
}

/** The latest `at` among readable events that HQ could accept as to time (none beyond receipt + skew). */
function latestPlausibleAt(incoming: Incoming[], now: number): number | null {
  let latest: number | null = null;
  for (const { read } of incoming) {
    if (!read.ok) continue;
    const at = 'op' in read ? read.op.at : 'join' in read ? read.join.at : read.replace.at;
    if (at <= now + ALLOWED_SKEW_MS && (latest === null || at > latest)) latest = at;
  }
  return latest;
}

/**
 * Applies a batch. `accepts`: the payload versions of the endpoint (v1: [1]; v2: [1, 2]). A payload
 * that does not parse, or an operation HQ will not apply, is acknowledged `refused` with a conflict
 * saying why; the rest of the batch is applied.
 */
export async function pushEvents(
  db: HqDb,
  who: TerminalPrincipal,
  events: PushEnvelope[],
  now: number,
  accepts: readonly (1 | 2)[],
  audit?: AuditClaim,
): Promise<PushResponse> {
  const incoming: Incoming[] = events.map((e) => {
    const read = e.type === MEMBER_JOINED_EVENT ? readJoinEvent(e.payload, accepts) : e.type === CARD_REPLACED_EVENT ? readCardReplaceEvent(e.payload, accepts) : readEvent(e.payload, accepts);
    return { e, read, opId: read.ok ? ('join' in read ? read.join.joinId : 'replace' in read ? read.replace.replaceId : read.op.opId) : (read.opId ?? e.id.toLowerCase()) };
  });
  for (const { e, read } of incoming) {
    // Another terminal's identity is not a bad event but a terminal speaking for another: the whole batch is refused.
    const claimed = read.ok ? ('join' in read ? read.join : 'replace' in read ? read.replace : read.op) : null;
    if (claimed && (claimed.storeId !== who.storeId || claimed.terminalId !== who.terminalId)) {
      throw new HqError('FORBIDDEN', `event ${e.seq} belongs to ${claimed.storeId}/${claimed.terminalId}, not to this terminal`);
    }
  }
  try {
    return await db.tx(async (q) => {
      // Every readable event's operation is looked up; only those of new ids are asked about below.
      const { fresh, known } = await recordEvents(q, incoming, [...new Set(incoming.filter((x) => x.read.ok && 'op' in x.read).map((x) => x.opId))], who.terminalId, now);
      const last = events.at(-1)!.seq;
      const context = await batchContext(q, who, last, now, latestPlausibleAt(incoming, now));
      const statuses: (PushResponse['acks'][number]['status'] | HqOp | MemberJoined | CardReplaced)[] = [];
      const replacements: CardReplaced[] = [];
      let toApply: HqOp[] = [];
      const joins: MemberJoined[] = [];
      const decided: NewConflict[] = [];
      for (const { e, read, opId } of incoming) {
        // Once per id, and once per operation however many events carry it.
        if (!fresh.delete(e.id.toLowerCase())) statuses.push('duplicate');
        else if (!read.ok) {
          decided.push({ opId, memberId: read.memberId, kind: 'malformed', decision: 'refused', detail: { seq: e.seq, problem: read.problem }, at: now });
          statuses.push('refused');
        } else if ('join' in read) {
          joins.push(read.join);
          statuses.push(read.join);
        } else if ('replace' in read) {
          replacements.push(read.replace);
          statuses.push(read.replace);
        } else if (known.has(opId)) statuses.push('duplicate');
        else {
          known.add(opId);
          toApply.push(read.op);
          statuses.push(read.op);
        }
      }
      // Sign-ups first: the batch's operations may name the members they create (docs/join.md).
      const eventContext = { storeId: who.storeId, terminalId: who.terminalId, enrolledAt: Number(context.enrolledAt ?? now), now };
      const joined = await applyJoins(q, joins, eventContext, decided);
      // Then lost-card replacements (docs/lostcard.md): a sign-up of the batch may be the member whose card is replaced.
      const replaced = await applyCardReplacements(q, replacements, eventContext, decided);
      // An operation naming a member merged into another applies to the member it became.
      const aliases = await resolveAliases(q, toApply.map((o) => o.memberId));
      // Which sign-up each such operation came from (op id → the alias it named): merge_benefit_twice.
      const named = new Map(toApply.filter((o) => aliases.has(o.memberId)).map((o) => [o.opId, o.memberId]));
      if (aliases.size > 0) toApply = toApply.map((o) => (aliases.has(o.memberId) ? { ...o, memberId: aliases.get(o.memberId)! } : o));
      const anchored = audit ? await anchorAudit(q, who.terminalId, audit, now) : null;
      if (anchored) decided.push(...anchored.conflicts);
      let conflicts: PushResponse['conflicts'] = [];
      let members: ReturnType<typeof memberWrites> = [];
      const applied = new Map<string, 'applied' | 'refused'>();
      if (toApply.length > 0 || decided.length > 0) {
        const state = await loadBatchState(q, toApply, {
          rules: context.rules, tz: context.tz ?? 'Asia/Shanghai', storeId: who.storeId, enrolledAt: context.enrolledAt ?? now, lowWaterAt: context.lowWaterAt, now,
        });
        for (const op of toApply) decided.push(...applyOperation(state, op));
        decided.push(...(await mergedBenefitTwice(q, state, decided, named)));
        for (const row of state.newOps) applied.set(row.id, row.status);
        conflicts = await writeBatch(q, state, decided, who, now);
        await recordAliasOps(q, named);
        // 老带新: the referee's first purchase rewards both sides (docs/join.md "Referral reward").
        await rewardReferrals(q, state, now);
        members = memberWrites(state);
      }
      const acks: PushResponse['acks'] = incoming.map(({ e }, i) => {
        const s = statuses[i]!;
        if (typeof s === 'string') return { seq: e.seq, id: e.id, status: s };
        const status = 'joinId' in s ? joined.get(s.joinId) : 'replaceId' in s ? replaced.get(s.replaceId) : applied.get(s.opId);
        return { seq: e.seq, id: e.id, status: status ?? 'applied' };
      });
      const feeds = ['members', 'stock', 'conflicts'] as const;
      // The batch's changed members are written by the stamp itself (batchWrite.ts).
      await stampChanges(q, [...feeds, ...(joins.length > 0 ? (['card_blocks', 'member_aliases'] as const) : []), ...(replacements.length > 0 ? (['card_replacements'] as const) : [])], members);
      return { ok: true as const, ackedThrough: last, acks, conflicts, ...(anchored ? { anchor: anchored.anchor } : {}), serverTime: Date.now() };
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new HqError('SEQUENCE_CONFLICT', 'an event reuses a sequence number HQ already holds under another id; this terminal needs support');
    }
    throw err;
  }
}

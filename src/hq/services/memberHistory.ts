// One member's recent operations across every terminal, for the desk's history (docs/history.md).
// A terminal already holds every member's profile (the change feed); what this adds is where and
// when they shopped, so it answers one member per call, a bounded page, and only so many calls per
// terminal per hour and day (counted in PostgreSQL, so every HQ process counts alike).
import { DAY_MS } from '../../loyalty/time';
import {
  HISTORY_ASKS_PER_DAY,
  HISTORY_ASKS_PER_HOUR,
  HISTORY_DAYS,
  MAX_HISTORY_OPERATIONS,
  type HistoryOperation,
  type HistoryResponse,
} from '../../sync/historyProtocol';
import { ALLOWED_SKEW_MS } from '../../sync/protocol';
import type { HqDb, Queryable } from '../db';
import { HqError } from '../errors';
import type { TerminalPrincipal } from './enroll';

const HOUR_MS = 3_600_000;

interface Row {
  id: string;
  kind: HistoryOperation['kind'];
  at: number;
  business_date: string;
  store_id: string;
  terminal_id: string;
  staff_id: string;
  points: number;
  amount_fen: number | null;
  value_fen: number;
  benefit_id: string | null;
  item_id: string | null;
  target_op_id: string | null;
  status: HistoryOperation['status'];
  voided: boolean;
  returned_fen: number;
}

/**
 * Counts this ask, or says it is past the hour's or the day's bound (then only `refused` grows, so the
 * admin sees a terminal that keeps asking). The terminal's asks queue on an advisory lock: without it,
 * two asks at an hour's turn (or from HQ processes whose clocks differ) update different hour rows and
 * neither sees the other in the day's sum.
 */
async function countAsk(q: Queryable, terminalId: string, now: number): Promise<boolean> {
  const hour = Math.floor(now / HOUR_MS);
  await q.query("SELECT pg_advisory_xact_lock(hashtext('history_asks:' || $1))", [terminalId]);
  await q.query('DELETE FROM history_asks WHERE terminal_id = $1 AND hour <= $2', [terminalId, hour - 24]);
  const [seen] = await q.query<{ day: number; this_hour: number }>(
    'SELECT coalesce(sum(n), 0)::int AS day, coalesce(sum(n) FILTER (WHERE hour = $2), 0)::int AS this_hour FROM history_asks WHERE terminal_id = $1 AND hour > $2 - 24',
    [terminalId, hour],
  );
  const allowed = (seen?.this_hour ?? 0) < HISTORY_ASKS_PER_HOUR && (seen?.day ?? 0) < HISTORY_ASKS_PER_DAY;
  await q.query(
    `INSERT INTO history_asks(terminal_id, hour, n, refused) VALUES ($1, $2, $3, $4)
     ON CONFLICT (terminal_id, hour) DO UPDATE SET n = history_asks.n + $3, refused = history_asks.refused + $4`,
    [terminalId, hour, allowed ? 1 : 0, allowed ? 0 : 1],
  );
  return allowed;
}

/** The member an id names now: itself, or the member its sign-up was merged into (docs/join.md). */
async function resolveMember(q: Queryable, memberId: string): Promise<string> {
  const [alias] = await q.query<{ member_id: string }>('SELECT member_id FROM member_aliases WHERE alias_id = $1 AND NOT tombstone', [memberId]);
  return alias?.member_id ?? memberId;
}

export async function memberHistory(db: HqDb, terminal: TerminalPrincipal, askedId: string, now: number): Promise<HistoryResponse> {
  const answer = await db.tx(async (q): Promise<HistoryResponse | null> => {
    if (!(await countAsk(q, terminal.terminalId, now))) return null;
    const memberId = await resolveMember(q, askedId);
    const since = now - HISTORY_DAYS * DAY_MS;
    // operations_member_at (db/hq/140): one member's range, newest first. A deleted member answers nothing.
    const rows = await q.query<Row>(
      `SELECT o.id, o.kind, o.at, o.payload->>'businessDate' AS business_date, o.store_id, o.terminal_id,
              o.payload->>'staffId' AS staff_id, o.points, (o.payload->>'amountFen')::bigint AS amount_fen, o.value_fen,
              o.benefit_id, o.payload->>'itemId' AS item_id, o.target_op_id, o.status, o.voided_by IS NOT NULL AS voided,
              CASE WHEN o.kind = 'earn' THEN coalesce((SELECT sum((r.payload->>'amountFen')::bigint) FROM operations r
                                                        WHERE r.target_op_id = o.id AND r.kind = 'return' AND r.status = 'applied'), 0)
                   ELSE 0 END AS returned_fen
         FROM operations o
        WHERE o.member_id = $1 AND o.at >= $2 AND o.at <= $4
          AND NOT EXISTS (SELECT 1 FROM members m WHERE m.id = o.member_id AND m.tombstone)
        ORDER BY o.at DESC, o.id DESC
        LIMIT $3`,
      // Never after HQ's clock (with the allowed skew): HQ refused such an operation as dated after it
      // received it, and kept as sent (2099) it would sort first for ever and push the real ones out.
      [memberId, since, MAX_HISTORY_OPERATIONS, now + ALLOWED_SKEW_MS],
    );
    return {
      ok: true,
      memberId,
      since,
      operations: rows.map((r) => ({
        opId: r.id,
        kind: r.kind,
        at: r.at,
        businessDate: r.business_date,
        storeId: r.store_id,
        terminalId: r.terminal_id,
        // Another store's staff are not the asking store's business.
        staffId: r.store_id === terminal.storeId ? r.staff_id : null,
        points: r.points,
        amountFen: r.amount_fen,
        valueFen: r.value_fen,
        benefitId: r.benefit_id,
        itemId: r.item_id,
        targetOpId: r.target_op_id,
        status: r.status,
        voided: r.voided,
        returnedFen: r.returned_fen,
      })),
      serverTime: now,
    };
  });
  // Refused after the commit, so the refusal stays counted.
  if (answer === null) {
    throw new HqError('RATE_LIMITED', `a terminal may ask for ${HISTORY_ASKS_PER_HOUR} member histories an hour and ${HISTORY_ASKS_PER_DAY} a day; try again later`);
  }
  return answer;
}

/** Per terminal, the last 24 hours' history asks answered and refused (newest activity first): who reads histories, and who keeps asking past the bound. */
export async function listHistoryAsks(db: HqDb, storeId: string | undefined, now: number) {
  const since = Math.floor(now / HOUR_MS) - 24;
  const rows = await db.query<{ terminalId: string; storeId: string; asked: number; refused: number; lastHour: string | number }>(
    `SELECT a.terminal_id AS "terminalId", t.store_id AS "storeId", sum(a.n)::int AS asked, sum(a.refused)::int AS refused, max(a.hour) AS "lastHour"
       FROM history_asks a JOIN terminals t ON t.id = a.terminal_id
      WHERE a.hour > $1 AND ($2::text IS NULL OR t.store_id = $2)
      GROUP BY a.terminal_id, t.store_id ORDER BY max(a.hour) DESC, a.terminal_id LIMIT 1000`,
    [since, storeId ?? null],
  );
  return {
    limits: { perHour: HISTORY_ASKS_PER_HOUR, perDay: HISTORY_ASKS_PER_DAY },
    terminals: rows.map((r) => ({ terminalId: r.terminalId, storeId: r.storeId, asked: r.asked, refused: r.refused, lastAskAt: Number(r.lastHour) * HOUR_MS })),
  };
}

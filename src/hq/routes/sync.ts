// Terminal-facing routes: enrollment, time, push, pull, restore, reports, a member's history.
import { z } from 'zod';
import {
  enrollRequestSchema,
  enrollResponseSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushRequestV1Schema,
  pushResponseSchema,
  pushResponseV1Schema,
  reportRequestSchema,
  reportResponseSchema,
  restoreRequestSchema,
  restoreResponseSchema,
  timeResponseSchema,
  PROTOCOL_VERSION,
  PROTOCOL_VERSIONS,
  type PushResponse,
  type PushResponseV1,
} from '../../sync/protocol';
import { CONFLICT_DECISIONS_V1, CONFLICT_KINDS_V1 } from '../../sync/protocolEntities';
import { HqError } from '../errors';
import { enrollTerminal } from '../services/enroll';
import { pullChanges } from '../services/pull';
import { pushEvents } from '../services/push';
import { takeRestore } from '../services/restore';
import { recordSetAside } from '../services/setAsideReports';
import { parseBody } from '../validation';
import { historyQuerySchema, historyResponseSchema } from '../../sync/historyProtocol';
import { memberHistory } from '../services/memberHistory';
import type { RouteDef } from './route';

const V1_KINDS: readonly string[] = CONFLICT_KINDS_V1;
const V1_DECISIONS: readonly string[] = CONFLICT_DECISIONS_V1;

/**
 * A v2 answer as a v1 terminal can read it: `refused` acks say only that HQ has the event (it
 * leaves the outbox), and conflicts of kinds v1 does not know are left out; the member row the
 * terminal pulls next carries HQ's result either way (docs/authority.md "Protocol v1").
 */
function asV1({ anchor: _anchor, ...r }: PushResponse): PushResponseV1 {
  return {
    ...r,
    acks: r.acks.map((a) => ({ ...a, status: a.status === 'refused' ? 'applied' : a.status })),
    conflicts: r.conflicts.filter((c): c is PushResponseV1['conflicts'][number] => V1_KINDS.includes(c.kind) && V1_DECISIONS.includes(c.decision)),
  };
}

function principal(t: { terminalId: string; storeId: string } | null) {
  if (!t) throw new HqError('UNAUTHORIZED', 'a terminal credential is required');
  return t;
}

export const syncRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: '/v1/time',
    summary: "HQ's clock and protocol version (terminals read their clock skew from it)",
    auth: 'none',
    response: timeResponseSchema,
    handler: async () => ({ ok: true, serverTime: Date.now(), protocol: PROTOCOL_VERSION, protocols: [...PROTOCOL_VERSIONS] }),
  },
  {
    method: 'POST',
    path: '/v1/enroll',
    summary: 'Trade a one-time enrollment code for the terminal identity and credential',
    auth: 'none',
    body: enrollRequestSchema,
    response: enrollResponseSchema,
    handler: async ({ body }, { db, clock }) => {
      const req = parseBody(enrollRequestSchema, body);
      const enrolled = await enrollTerminal(db, req.code, req.label, clock());
      return { ok: true, ...enrolled, serverTime: Date.now() };
    },
  },
  {
    method: 'POST',
    path: '/v1/sync/push',
    summary: 'Protocol v1 (terminals not yet upgraded): push v1 events; refused events are acknowledged as applied and v2 conflict kinds left out',
    auth: 'terminal',
    body: pushRequestV1Schema,
    response: pushResponseV1Schema,
    handler: async ({ body, terminal }, { db, clock }) => asV1(await pushEvents(db, principal(terminal), parseBody(pushRequestSchema, body).events, clock(), [1])),
  },
  {
    method: 'POST',
    path: '/v2/sync/push',
    summary: 'Push outbox events in seq order; each idempotency id is applied once; HQ re-derives each operation, and a bad one is refused on its own',
    auth: 'terminal',
    body: pushRequestSchema,
    response: pushResponseSchema,
    handler: async ({ body, terminal }, { db, clock }) => {
      const req = parseBody(pushRequestSchema, body);
      return pushEvents(db, principal(terminal), req.events, clock(), [1, 2], req.audit);
    },
  },
  {
    method: 'POST',
    path: '/v2/sync/restored',
    summary: "A terminal restored from a backup says so before it pushes: HQ re-anchors its audit chain at the backup's head and answers with the highest seq it holds and, paged, the operations the terminal pushed after the backup",
    auth: 'terminal',
    body: restoreRequestSchema,
    response: restoreResponseSchema,
    handler: async ({ body, terminal }, { db, clock }) => takeRestore(db, principal(terminal), parseBody(restoreRequestSchema, body), clock()),
  },
  {
    method: 'POST',
    path: '/v2/sync/report',
    summary: 'Report pulled rows the terminal could not parse and set aside (what and why, not the rows); each kept once',
    auth: 'terminal',
    body: reportRequestSchema,
    response: reportResponseSchema,
    handler: async ({ body, terminal }, { db, clock }) => ({
      ok: true,
      recorded: await recordSetAside(db, principal(terminal), parseBody(reportRequestSchema, body).setAside, clock()),
      serverTime: Date.now(),
    }),
  },
  {
    method: 'GET',
    path: '/v2/member-history',
    summary: "One member's recent operations at every terminal (newest first, 90 days, at most 50; an alias answers for the member it was merged into); one member per call, so many calls per terminal per hour and day (RATE_LIMITED)",
    auth: 'terminal',
    query: historyQuerySchema,
    response: historyResponseSchema,
    handler: async ({ query, terminal }, { db, clock }) => memberHistory(db, principal(terminal), parseBody(historyQuerySchema, query).memberId, clock()),
  },
  ...([1, 2] as const).map(
    (v): RouteDef => ({
      method: 'GET',
      path: `/v${v}/sync/pull`,
      summary: `One page of changes after the cursor (no cursor: the snapshot for a new terminal)${v === 1 ? '; conflicts of v1 kinds only' : ''}`,
      auth: 'terminal',
      query: pullQuerySchema,
      response: pullResponseSchema,
      handler: async ({ query, terminal }, { db }) => {
        const q = parseBody(pullQuerySchema, query);
        return pullChanges(db, principal(terminal), q.cursor, q.limit, v);
      },
    }),
  ),
];

export const okSchema = z.object({ ok: z.literal(true) }).loose();

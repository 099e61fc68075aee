// Terminal-facing routes: enrollment, time, push, pull.
import { z } from 'zod';
import {
  enrollRequestSchema,
  enrollResponseSchema,
  pullQuerySchema,
  pullResponseSchema,
  pushRequestSchema,
  pushResponseSchema,
  timeResponseSchema,
  PROTOCOL_VERSION,
} from '../../sync/protocol';
import { HqError } from '../errors';
import { enrollTerminal } from '../services/enroll';
import { pullChanges } from '../services/pull';
import { pushEvents } from '../services/push';
import { parseBody } from '../validation';
import type { RouteDef } from './route';

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
    handler: async () => ({ ok: true, serverTime: Date.now(), protocol: PROTOCOL_VERSION }),
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
    summary: "Push outbox events in seq order; each idempotency id is applied once; conflicts HQ decided come back",
    auth: 'terminal',
    body: pushRequestSchema,
    response: pushResponseSchema,
    handler: async ({ body, terminal }, { db, clock }) => pushEvents(db, principal(terminal), parseBody(pushRequestSchema, body).events, clock()),
  },
  {
    method: 'GET',
    path: '/v1/sync/pull',
    summary: 'One page of changes after the cursor (no cursor: the snapshot for a new terminal)',
    auth: 'terminal',
    query: pullQuerySchema,
    response: pullResponseSchema,
    handler: async ({ query, terminal }, { db }) => {
      const q = parseBody(pullQuerySchema, query);
      return pullChanges(db, principal(terminal), q.cursor, q.limit);
    },
  },
];

export const okSchema = z.object({ ok: z.literal(true) }).loose();

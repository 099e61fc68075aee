// One route as data: method, path, who may call it, the zod schemas of what goes in and out, and
// the handler. The server registers these, and the OpenAPI document is generated from the same list.
import type { z } from 'zod';
import type { HqDb } from '../db';
import type { TerminalPrincipal } from '../services/enroll';

export type Auth = 'none' | 'terminal' | 'admin';

export interface HandlerInput {
  body: unknown;
  query: unknown;
  params: Record<string, string>;
  terminal: TerminalPrincipal | null;
}

export interface HqContext {
  db: HqDb;
  clock: () => number;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify style: /v1/admin/members/:id */
  path: string;
  summary: string;
  auth: Auth;
  body?: z.ZodType;
  query?: z.ZodType;
  response: z.ZodType;
  handler: (input: HandlerInput, ctx: HqContext) => Promise<unknown>;
}

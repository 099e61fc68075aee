// The reference HQ: fastify over one HqDb. Everything it knows lives in PostgreSQL, so several
// processes can serve one database behind a load balancer (README "Several HQ processes").
import { timingSafeEqual, createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { MAX_BODY_BYTES, PROTOCOL_VERSIONS, unknownEventVersion, type ErrorBodyWire } from '../sync/protocol';

/** The event payload versions each push endpoint applies; a batch holding another is refused whole. */
const PUSH_EVENT_VERSIONS: Record<string, readonly number[]> = { '/v1/sync/push': [1], '/v2/sync/push': [1, 2] };
import { openHqDb, type HqDb, type HqDbOptions } from './db';
import { HqError } from './errors';
import { JsonText } from './jsonText';
import { migrateHq } from './migrate';
import { openApiDocument } from './openapi';
import { adminRoutes } from './routes/admin';
import type { RouteDef } from './routes/route';
import { syncRoutes } from './routes/sync';
import { authenticateTerminal } from './services/enroll';

export const ROUTES: RouteDef[] = [...syncRoutes, ...adminRoutes];

export interface HqOptions extends HqDbOptions {
  adminToken?: string;
  clock?: () => number;
  /** Unexpected failures (500s) are reported here; stderr by default. */
  onError?: (err: unknown) => void;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function checkAdmin(configured: string | undefined, header: string | undefined): void {
  if (!configured) throw new HqError('FORBIDDEN', 'admin endpoints are disabled: start HQ with HQ_ADMIN_TOKEN or --admin-token-file F');
  const m = /^Bearer (.+)$/.exec(header ?? '');
  // Compare digests so neither the length nor the content leaks through timing.
  if (!m || !timingSafeEqual(digest(m[1]!), digest(configured))) throw new HqError('UNAUTHORIZED', 'a valid admin token is required');
}

function errorBody(err: HqError): ErrorBodyWire {
  return { ok: false, error: { code: err.code, message: err.message, ...(err.detail ? { detail: err.detail } : {}) } };
}

/** Fastify's own refusals (bad JSON, too large, wrong content type) become protocol errors. */
function toHqError(err: unknown): HqError | null {
  if (err instanceof HqError) return err;
  const e = err as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new HqError('PAYLOAD_TOO_LARGE', `request bodies are at most ${MAX_BODY_BYTES} bytes`);
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new HqError('BAD_REQUEST', `the request is not valid: ${e.message ?? 'unreadable'}`);
  return null;
}

export async function buildHqApp(db: HqDb, options: HqOptions = {}): Promise<FastifyInstance> {
  // A "__proto__" key inside one event's detail is dropped, not a 400 for the whole batch: the rest
  // of a push must still apply (docs/authority.md), and a dropped key can poison nothing.
  const app = Fastify({ logger: false, bodyLimit: MAX_BODY_BYTES, connectionTimeout: 60_000, requestTimeout: 120_000, onProtoPoisoning: 'remove', onConstructorPoisoning: 'remove' });
  const clock = options.clock ?? Date.now;
  const onError = options.onError ?? ((err: unknown) => process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`));

  app.setErrorHandler((err, _req, reply) => {
    const known = toHqError(err);
    if (known) return reply.status(known.status).send(errorBody(known));
    onError(err);
    return reply.status(500).send(errorBody(new HqError('INTERNAL', 'HQ failed to handle this request; nothing was applied. Try again.')));
  });
  app.setNotFoundHandler((req, reply) => {
    const version = /^\/(v\d+)\//.exec(req.url)?.[1];
    const err =
      version && !PROTOCOL_VERSIONS.some((v) => `v${v}` === version)
        ? new HqError('UNSUPPORTED_VERSION', `this HQ speaks protocols ${PROTOCOL_VERSIONS.map((v) => `v${v}`).join(' and ')}, not ${version}`)
        : new HqError('NOT_FOUND', `no endpoint ${req.method} ${req.url.split('?')[0]}`);
    return reply.status(err.status).send(errorBody(err));
  });

  for (const route of ROUTES) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        let terminal = null;
        if (route.auth === 'admin') checkAdmin(options.adminToken, req.headers.authorization);
        if (route.auth === 'terminal') terminal = await authenticateTerminal(db, req.headers.authorization);
        const known = PUSH_EVENT_VERSIONS[route.path];
        const v = known ? unknownEventVersion(req.body, known) : null;
        if (v !== null) throw new HqError('UNSUPPORTED_VERSION', `this endpoint applies event versions ${known!.join(', ')}, not ${v}; nothing in the batch was applied`);
        const value = await route.handler(
          { body: req.body, query: req.query, params: (req.params ?? {}) as Record<string, string>, terminal },
          { db, clock },
        );
        if (value instanceof JsonText) return reply.type('application/json; charset=utf-8').send(value.text);
        return reply.send(value);
      },
    });
  }
  const doc = openApiDocument(ROUTES);
  app.get('/v1/openapi.json', async () => doc);
  return app;
}

export interface RunningHq {
  url: string;
  app: FastifyInstance;
  db: HqDb;
  close(): Promise<void>;
}

export async function startHq(options: HqOptions & { port?: number; host?: string }): Promise<RunningHq> {
  const db = await openHqDb(options);
  try {
    await migrateHq(db);
    const app = await buildHqApp(db, options);
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port ?? 0, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    return {
      url: `http://${host}:${port}`,
      app,
      db,
      close: async () => {
        await app.close();
        await db.close();
      },
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

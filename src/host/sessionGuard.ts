// The one gate in front of every route of the desk and kiosk hosts: security headers, the
// Host/Origin/fetch-site checks, and a session for everything but the launch route itself.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { refuseRequest, SECURITY_HEADERS } from './security';
import type { StyledPage } from './styledPage';

export interface SessionGuard {
  /** The origin this host serves (http://127.0.0.1:PORT). */
  origin: () => string;
  hasSession: (req: FastifyRequest) => boolean;
  /** A JSON refusal (SESSION_REQUIRED) in the host's language. */
  refuse: (reply: FastifyReply, status: number) => unknown;
  /** The page a browser gets without a session (never an error page). */
  noSessionPage: () => StyledPage;
}

export function installSessionGuard(app: FastifyInstance, guard: SessionGuard): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS);
    const why = refuseRequest(
      {
        method: req.method,
        host: req.headers.host,
        origin: req.headers.origin,
        secFetchSite: typeof req.headers['sec-fetch-site'] === 'string' ? req.headers['sec-fetch-site'] : undefined,
      },
      guard.origin(),
    );
    if (why !== null) return guard.refuse(reply, 403);
    // Only the launch route itself goes without a session (not /launch/../anything).
    if (req.url.split('?', 1)[0] === '/launch') return;
    if (!guard.hasSession(req)) {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return sendPage(reply, 401, guard.noSessionPage());
      return guard.refuse(reply, 401);
    }
  });
}

/** A page the host makes itself, with the CSP that lets its own style block (and nothing else inline) apply. */
export function sendPage(reply: FastifyReply, status: number, page: StyledPage): FastifyReply {
  return reply.code(status).header('content-security-policy', page.csp).type('text/html; charset=utf-8').send(page.html);
}

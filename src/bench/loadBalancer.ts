// A tiny round-robin HTTP load balancer on loopback, for the load run (docs/sync.md "Scale out"):
// each request goes to the next backend, no sticky sessions. Like nginx's `proxy_next_upstream
// error`, a backend that refuses the connection is skipped (the request never reached it, so even a
// POST may go elsewhere) and rested for a moment; anything that fails after the request was sent is
// answered 502 and left to the client to retry — that is what the push idempotency ids are for.
import { createServer, request, Agent, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from '../sync/protocol';

export interface Backend {
  host: string;
  port: number;
}

export interface BackendStats {
  port: number;
  /** Requests this backend answered (any status). */
  answered: number;
  /** Requests sent to it that failed before an answer (502 to the client). */
  failed: number;
  /** Connections it refused (the request went to the next backend). */
  refused: number;
}

export interface LoadBalancer {
  url: string;
  stats(): BackendStats[];
  close(): Promise<void>;
}

/** A refusing backend is not tried again for this long (passive health check). */
const REST_MS = 1_000;
const UPSTREAM_TIMEOUT_MS = 120_000;

function refusedBeforeSending(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ECONNREFUSED' || code === 'EHOSTUNREACH';
}

export async function startLoadBalancer(backends: Backend[], options: { maxSocketsPerBackend?: number } = {}): Promise<LoadBalancer> {
  if (backends.length === 0) throw new Error('a load balancer needs at least one backend');
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSocketsPerBackend ?? 64 });
  const stats: BackendStats[] = backends.map((b) => ({ port: b.port, answered: 0, failed: 0, refused: 0 }));
  const restingUntil = backends.map(() => 0);
  let next = 0;

  function pick(tried: Set<number>): number | null {
    const now = Date.now();
    for (let k = 0; k < backends.length; k++) {
      const i = (next + k) % backends.length;
      if (!tried.has(i) && restingUntil[i]! <= now) {
        next = i + 1;
        return i;
      }
    }
    // Every untried backend is resting: try one anyway rather than refuse outright.
    for (let i = 0; i < backends.length; i++) if (!tried.has(i)) return i;
    return null;
  }

  function fail(res: ServerResponse, status: number, message: string) {
    if (res.headersSent) return void res.destroy();
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ ok: false, error: { code: 'INTERNAL', message } }));
  }

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, tried: Set<number>): void {
    const i = pick(tried);
    if (i === null) return fail(res, 502, 'no HQ process is reachable behind the load balancer');
    tried.add(i);
    const b = backends[i]!;
    const headers = { ...req.headers, host: `${b.host}:${b.port}`, 'content-length': String(body.length), 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    delete headers.connection;
    const up = request({ host: b.host, port: b.port, method: req.method, path: req.url, headers, agent, timeout: UPSTREAM_TIMEOUT_MS }, (upRes) => {
      stats[i]!.answered++;
      res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, 'x-served-by': String(b.port) });
      upRes.pipe(res);
      upRes.on('error', () => res.destroy());
    });
    up.on('timeout', () => up.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })));
    up.on('error', (err) => {
      if (refusedBeforeSending(err)) {
        stats[i]!.refused++;
        restingUntil[i] = Date.now() + REST_MS;
        return forward(req, res, body, tried);
      }
      stats[i]!.failed++;
      fail(res, 502, `the HQ process behind the load balancer failed: ${(err as { code?: string }).code ?? err.message}`);
    });
    up.end(body);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Bodies are buffered so a refused connection can be retried elsewhere; HQ refuses larger ones anyway.
      if (size > MAX_BODY_BYTES + 64 * 1024) {
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => forward(req, res, Buffer.concat(chunks), new Set()));
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => stats.map((s) => ({ ...s })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

// The web host: the built renderer and TerminalApi over loopback HTTP, for one desk. Bound to
// 127.0.0.1 only; every request needs this launch's session cookie (see launchSecret.ts) and
// passes the Host/Origin checks (security.ts); each window gets its own TerminalApi session.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Result } from '../contract/errors';
import type { DeskEvent } from '../contract/terminalApi';
import { DEFAULT_LANG } from '../i18n';
import type { Lang } from '../loyalty/types';
import type { Dispatcher, Session } from '../terminal/session/dispatcher';
import { EventHub } from './eventHub';
import { cookieName, launch, LaunchTokens, readCookie, sessionCookie, Sessions } from './launchSecret';
import { SECURITY_HEADERS } from './security';
import { installSessionGuard } from './sessionGuard';

export const LOOPBACK = '127.0.0.1';
const BODY_LIMIT = 64 * 1024;

export interface HostOptions {
  /** The one door into the core (src/terminal/session/dispatcher.ts); the host only moves bytes to it. */
  dispatcher: Dispatcher;
  /** The vite build output (index.html + assets/). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The language of the host's own refusals (no session yet). */
  lang?: Lang;
  /** Told every answered API call, as Electron's IPC tells it (DeskRuntime.afterCall: a new print job prints at once). */
  afterCall?: (result: Result<unknown>) => void;
  onInternal?: (err: unknown, ref?: string) => void;
  statusPollMs?: number;
}

export interface RunningHost {
  /** The address the socket is bound to: always 127.0.0.1. */
  boundAddress: string;
  port: number;
  origin: string;
  /** A fresh one-time launch link (the first one is printed by `loyalty-desk start`). */
  launchUrl(): string;
  publish(event: DeskEvent): void;
  readonly sessionCount: number;
  close(): Promise<void>;
}

function unauthorizedPage(): string {
  // Without a session we do not know the language: say it in all three.
  return `<!doctype html><meta charset="utf-8"><title>Loyalty Desk</title>
<body style="font:18px system-ui;margin:3em"><h1>会员服务台 · 會員服務台 · Loyalty Desk</h1>
<p>请打开 <code>loyalty-desk start</code> 打印的链接，或重新启动程序。</p>
<p>請開啟 <code>loyalty-desk start</code> 印出的連結，或重新啟動程式。</p>
<p>Open the link that <code>loyalty-desk start</code> printed, or start the app again.</p></body>`;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const { dispatcher } = options;
  const indexHtml = join(options.rendererDir, 'index.html');
  if (!existsSync(indexHtml)) throw new Error(`the renderer is not built: ${indexHtml} is missing (run npm run build:renderer)`);
  const lang = options.lang ?? DEFAULT_LANG;
  const sessions = new Sessions<Session>((s) => dispatcher.end(s));
  const tokens = new LaunchTokens();
  const hub = new EventHub(async () => {
    const status = await dispatcher.status();
    return status ? { type: 'status', status } : null;
  }, options.statusPollMs ?? 1000);

  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true, trustProxy: false });
  let origin = '';
  let cookie = '';

  const refuse = (reply: FastifyReply, status: number) => reply.code(status).type('application/json').send(dispatcher.refuse('SESSION_REQUIRED', lang));
  const sessionOf = (req: FastifyRequest): Session | null => sessions.get(readCookie(req.headers.cookie, cookie));

  installSessionGuard(app, {
    origin: () => origin,
    hasSession: (req) => sessionOf(req) !== null,
    refuse: (reply, status) => refuse(reply, status),
    noSessionPage: unauthorizedPage,
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) options.onInternal?.(err);
    const code = status >= 500 ? 'INTERNAL' : 'INVALID_INPUT';
    return reply.code(status).send(dispatcher.refuse(code, lang, { detail: err.message }));
  });

  app.get<{ Querystring: { token?: string } }>('/launch', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const opened = launch(tokens, sessions, readCookie(req.headers.cookie, cookie), token, () => dispatcher.openDesk());
    if (opened === 'refuse') return reply.code(401).type('text/html; charset=utf-8').send(unauthorizedPage());
    if (opened !== 'keep') reply.header('set-cookie', sessionCookie(cookie, opened.cookieId));
    return reply.redirect('/', 303);
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    const session = sessionOf(req)!;
    const result = await dispatcher.dispatch(session, req.params.method, req.body ?? {});
    if (!dispatcher.hasMethod(session, req.params.method)) return reply.code(404).send(result);
    options.afterCall?.(result);
    if (result.ok) void hub.refresh();
    return reply.send(result);
  });

  app.get('/api/events', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    void hub.add(reply.raw);
    req.raw.on('close', () => reply.raw.end());
  });

  await app.register(fastifyStatic, { root: options.rendererDir, prefix: '/', index: 'index.html', wildcard: true, cacheControl: false });

  await app.listen({ host: LOOPBACK, port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the web host has no TCP address');
  const port = address.port;
  origin = `http://${LOOPBACK}:${port}`;
  cookie = cookieName(port);

  return {
    boundAddress: address.address,
    port,
    origin,
    launchUrl: () => `${origin}/launch?token=${tokens.issue()}`,
    publish: (event) => hub.publish(event),
    get sessionCount() {
      return sessions.size;
    },
    close: async () => {
      hub.close();
      await app.close();
    },
  };
}

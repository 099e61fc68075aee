// The web host: the built renderer and TerminalApi over loopback HTTP, for one desk. Bound to
// 127.0.0.1 only; every request needs this launch's session cookie (see launchSecret.ts) and
// passes the Host/Origin checks (security.ts); each window gets its own TerminalApi session.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Result } from '../contract/errors';
import type { DeskEvent } from '../contract/terminalApi';
import { createTranslator, DEFAULT_LANG } from '../i18n';
import type { Lang } from '../loyalty/types';
import type { Dispatcher, Session } from '../terminal/session/dispatcher';
import { EventHub } from './eventHub';
import { cookieName, launch, LaunchTokens, readCookie, sessionCookie, Sessions } from './launchSecret';
import { SECURITY_HEADERS } from './security';
import { installSessionGuard, sendPage } from './sessionGuard';
import { styledPage, type StyledPage } from './styledPage';

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

const PAGE_CSS = 'body{font:18px/1.6 system-ui,sans-serif;margin:0;background:#f3f4f6;color:#1f2933}main{max-width:40em;margin:12vh auto;padding:2em 2.5em;background:#fff;border-radius:16px}h1{font-size:1.5em;margin:0 0 .6em}p{margin:0}';

/** Without a session the window has no language of its own: the desk's (config.json) is used. */
function unauthorizedPage(lang: Lang): StyledPage {
  const tr = createTranslator(lang);
  return styledPage({ lang, title: tr.t('ui.appName'), heading: tr.t('ui.noSession.heading'), paragraphs: [tr.t('ui.noSession.body')], css: PAGE_CSS });
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
    noSessionPage: () => unauthorizedPage(lang),
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
    if (opened === 'refuse') return sendPage(reply, 401, unauthorizedPage(lang));
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

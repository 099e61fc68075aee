// The web host in kiosk mode: the kiosk page (dist/renderer/kiosk.html) and KioskApi over loopback.
// The same guards as the desk host (127.0.0.1 only, one-time launch token → HttpOnly cookie, Host /
// Origin / Sec-Fetch-Site checks, strict CSP), but each session holds a KioskApi and nothing else:
// `/api/<staff method>` is refused by the core (KIOSK_STAFF_ONLY), the desk page is not served, and
// there is no desk event stream. The one thing pushed is a serial scanner's code (`/api/scans`), which
// the page submits through kiosk.scan like a wedge burst.
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_LANG } from '../i18n';
import type { Lang } from '../loyalty/types';
import type { Dispatcher, Session } from '../terminal/session/dispatcher';
import { cookieName, launch, LaunchTokens, readCookie, sessionCookie, Sessions } from './launchSecret';
import { SECURITY_HEADERS } from './security';
import { installSessionGuard, sendPage } from './sessionGuard';
import { styledPage, type StyledPage } from './styledPage';
import { LOOPBACK, type RunningHost } from './server';

export const KIOSK_PAGE = 'kiosk.html';
const BODY_LIMIT = 64 * 1024;

export interface KioskHostOptions {
  /** The one door into the core; kiosk sessions answer kiosk methods only. */
  dispatcher: Dispatcher;
  rendererDir: string;
  port?: number;
  /** The language of the host's own refusals (no session yet). */
  lang?: Lang;
  onInternal?: (err: unknown) => void;
}

export type RunningKioskHost = Omit<RunningHost, 'publish'> & {
  /** A serial scanner's code, for the kiosk page that opened `/api/scans` last. */
  scan(code: string): void;
};

const SCAN_HEARTBEAT_MS = 15_000;

/** Shown on the kiosk screen when it has no session (the host restarted): a sign, not an error page. */
function restingPage(): StyledPage {
  // A member of any language may stand at the kiosk: all three, as the attract screen does.
  return styledPage({
    lang: 'zh-CN',
    title: '会员自助查询',
    heading: '会员自助查询 · 會員自助查詢 · Member self-check',
    paragraphs: ['查询机暂停服务，请到会员服务台咨询。', '查詢機暫停服務，請到會員服務台洽詢。', 'The kiosk is resting. Please ask at the service desk.'],
    css: 'body{font:32px/1.5 system-ui,sans-serif;margin:3em;text-align:center;background:#f3f4f6;color:#1f2933}p{margin:.4em 0}',
  });
}

export async function startKioskHost(options: KioskHostOptions): Promise<RunningKioskHost> {
  const { dispatcher } = options;
  if (!existsSync(join(options.rendererDir, KIOSK_PAGE))) {
    throw new Error(`the kiosk page is not built: ${join(options.rendererDir, KIOSK_PAGE)} is missing (run npm run build:renderer)`);
  }
  const lang = options.lang ?? DEFAULT_LANG;
  const sessions = new Sessions<Session>((s) => dispatcher.end(s));
  const tokens = new LaunchTokens();
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, forceCloseConnections: true, trustProxy: false });
  let origin = '';
  let cookie = '';

  const refuse = (reply: FastifyReply, status: number) => reply.code(status).type('application/json').send(dispatcher.refuse('SESSION_REQUIRED', lang));
  const sessionOf = (req: FastifyRequest): Session | null => sessions.get(readCookie(req.headers.cookie, cookie));

  installSessionGuard(app, {
    origin: () => origin,
    hasSession: (req) => sessionOf(req) !== null,
    refuse: (reply, status) => refuse(reply, status),
    noSessionPage: restingPage,
  });

  app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) options.onInternal?.(err);
    // A member's screen never shows internals: the kiosk words it as "could not read that".
    const code = status >= 500 ? 'INTERNAL' : 'INVALID_INPUT';
    return reply.code(status).send(dispatcher.refuse(code, lang, {}, 'kiosk'));
  });

  app.get<{ Querystring: { token?: string } }>('/launch', async (req, reply) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const opened = launch(tokens, sessions, readCookie(req.headers.cookie, cookie), token, () => dispatcher.openKiosk());
    if (opened === 'refuse') return sendPage(reply, 401, restingPage());
    if (opened !== 'keep') reply.header('set-cookie', sessionCookie(cookie, opened.cookieId));
    return reply.redirect('/', 303);
  });

  app.post<{ Params: { method: string } }>('/api/:method', async (req, reply) => {
    const session = sessionOf(req)!;
    const result = await dispatcher.dispatch(session, req.params.method, req.body ?? {});
    if (!result.ok && result.error.code === 'KIOSK_STAFF_ONLY') return reply.code(403).send(result);
    if (!dispatcher.hasMethod(session, req.params.method)) return reply.code(404).send(result);
    return reply.send(result);
  });

  // Only the newest stream gets a scan: two windows would otherwise submit the same code twice.
  const scanStreams: ServerResponse[] = [];
  app.get('/api/scans', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    scanStreams.push(res);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SCAN_HEARTBEAT_MS);
    heartbeat.unref();
    req.raw.on('close', () => {
      clearInterval(heartbeat);
      const i = scanStreams.indexOf(res);
      if (i >= 0) scanStreams.splice(i, 1);
      res.end();
    });
  });

  await app.register(fastifyStatic, {
    root: options.rendererDir,
    prefix: '/',
    index: KIOSK_PAGE,
    wildcard: true,
    cacheControl: false,
    // The desk's page is not the kiosk's: a kiosk never shows a staff screen, not even a broken one.
    allowedPath: (pathName) => pathName !== '/index.html',
  });

  await app.listen({ host: LOOPBACK, port: options.port ?? 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the kiosk host has no TCP address');
  const port = address.port;
  origin = `http://${LOOPBACK}:${port}`;
  cookie = cookieName(port);

  return {
    boundAddress: address.address,
    port,
    origin,
    launchUrl: () => `${origin}/launch?token=${tokens.issue()}`,
    get sessionCount() {
      return sessions.size;
    },
    scan: (code) => scanStreams.at(-1)?.write(`event: scan\ndata: ${JSON.stringify({ code })}\n\n`),
    close: async () => {
      for (const res of scanStreams.splice(0)) res.end();
      await app.close();
    },
  };
}

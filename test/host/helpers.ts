// A real web host on loopback over a seeded demo database, and a raw HTTP client that can send the
// headers a browser would (and the ones an attacker's page would).
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startHost, type RunningHost } from '../../src/host/server';
import { createDispatcher } from '../../src/terminal/session/dispatcher';
import { openTerminal, type OpenedTerminal } from '../../src/terminal/operations/openTerminal';
import { NOW, seedDemoDb } from '../helpers/demoDb';

export interface TestHost {
  host: RunningHost;
  terminal: OpenedTerminal;
  clock: { now: number };
  close(): Promise<void>;
}

export async function startTestHost(): Promise<TestHost> {
  const seeded = seedDemoDb(200);
  const clock = { now: NOW };
  const terminal = openTerminal(seeded.dbPath, { clock: () => clock.now });
  const rendererDir = join(seeded.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title><div id="root"></div>');
  const host = await startHost({ dispatcher: createDispatcher(terminal.service), rendererDir, statusPollMs: 50 });
  return {
    host,
    terminal,
    clock,
    close: async () => {
      await host.close();
      terminal.close();
      seeded.cleanup();
    },
  };
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

export function send(
  host: RunningHost,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; connectHost?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: opts.connectHost ?? '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${host.port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = JSON.parse(body);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
        });
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Exchanges a fresh launch token for a session cookie, as the app window does. */
export async function openSession(host: RunningHost): Promise<string> {
  const url = new URL(host.launchUrl());
  const r = await send(host, `${url.pathname}${url.search}`);
  if (r.status !== 303) throw new Error(`launch gave ${r.status}`);
  const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0]!;
  return cookie;
}

/** A call as the desk page makes it: same-origin, JSON, with the session cookie. */
export function callApi(host: RunningHost, cookie: string | null, method: string, input: unknown, extra: Record<string, string> = {}): Promise<Reply> {
  return send(host, `/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: host.origin, ...(cookie ? { cookie } : {}), ...extra },
    body: JSON.stringify(input),
  });
}

// A loopback proxy in front of a real HQ playing a hostile (or broken) one: every pull page it
// forwards goes through `rewrite` first. startInjectProxy adds the rows `inject` holds to every page
// and keeps the rows HQ sent in `seen`; setAside.test.ts spoils rows in place.
import { createServer, request, type Server } from 'node:http';

/** Forwards everything to HQ at `hqPort`; a pull page's rows pass through `rewrite` (which may change them in place). */
export function startPullRewriteProxy(hqPort: number, rewrite: (changes: Record<string, unknown>[]) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up = request({ host: '127.0.0.1', port: hqPort, path: req.url, method: req.method, headers: req.headers }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on('data', (c: Buffer) => body.push(c));
        upRes.on('end', () => {
          let text = Buffer.concat(body).toString('utf8');
          if (/^\/v\d\/sync\/pull/.test(req.url ?? '') && upRes.statusCode === 200) {
            const page = JSON.parse(text) as { changes: Record<string, unknown>[] };
            rewrite(page.changes);
            text = JSON.stringify(page);
          }
          const headers = { ...upRes.headers };
          delete headers['content-length'];
          res.writeHead(upRes.statusCode ?? 502, headers);
          res.end(text);
        });
      });
      up.on('error', () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

export interface InjectProxy {
  url: string;
  /** Rows added to every pull page while set. */
  inject: unknown[];
  /** Every row HQ itself sent through this proxy. */
  seen: Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startInjectProxy(hqPort: number): Promise<InjectProxy> {
  const rows = { inject: [] as unknown[], seen: [] as Record<string, unknown>[] };
  const proxy = await startPullRewriteProxy(hqPort, (changes) => {
    rows.seen.push(...changes);
    changes.push(...(rows.inject as Record<string, unknown>[]));
  });
  return {
    url: proxy.url,
    close: proxy.close,
    get inject() {
      return rows.inject;
    },
    set inject(v: unknown[]) {
      rows.inject = v;
    },
    seen: rows.seen,
  };
}

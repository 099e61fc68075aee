// A loopback proxy in front of a real HQ playing a hostile (or broken) one: every pull page it
// forwards also carries the rows `inject` holds, and the rows HQ sent are kept in `seen`.
import { createServer, request, type Server } from 'node:http';

export interface InjectProxy {
  url: string;
  /** Rows added to every pull page while set. */
  inject: unknown[];
  /** Every row HQ itself sent through this proxy. */
  seen: Record<string, unknown>[];
  close(): Promise<void>;
}

export function startInjectProxy(hqPort: number): Promise<InjectProxy> {
  const proxy: InjectProxy = { url: '', inject: [], seen: [], close: () => Promise.resolve() };
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
            const page = JSON.parse(text) as { changes: unknown[] };
            proxy.seen.push(...(page.changes as Record<string, unknown>[]));
            page.changes.push(...proxy.inject);
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
      proxy.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      proxy.close = () => new Promise<void>((r) => server.close(() => r()));
      resolve(proxy);
    });
  });
}

// A loopback TCP proxy (node:net) that cuts connections on demand: after N bytes of a request
// (HQ sees a truncated body) or after N bytes of an answer (HQ applied it, the terminal never
// heard back).
import { createServer, connect, type Socket } from 'node:net';

export interface CutProxy {
  url: string;
  /** Cut the connection carrying the next request once this many request bytes have passed. */
  cutRequestAfter(bytes: number): void;
  /** Cut the connection carrying the next answer once this many answer bytes have passed. */
  cutResponseAfter(bytes: number): void;
  cuts: number;
  close(): Promise<void>;
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  let request: { left: number } | null = null;
  let response: { left: number } | null = null;
  const sockets = new Set<Socket>();
  const state = { cuts: 0 };

  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const kill = () => {
      state.cuts++;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (request) {
        if (chunk.length >= request.left) {
          upstream.write(chunk.subarray(0, request.left));
          request = null;
          // Give the partial bytes a moment to reach HQ, then drop both ends.
          setTimeout(kill, 20);
          return;
        }
        request.left -= chunk.length;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (response) {
        if (chunk.length >= response.left) {
          client.write(chunk.subarray(0, response.left));
          response = null;
          kill();
          return;
        }
        response.left -= chunk.length;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    cutRequestAfter: (bytes) => void (request = { left: bytes }),
    cutResponseAfter: (bytes) => void (response = { left: bytes }),
    get cuts() {
      return state.cuts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

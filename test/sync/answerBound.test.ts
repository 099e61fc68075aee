// A hostile or broken server at HQ's address answers without end (chunked, with no length). The
// terminal's client stops reading at its bound (maxResponseBytes) and says HQ_BAD_RESPONSE; before,
// it read the whole answer into memory and only then compared its length (a 50 MB answer against a 1 MB bound was read to the last byte, +170 MB of memory).
// Answers within the bound, however they are chunked, still parse. Real HTTP on loopback.
import { createServer, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { PROTOCOL_VERSION } from '../../src/sync/protocol';
import { createHqClient } from '../../src/syncClient/hqClient';

interface Plan {
  /** Bytes of JSON to send (padded with spaces), in chunks of `chunk` bytes. */
  size: number;
  chunk: number;
  /** Declare the Content-Length, or send chunked. */
  length: 'none' | 'true';
}

let plan: Plan = { size: 0, chunk: 1, length: 'none' };
let written = 0;
let served: Promise<void> = Promise.resolve();

function answer(res: ServerResponse, p: Plan): Promise<void> {
  const json = Buffer.from(JSON.stringify({ ok: true, serverTime: Date.UTC(2026, 0, 1), protocol: PROTOCOL_VERSION }));
  const body = Buffer.alloc(Math.max(p.size, json.length), 0x20);
  json.copy(body, 0);
  const headers: Record<string, string | number> = { 'content-type': 'application/json' };
  if (p.length === 'true') headers['content-length'] = body.length;
  res.writeHead(200, headers);
  written = 0;
  return new Promise((resolve) => {
    let off = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
      resolve();
    });
    const pump = (): void => {
      while (!closed && off < body.length) {
        const piece = body.subarray(off, off + p.chunk);
        off += piece.length;
        written += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    pump();
  });
}

describe('the answer bound', () => {
  const server = createServer((req, res) => {
    served = answer(res, plan);
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // Deterministic generator: the same runs every time.
  let seed = 7;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);

  it('stops reading an answer beyond the bound, whatever its chunking (generated runs)', async () => {
    for (let run = 0; run < 12; run++) {
      const bound = 16 * 1024 + rnd(256 * 1024);
      plan = { size: 48 * 1024 * 1024, chunk: 1024 + rnd(256 * 1024), length: 'none' };
      const client = createHqClient({ url, maxResponseBytes: bound, timeoutMs: 20_000 });
      const err = await client.time().then(() => null, (e: unknown) => e);
      expect(err, `run ${run}`).toBeInstanceOf(DeskError);
      expect((err as DeskError).code).toBe('HQ_BAD_RESPONSE');
      await served;
      // What the server got out before the desk hung up: the bound plus socket buffers, never the whole answer.
      expect(written, `run ${run}: bound ${bound}, chunk ${plan.chunk}`).toBeLessThan(16 * 1024 * 1024);
    }
  }, 60_000);

  it('reads every answer within the bound, chunked or with its length (generated runs)', async () => {
    for (let run = 0; run < 40; run++) {
      const bound = 1024 + rnd(64 * 1024);
      plan = { size: 64 + rnd(bound - 64), chunk: 1 + rnd(4096), length: rnd(2) === 0 ? 'none' : 'true' };
      const client = createHqClient({ url, maxResponseBytes: bound });
      const got = await client.time();
      expect(got.value.serverTime, `run ${run}`).toBe(Date.UTC(2026, 0, 1));
      await served;
    }
  }, 60_000);

  it('refuses a declared length beyond the bound unread', async () => {
    plan = { size: 2 * 1024 * 1024, chunk: 65536, length: 'true' };
    const err = await createHqClient({ url, maxResponseBytes: 1024 }).time().then(() => null, (e: unknown) => e);
    expect((err as DeskError).code).toBe('HQ_BAD_RESPONSE');
    await served;
  });
});

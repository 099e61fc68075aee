// What a push answer may acknowledge: each event the terminal sent, once. A server at HQ's address
// answering with acks repeated, missing, foreign or of another id (generated answers) either
// acknowledges exactly the batch — every event leaves the outbox, its operation synced, counted
// once — or is refused whole (HQ_BAD_RESPONSE, nothing written). Before, [e1, e1, e1] for
// [e1, e2, e3] passed the count check: the sync said 3 pushed while e2 and e3 stayed in the outbox.
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { pendingOutboxCount } from '../../src/store/outbox';
import { createHqClient } from '../../src/syncClient/hqClient';
import { pushOutbox } from '../../src/syncClient/syncRun';
import { NOW, openDemoTerminal } from '../helpers/demoDb';

type Ev = { seq: number; id: string };
let shape: (events: Ev[]) => { ackedThrough: number; acks: { seq: number; id: string; status: string }[] } = () => ({ ackedThrough: 0, acks: [] });

describe('a push answer', () => {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { events: Ev[] };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, ...shape(body.events), conflicts: [], serverTime: NOW }));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('acknowledges each sent event once, or nothing (generated answers)', async () => {
    let seed = 3;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const t = openDemoTerminal(5);
    try {
      const client = createHqClient({ url, credential: `ldt_${'C'.repeat(43)}` });
      for (let run = 0; run < 30; run++) {
        const n = 1 + rnd(5);
        for (let i = 0; i < n; i++) t.service.earn({ memberId: 'M00000001', staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 1000 }] });
        const before = pendingOutboxCount(t.db);
        let honest = true;
        shape = (events) => {
          // Start from the honest answer, then spoil it in one of several ways (or not at all).
          let acks = events.map((e) => ({ seq: e.seq, id: e.id, status: 'applied' }));
          const how = rnd(5);
          if (how === 1 && acks.length > 1) acks = acks.map((a, i) => (i === 1 ? { ...acks[0]! } : a)); // one twice, one missing
          else if (how === 2) acks = [...acks, { ...acks[0]! }]; // one twice, none missing
          else if (how === 3 && acks.length > 1) acks = acks.slice(1).concat({ seq: 999_999, id: acks[0]!.id, status: 'applied' }); // a foreign seq
          else if (how === 4) acks = acks.map((a, i) => (i === 0 ? { ...a, id: '01890000-0000-7000-8000-000000000000' } : a)); // another id
          honest = how === 0 || how === 2 || (how === 1 && acks.length === 1) || (how === 3 && events.length === 1);
          return { ackedThrough: events.at(-1)!.seq, acks };
        };
        const result = await pushOutbox(t.db, client).then((r) => r, (e: unknown) => e);
        if (honest) {
          expect(result, `run ${run}`).not.toBeInstanceOf(Error);
          expect((result as { pushed: number }).pushed).toBe(before);
          expect(pendingOutboxCount(t.db)).toBe(0);
          expect(t.db.prepare('SELECT count(*) AS n FROM operations WHERE synced = 0').get()).toEqual({ n: 0 });
        } else {
          expect(result, `run ${run}`).toBeInstanceOf(DeskError);
          expect((result as DeskError).code).toBe('HQ_BAD_RESPONSE');
          // Nothing of that answer was written: the whole batch waits for the next sync.
          expect(pendingOutboxCount(t.db)).toBe(before);
          shape = (events) => ({ ackedThrough: events.at(-1)!.seq, acks: events.map((e) => ({ seq: e.seq, id: e.id, status: 'applied' })) });
          expect((await pushOutbox(t.db, client)).pushed).toBe(before);
          expect(pendingOutboxCount(t.db)).toBe(0);
        }
      }
    } finally {
      t.cleanup();
    }
  }, 60_000);
});

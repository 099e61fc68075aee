// The desk's print loop against the fake printer behind a loopback proxy that watches connections:
// status polls and queue runs (kicked after each operation) must never open the printer together.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../src/contract/terminalApi';
import { startPrintLoop, type PrintLoop } from '../../src/runtime/printLoop';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { enqueuePrint, unprintedJobs } from '../../src/store/printJobs';
import { printerLiveState, printTestPage } from '../../src/terminal/manager/printing';
import { openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';
import { model } from '../print/fixtures';

/** A TCP proxy to the printer that records every time a connection opens while another is still in use. */
interface WatchingProxy {
  uri: string;
  opened: number;
  overlaps: number;
  close(): Promise<void>;
}

async function startWatchingProxy(targetPort: number): Promise<WatchingProxy> {
  const live = new Set<Socket>();
  const all = new Set<Socket>();
  const checks = new Set<NodeJS.Timeout>();
  const proxy: WatchingProxy = { uri: '', opened: 0, overlaps: 0, close: async () => undefined };
  const server: Server = createServer((client) => {
    proxy.opened++;
    const earlier = [...live];
    live.add(client);
    all.add(client);
    // The client's FIN for a finished connection and this one's SYN can be handed to us in either
    // order; a real overlap outlasts a short wait (the fake printer answers status queries slowly).
    const check = setTimeout(() => {
      checks.delete(check);
      if (earlier.some((s) => live.has(s))) proxy.overlaps++;
    }, 15);
    checks.add(check);
    const upstream = connect(targetPort, '127.0.0.1');
    all.add(upstream);
    const done = (): void => {
      live.delete(client);
      client.destroy();
      upstream.destroy();
    };
    client.on('end', done).on('error', done).on('close', done);
    upstream.on('end', done).on('error', done).on('close', done);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  proxy.uri = `tcp://127.0.0.1:${address.port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const c of checks) clearTimeout(c);
      for (const s of all) s.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let printer: FakePrinter;
let out: ReturnType<typeof tempDir>;
let proxy: WatchingProxy;
let t: DemoTerminal;
let loop: PrintLoop | null = null;

beforeAll(async () => {
  out = tempDir('ld-printloop-');
  printer = await startFakePrinter({ port: 0, out: out.dir });
});
afterAll(async () => {
  await printer.close();
  out.cleanup();
});
beforeEach(async () => {
  t = openDemoTerminal();
  proxy = await startWatchingProxy(printer.port);
});
afterEach(async () => {
  await loop?.close();
  loop = null;
  await proxy.close();
  t.cleanup();
});

/** The proxy's ephemeral port, listed as IT would list a printer port (docs/security.md). */
const allow = () => ({ ports: [Number(new URL(proxy.uri.replace(/^tcp:/, 'http:')).port)] });

describe('the print loop uses the printer one at a time', () => {
  it('status polls and kicked queue runs never hold two connections at once, and every receipt prints', async () => {
    printer.setFault({ fault: 'none', slowMs: 60 });
    const receiptsBefore = printer.receipts.length;
    const queriesBefore = printer.statusQueries;
    const events: DeskEvent[] = [];
    const errors: unknown[] = [];
    loop = startPrintLoop({
      db: t.db,
      printerUri: proxy.uri,
      printerAllow: allow(),
      lang: 'zh-CN',
      publish: (e) => events.push(e),
      statusMs: 35,
      retryMs: 60_000,
      onError: (err) => errors.push(err),
    });
    const jobs = 8;
    for (let i = 0; i < jobs; i++) {
      enqueuePrint(t.db, { opId: null, kind: 'redeem', payload: model(), createdAt: t.clock.now + i });
      loop.kick();
      loop.kick();
      await sleep(20 + (i % 3) * 15);
    }
    for (let i = 0; i < 200 && (unprintedJobs(t.db).length > 0 || printer.receipts.length < receiptsBefore + jobs); i++) await sleep(50);
    await sleep(100); // a few more status polls alongside nothing
    await loop.close();
    await sleep(30); // the proxy's last overlap check

    expect(errors).toEqual([]);
    expect(unprintedJobs(t.db)).toEqual([]);
    expect(printer.receipts.length - receiptsBefore).toBe(jobs);
    expect(events.filter((e) => e.type === 'print' && e.state === 'printed')).toHaveLength(jobs);
    // Polls did happen in between (more connections than print runs alone would need).
    expect(printer.statusQueries - queriesBefore).toBeGreaterThan(jobs * 2);
    expect(proxy.opened).toBeGreaterThan(jobs);
    expect(proxy.overlaps).toBe(0);
    expect(loop.state()).toEqual({ state: 'ready', name: proxy.uri });
  });

  it('the manager\'s test pages and printer checks wait their turn beside receipts; after close they are refused', async () => {
    printer.setFault({ fault: 'none', slowMs: 60 });
    const receiptsBefore = printer.receipts.length;
    const errors: unknown[] = [];
    loop = startPrintLoop({ db: t.db, printerUri: proxy.uri, printerAllow: allow(), lang: 'zh-CN', publish: () => undefined, statusMs: 35, retryMs: 60_000, onError: (err) => errors.push(err) });
    const running = loop;
    const manager = [];
    for (let i = 0; i < 4; i++) {
      enqueuePrint(t.db, { opId: null, kind: 'redeem', payload: model(), createdAt: t.clock.now + i });
      running.kick();
      manager.push(running.withPrinter(() => printTestPage({ uri: proxy.uri, allow: allow(), lang: 'zh-CN', tz: 'Asia/Shanghai', now: t.clock.now })));
      manager.push(running.withPrinter(() => printerLiveState(proxy.uri, allow())));
    }
    const answers = await Promise.all(manager);
    for (let i = 0; i < 200 && unprintedJobs(t.db).length > 0; i++) await sleep(50);
    await running.close();
    await sleep(30);

    expect(errors).toEqual([]);
    expect(answers.filter((a) => 'printed' in a && a.printed)).toHaveLength(4);
    expect(answers.filter((a) => 'state' in a && a.state === 'ready')).toHaveLength(4);
    expect(printer.receipts.length - receiptsBefore).toBe(8); // 4 receipts + 4 test pages
    expect(proxy.overlaps).toBe(0);
    await expect(running.withPrinter(() => printerLiveState(proxy.uri, allow()))).rejects.toThrow(/stopped/);
  });
});

// The desk follows the printer chosen in the settings without a restart: receipts go to the old
// printer until config.json names another, then to the new one; nothing is lost in between.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLivePrinting, type LivePrinting } from '../../src/runtime/livePrinting';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { enqueuePrint, unprintedJobs } from '../../src/store/printJobs';
import { deskConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';
import { model } from '../print/fixtures';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let t: DemoTerminal;
let out: ReturnType<typeof tempDir>;
let a: FakePrinter;
let b: FakePrinter;
let live: LivePrinting | null = null;

beforeEach(async () => {
  t = openDemoTerminal();
  out = tempDir('ld-live-print-');
  a = await startFakePrinter({ port: 0, out: out.dir });
  b = await startFakePrinter({ port: 0, out: out.dir });
});
afterEach(async () => {
  await live?.close();
  live = null;
  await a.close();
  await b.close();
  out.cleanup();
  t.cleanup();
});

// The fake printers' ephemeral ports listed as IT would list a printer port (docs/security.md).
const config = (printer: string | null) =>
  writeConfig(dirname(t.dbPath), { ...deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }), printer, printerPorts: [a.port, b.port] });

async function printOne(p: LivePrinting, i: number): Promise<void> {
  enqueuePrint(t.db, { opId: null, kind: 'redeem', payload: model(), createdAt: t.clock.now + i });
  p.kick();
  for (let k = 0; k < 100 && unprintedJobs(t.db).length > 0; k++) await sleep(30);
}

describe('printing that follows the settings', () => {
  it('moves to the printer config.json names, and stays when the file is broken', async () => {
    config(a.uri);
    live = startLivePrinting({ db: t.db, dataDir: dirname(t.dbPath), lang: 'zh-CN', publish: () => undefined, recheckMs: 0 });
    const p = live;
    await printOne(p, 0);
    expect([a.receipts.length, b.receipts.length]).toEqual([1, 0]);
    expect(p.printerUri()).toBe(a.uri);

    await sleep(5); // a new mtime
    config(b.uri);
    expect(p.printerUri()).toBe(b.uri);
    await printOne(p, 1);
    expect([a.receipts.length, b.receipts.length]).toEqual([1, 1]);
    expect(unprintedJobs(t.db)).toEqual([]);
    expect(p.state().name).toBe(b.uri);

    // The manager's test page goes to the printer in use, in the queue's turn.
    expect(await p.withPrinter(async () => p.printerUri())).toBe(b.uri);

    await sleep(5);
    writeFileSyncBroken(dirname(t.dbPath));
    expect(p.printerUri()).toBe(b.uri);
  });
  it("prints on a printer set a moment ago: the status poll's once-a-second look at config.json does not hold up a print", async () => {
    config(null);
    live = startLivePrinting({ db: t.db, dataDir: dirname(t.dbPath), lang: 'zh-CN', publish: () => undefined, recheckMs: 60_000 });
    const p = live;
    expect(p.state()).toBeDefined(); // the status bar's poll: config.json read just now
    await sleep(5); // a new mtime
    config(a.uri); // setup's printer step, then at once 打印 on the recovery key step
    expect(p.printerUri()).toBe(a.uri);
    await sleep(5);
    config(b.uri);
    p.state();
    const at = await p.withPrinter(async () => p.printerUri());
    expect(at).toBe(b.uri);
    await printOne(p, 0);
    expect([a.receipts.length, b.receipts.length]).toEqual([0, 1]);
  });
});

function writeFileSyncBroken(dir: string): void {
  // Not the settings screen's doing (it writes whole files by rename); an editor's half-saved file.
  writeFileSync(join(dir, 'config.json'), '{ "printer": ');
}

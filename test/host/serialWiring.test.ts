// The host's serial scanner wiring over a real pty pair (socat): a code sent by the "scanner"
// arrives as one scan event for the UI, with its source.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../src/contract/terminalApi';
import { startSerialScanner, type SerialWiring } from '../../src/runtime/serialWiring';
import { tempDir } from '../helpers/demoDb';

async function waitFor(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let socat: ChildProcess | null = null;
let wiring: SerialWiring | null = null;
let cleanup: (() => void) | null = null;
afterEach(async () => {
  await wiring?.stop();
  socat?.kill('SIGTERM');
  cleanup?.();
});

describe('serial scanner wiring', () => {
  it('publishes each line from the configured port as a scan event', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const device = join(t.dir, 'scanner');
    const port = join(t.dir, 'ttyScanner');
    socat = spawn('/usr/bin/socat', ['-d', '-d', `pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${port}`], { stdio: 'ignore' });
    await waitFor('socat links', () => existsSync(device) && existsSync(port));
    const events: DeskEvent[] = [];
    wiring = startSerialScanner({ port, baud: 9600 }, (e) => events.push(e));
    await waitFor('port open', () => wiring?.status()?.state === 'open');
    const fd = openSync(device, 'w');
    writeSync(fd, 'LD1C.abc.def\r\n8860000000000036\r\n');
    closeSync(fd);
    await waitFor('two scans', () => events.length >= 2);
    expect(events).toEqual([
      { type: 'scan', code: 'LD1C.abc.def', source: 'serial' },
      { type: 'scan', code: '8860000000000036', source: 'serial' },
    ]);
  });

  it('does nothing when no serial port is configured', async () => {
    const events: DeskEvent[] = [];
    wiring = startSerialScanner({ port: null, baud: 9600 }, (e) => events.push(e));
    expect(wiring.status()).toBeNull();
  });
});

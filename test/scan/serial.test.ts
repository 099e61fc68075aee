// A serial scanner over a pty pair made by socat: codes in, framing, unplug (socat killed) and
// replug (socat started again on the same names) with the scanner reconnecting by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrivateJwk } from '../../src/scan/hqKeys';
import { LineFramer } from '../../src/scan/lineFramer';
import { SerialScanner, type SerialStatus } from '../../src/scan/serialScanner';
import { scanMember, type ScanResult } from '../../src/terminal/operations/scan';
import { NOW, openDemoTerminal, tempDir, type DemoTerminal } from '../helpers/demoDb';
import { appCode, cardCode, hqKeyOf } from './fixtures';

async function waitFor(what: string, ok: () => boolean, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A pty pair: `device` is the scanner's end (we write codes there), `port` the terminal's. */
class PtyPair {
  private proc: ChildProcess | null = null;
  constructor(readonly device: string, readonly port: string) {}

  async plug(): Promise<void> {
    this.proc = spawn('/usr/bin/socat', ['-d', '-d', `pty,raw,echo=0,link=${this.device}`, `pty,raw,echo=0,link=${this.port}`], { stdio: 'ignore' });
    await waitFor('socat links', () => existsSync(this.device) && existsSync(this.port));
  }

  async unplug(): Promise<void> {
    const proc = this.proc;
    this.proc = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
    await waitFor('socat links removed', () => !existsSync(this.device) && !existsSync(this.port));
  }

  send(text: string): void {
    const fd = openSync(this.device, 'w');
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }
}

let t: DemoTerminal;
let hq: PrivateJwk;
let dir: { dir: string; cleanup: () => void };
let pty: PtyPair;
let scanner: SerialScanner | null = null;
let members: { id: string; card_serial: number }[];

beforeAll(() => {
  t = openDemoTerminal(100);
  hq = hqKeyOf(t.dir);
  members = t.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 10").all() as typeof members;
  dir = tempDir('ld-serial-');
  pty = new PtyPair(join(dir.dir, 'scanner'), join(dir.dir, 'ttyACM0'));
});
afterEach(async () => {
  await scanner?.stop();
  scanner = null;
  await pty.unplug();
});
afterAll(() => {
  t.cleanup();
  dir.cleanup();
});

function startScanner(): { results: (ScanResult | string)[]; lines: string[]; statuses: SerialStatus[] } {
  const results: (ScanResult | string)[] = [];
  const lines: string[] = [];
  const statuses: SerialStatus[] = [];
  scanner = new SerialScanner({
    port: pty.port,
    baud: 9600,
    retry: { minMs: 50, maxMs: 400 },
    idleMs: 120,
    onStatus: (s) => statuses.push(s),
    // The host's wiring: every line into the one scan path.
    onCode: (line) => {
      lines.push(line);
      try {
        results.push(scanMember(t.service.deps, line));
      } catch (err) {
        results.push((err as { code?: string }).code ?? String(err));
      }
    },
  });
  scanner.start();
  return { results, lines, statuses };
}

describe('serial scanner over a pty', () => {
  it('reads codes ended by CR, LF or CR LF, split across writes or several in one, and one with no ending', async () => {
    await pty.plug();
    const s = startScanner();
    await waitFor('port open', () => scanner!.current.state === 'open');
    const [a, b, c, d] = members;
    const codeA = cardCode(hq, a!.id, a!.card_serial, NOW);
    const codeB = appCode(hq, b!.id, b!.card_serial, NOW);
    pty.send(`${codeA}\r\n`);
    pty.send(codeB.slice(0, 100));
    pty.send(`${codeB.slice(100)}\r`);
    pty.send(`${cardCode(hq, c!.id, c!.card_serial, NOW)}\n${'garbage\n'}`);
    await waitFor('four lines', () => s.lines.length >= 4);
    pty.send(cardCode(hq, d!.id, d!.card_serial, NOW)); // no ending: the pause ends it
    await waitFor('five lines', () => s.lines.length >= 5);
    expect(s.results.map((r) => (typeof r === 'string' ? r : `${r.verified}:${r.member.id}`))).toEqual([
      `signed:${a!.id}`,
      `rotating:${b!.id}`,
      `signed:${c!.id}`,
      'MALFORMED',
      `signed:${d!.id}`,
    ]);
  });

  it('reconnects after an unplug and a replug, and waits for a port that is not there yet', async () => {
    const s = startScanner();
    await waitFor('retrying a missing port', () => scanner!.current.state === 'waiting' && scanner!.current.attempts >= 2);
    expect(scanner!.current.error).toBeTruthy();
    await pty.plug();
    await waitFor('port open', () => scanner!.current.state === 'open', 5000);
    const [a, b] = members;
    pty.send(`${cardCode(hq, a!.id, a!.card_serial, NOW)}\r\n`);
    await waitFor('first code', () => s.results.length === 1);

    await pty.unplug();
    await waitFor('unplug noticed', () => scanner!.current.state === 'waiting');
    await pty.plug();
    await waitFor('port open again', () => scanner!.current.state === 'open', 5000);
    pty.send(`${cardCode(hq, b!.id, b!.card_serial, NOW)}\r\n`);
    await waitFor('second code', () => s.results.length === 2);
    expect(s.results.map((r) => (typeof r === 'string' ? r : r.member.id))).toEqual([a!.id, b!.id]);
    const states = s.statuses.map((x) => x.state);
    expect(states.indexOf('waiting')).toBeLessThan(states.indexOf('open'));
    expect(states.lastIndexOf('waiting')).toBeGreaterThan(states.indexOf('open'));
    await scanner!.stop();
    expect(scanner!.current.state).toBe('stopped');
  });
});

describe('line framing', () => {
  it('splits on CR, LF and CR LF, keeps partial lines, cuts a runaway line', () => {
    const f = new LineFramer(16);
    expect(f.push('abc\r')).toEqual(['abc']);
    expect(f.push('\ndef\nghi')).toEqual(['def']);
    expect(f.push('jkl\r\n\r\n')).toEqual(['ghijkl']);
    expect(f.push('x'.repeat(40))).toEqual([]);
    expect(f.push('\n')).toEqual(['x'.repeat(17)]);
    expect(f.push(Buffer.from([0xff, 0x41, 0x0a]))).toEqual(['\u00ffA']);
    expect(f.flush()).toBeNull();
  });
});

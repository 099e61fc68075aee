// Print figures for `npm run bench`: bytes of a standard redemption receipt (target < 2 KB),
// render time (target < 5 ms median), and transfer time at 9600 and 115200 baud — computed from the
// bytes at 10 bits a byte, and measured through a pty to the fake printer (a pty does not pace
// bytes at the baud rate, so the measured figure is the software path, not the wire).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliver } from '../print/deliver';
import { renderEscPos } from '../print/escpos';
import { startFakePrinter } from '../print/fakePrinter/server';
import { layoutReceipt } from '../print/layout';
import { parsePrinterUri } from '../print/printerUri';
import { sampleReceipt } from './sampleReceipt';

const STANDARD = sampleReceipt();

function stats(samples: number[]): { median: number; p99: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(3));
  return { median: at(0.5), p99: at(0.99) };
}

const render = (cols: 32 | 48) =>
  renderEscPos(layoutReceipt(STANDARD, { cols, lang: 'zh-CN', synced: false }), { commandSet: 'epson', encoding: 'gb18030' });

export async function benchPrint(): Promise<Record<string, unknown>> {
  const bytes80 = render(48).length;
  const bytes58 = render(32).length;
  for (let i = 0; i < 50; i++) render(48); // warm-up: translators, iconv tables
  const renderMs: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t0 = performance.now();
    render(48);
    renderMs.push(performance.now() - t0);
  }
  const wireMs = (baud: number, n: number) => Number(((n * 10 * 1000) / baud).toFixed(1));

  const measured: Record<string, unknown> = {};
  if (existsSync('/usr/bin/socat')) {
    const out = mkdtempSync(join(tmpdir(), 'ld-benchprint-'));
    const printer = await startFakePrinter({ port: 0, out, pty: true });
    try {
      const bytes = render(48);
      for (const baud of [9600, 115200]) {
        const spec = parsePrinterUri(`${printer.serialUri}?baud=${baud}`, printer.allow);
        const samples: number[] = [];
        for (let i = 0; i < 10; i++) samples.push((await deliver(spec, bytes)).ms);
        measured[`pty${baud}Ms`] = stats(samples);
      }
    } finally {
      await printer.close();
      rmSync(out, { recursive: true, force: true });
    }
  }
  return {
    receiptBytes80mm: bytes80,
    receiptBytes58mm: bytes58,
    receiptBytesTarget: 2048,
    renderMs: stats(renderMs),
    renderMsTarget: 5,
    transferMsComputed: { baud9600: wireMs(9600, bytes80), baud115200: wireMs(115200, bytes80) },
    transferMsMeasuredOverPty: measured,
    note: 'a pty does not pace bytes at its baud rate: the measured figures are status round trips and the software path, not wire time',
  };
}

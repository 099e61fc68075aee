// The fake printer: a real TCP server on 127.0.0.1 (and optionally a pty pair via socat for the
// serial path) that reads ESC/POS, writes every receipt (the bytes between cuts) to DIR as decoded
// text, JSON and raw .bin, answers DLE EOT, and plays the faults FaultControl says.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SerialPort } from 'serialport';
import type { CommandSet, PrinterEncoding } from '../escpos';
import { FaultControl, statusByte, type FaultState } from './faults';
import { EscPosParser, type ParsedJob } from './parser';

export interface FakePrinterOptions {
  port: number;
  out: string;
  pty?: boolean;
  commandSet?: CommandSet;
  encoding?: PrinterEncoding;
  fault?: Partial<FaultState>;
  /** Control file; DIR/control.json by default. */
  control?: string;
  log?: (line: string) => void;
}

export interface SavedReceipt extends Omit<ParsedJob, 'raw'> {
  n: number;
  file: string;
  bytes: number;
  source: 'tcp' | 'pty';
}

export interface FakePrinter {
  port: number;
  uri: string;
  /** serial:… address of the pty end a client opens, when started with pty. */
  serialUri: string | null;
  /**
   * What a desk's config.json must list to print here ("printerPorts", "serialPaths"): an ephemeral
   * port is no printer port and a pty in a folder no serial port (src/print/printerPolicy.ts).
   */
  allow: { ports: number[]; serialPaths: string[] };
  receipts: SavedReceipt[];
  /** Jobs thrown away because a fault was on when they were cut. */
  dropped: number;
  statusQueries: number;
  setFault(state: Partial<FaultState>): void;
  close(): Promise<void>;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

export async function startFakePrinter(opts: FakePrinterOptions): Promise<FakePrinter> {
  mkdirSync(opts.out, { recursive: true });
  const control = new FaultControl(opts.control ?? join(opts.out, 'control.json'), { fault: 'none', slowMs: 0, ...opts.fault });
  const log = opts.log ?? (() => {});
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let socat: ChildProcess | null = null;
  let ptyPort: SerialPort | null = null;

  const printer: FakePrinter = {
    port: 0,
    uri: '',
    serialUri: null,
    allow: { ports: [], serialPaths: [] },
    receipts: [],
    dropped: 0,
    statusQueries: 0,
    setFault: (s) => control.set(s),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      if (ptyPort?.isOpen) await new Promise<void>((r) => ptyPort!.close(() => r()));
      if (socat && socat.exitCode === null) {
        const exited = new Promise<void>((r) => socat!.once('exit', () => r()));
        socat.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
      }
    },
  };

  function save(job: ParsedJob, source: 'tcp' | 'pty'): void {
    const fault = control.current().fault;
    if (fault !== 'none' && fault !== 'paper-low') {
      printer.dropped++;
      log(JSON.stringify({ dropped: true, fault, bytes: job.raw.length }));
      return;
    }
    const n = printer.receipts.length + 1;
    const base = join(opts.out, `receipt-${String(n).padStart(4, '0')}`);
    const { raw, ...parsed } = job;
    writeFileSync(`${base}.bin`, raw);
    const text = [...parsed.lines, ...parsed.qr.map((q) => `[QR] ${q}`), ...parsed.barcodes.map((b) => `[CODE128] ${b}`)].join('\n');
    writeFileSync(`${base}.txt`, `${text}\n`);
    const saved: SavedReceipt = { n, file: `${base}.txt`, bytes: raw.length, source, ...parsed };
    writeFileSync(`${base}.json`, `${JSON.stringify(saved, null, 2)}\n`);
    printer.receipts.push(saved);
    log(JSON.stringify({ receipt: saved.file, bytes: raw.length, qr: parsed.qr, source }));
  }

  function attach(write: (b: Buffer) => void, source: 'tcp' | 'pty'): EscPosParser {
    return new EscPosParser({
      commandSet: opts.commandSet ?? 'epson',
      encoding: opts.encoding ?? 'gb18030',
      onJob: (job) => save(job, source),
      onStatusQuery: (n) => {
        printer.statusQueries++;
        const { fault, slowMs } = control.current();
        const reply = statusByte(n, fault);
        if (reply === null) return;
        if (slowMs === 0) return write(Buffer.from([reply]));
        const t = setTimeout(() => {
          timers.delete(t);
          write(Buffer.from([reply]));
        }, slowMs);
        timers.add(t);
      },
    });
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const parser = attach((b) => {
      if (!socket.destroyed) socket.write(b);
    }, 'tcp');
    socket.on('data', (chunk: Buffer) => parser.feed(chunk));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  printer.port = typeof address === 'object' && address ? address.port : opts.port;
  printer.uri = `tcp://127.0.0.1:${printer.port}`;
  printer.allow.ports.push(printer.port);

  if (opts.pty) {
    const client = join(opts.out, 'tty');
    const own = join(opts.out, 'tty.printer');
    socat = spawn('socat', [`PTY,link=${client},raw,echo=0`, `PTY,link=${own},raw,echo=0`], { stdio: 'ignore' });
    if (!(await waitFor(() => existsSync(client) && existsSync(own), 5000))) {
      await printer.close();
      throw new Error('socat did not create the pty pair within 5 s');
    }
    const { SerialPort } = await import('serialport'); // only for --pty: the fake printer's TCP side needs no serialport
    const port = new SerialPort({ path: own, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    ptyPort = port;
    const parser = attach((b) => {
      if (port.isOpen) port.write(b);
    }, 'pty');
    port.on('data', (chunk: Buffer) => parser.feed(chunk));
    port.on('error', () => {});
    printer.serialUri = `serial:${client}`;
    printer.allow.serialPaths.push(client);
  }
  return printer;
}

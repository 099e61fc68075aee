// A serial (RS-232 / USB-CDC) QR scanner: the port and baud from config.scanner.serial, line
// framing, and reconnection when it is unplugged and plugged back in. Lines go to onCode, which the
// host wires to the terminal's one scan path; status changes go to onStatus for the settings screen.
import { SerialPort } from 'serialport';
import { LineFramer } from './lineFramer';

export type SerialState = 'opening' | 'open' | 'waiting' | 'stopped';

export interface SerialStatus {
  state: SerialState;
  port: string;
  baud: number;
  /** Failed opens since the port was last open. */
  attempts: number;
  /** Why the port is not open (the OS's words), when it is not. */
  error: string | null;
  at: number;
}

export interface SerialScannerOptions {
  port: string;
  baud: number;
  onCode: (line: string) => void;
  onStatus?: (status: SerialStatus) => void;
  /** Reconnect waits grow from min to max ms. */
  retry?: { minMs: number; maxMs: number };
  /** A code with no line ending is taken as ended after this much silence (ms). */
  idleMs?: number;
  maxLineLength?: number;
}

export class SerialScanner {
  private port: SerialPort | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private framer: LineFramer;
  private running = false;
  private status: SerialStatus;

  constructor(private readonly options: SerialScannerOptions) {
    this.framer = new LineFramer(options.maxLineLength);
    this.status = { state: 'stopped', port: options.port, baud: options.baud, attempts: 0, error: null, at: Date.now() };
  }

  get current(): SerialStatus {
    return this.status;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.setStatus('stopped', null);
  }

  private setStatus(state: SerialState, error: string | null): void {
    this.status = { ...this.status, state, error, at: Date.now() };
    this.options.onStatus?.(this.status);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.retryTimer = null;
    this.idleTimer = null;
  }

  private open(): void {
    if (!this.running) return;
    this.setStatus('opening', this.status.error);
    const port = new SerialPort({ path: this.options.port, baudRate: this.options.baud, autoOpen: false });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('close', () => this.onLost(port, 'the port closed'));
    port.on('error', (err: Error) => this.onLost(port, err.message));
    port.open((err) => {
      if (port !== this.port) return;
      if (err) {
        this.onLost(port, err.message);
        return;
      }
      this.status = { ...this.status, attempts: 0 };
      this.setStatus('open', null);
    });
  }

  /** Unplugged, or not there yet: forget this port object and try again later. */
  private onLost(port: SerialPort, why: string): void {
    if (port !== this.port) return;
    this.port = null;
    port.removeAllListeners('data');
    if (port.isOpen) port.close(() => undefined);
    // Half a code cut off by the unplug is not a code: drop it rather than show "not a member code".
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.framer.flush();
    if (!this.running) return;
    const attempts = this.status.attempts + 1;
    this.status = { ...this.status, attempts };
    this.setStatus('waiting', why);
    const { minMs, maxMs } = this.options.retry ?? { minMs: 250, maxMs: 5000 };
    const wait = Math.min(maxMs, minMs * 2 ** Math.min(attempts - 1, 10));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, wait);
  }

  private onData(chunk: Buffer): void {
    for (const line of this.framer.push(chunk)) this.emit(line);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = this.framer.pending ? setTimeout(() => this.emitPending(), this.options.idleMs ?? 150) : null;
  }

  private emitPending(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const line = this.framer.flush();
    if (line !== null) this.emit(line);
  }

  private emit(line: string): void {
    const text = line.trim();
    if (text === '') return;
    try {
      this.options.onCode(text);
    } catch {
      // The scan path reports its own refusals; a throwing handler must not stop the scanner.
    }
  }
}

// Server-sent events to every open desk window: the desk's status (printer, HQ, pending sync,
// unprinted receipts) whenever it changes, plus whatever a device reports (e.g. a serial scanner).
import type { ServerResponse } from 'node:http';
import type { DeskEvent } from '../contract/terminalApi';

const HEARTBEAT_MS = 15_000;

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private lastStatus = '';
  private readonly poller: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly status: () => Promise<DeskEvent | null>,
    pollMs: number,
  ) {
    this.poller = setInterval(() => void this.refresh(), pollMs);
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), HEARTBEAT_MS);
    this.poller.unref();
    this.heartbeat.unref();
  }

  async add(res: ServerResponse): Promise<void> {
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    res.write('retry: 2000\n\n');
    const event = await this.status();
    if (!event) return;
    const text = frame(event);
    // Everyone gets a status they have not seen; the newcomer gets the current one either way.
    if (text !== this.lastStatus) {
      this.lastStatus = text;
      this.write(text);
    } else res.write(text);
  }

  /** Recomputes the status and sends it when it changed. Called after every API call too. */
  async refresh(): Promise<void> {
    if (this.clients.size === 0) return;
    const event = await this.status();
    if (!event) return;
    const text = frame(event);
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.write(text);
  }

  publish(event: DeskEvent): void {
    this.write(frame(event));
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

function frame(event: DeskEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

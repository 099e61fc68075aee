// One interface for every way a printer is attached. Opening and writing fail with a typed
// DeskError; a status query that gets no reply in time resolves to null (the caller decides).

export interface Transport {
  /** Whether the printer can answer status queries over this link (a device file cannot). */
  readonly answers: boolean;
  open(timeoutMs: number): Promise<void>;
  /** Resolves once the bytes have left this process (drained to the socket, port or device). */
  write(bytes: Buffer, timeoutMs: number): Promise<void>;
  /** Sends a real-time request and waits for one reply byte; null when none came in time. */
  query(request: Buffer, timeoutMs: number): Promise<number | null>;
  close(): Promise<void>;
}

/** Reply bytes arrive as a stream; a query takes the first byte that came after it was sent. */
export class ReplyBuffer {
  private bytes: number[] = [];
  private waiter: ((b: number) => void) | null = null;

  push(chunk: Buffer): void {
    for (const b of chunk) {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(b);
      } else if (this.bytes.length < 256) {
        this.bytes.push(b);
      }
    }
  }

  clear(): void {
    this.bytes = [];
  }

  next(timeoutMs: number): Promise<number | null> {
    const ready = this.bytes.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (b) => {
        clearTimeout(timer);
        resolve(b);
      };
    });
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function errorDetail(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? `${err.code}: ${err.message}` : err.message;
  return String(err);
}

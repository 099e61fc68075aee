// What the fake printer pretends is wrong, and the status bytes a real Epson would send for it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';

export const FAULTS = ['none', 'paper-low', 'paper-out', 'cover-open', 'error', 'offline'] as const;
export type Fault = (typeof FAULTS)[number];

export const faultStateSchema = z
  .object({
    fault: z.enum(FAULTS).default('none'),
    /** Delay before each status reply; beyond the client's timeout the printer is "not answering". */
    slowMs: z.number().int().min(0).max(60_000).default(0),
  })
  .strict();
export type FaultState = z.infer<typeof faultStateSchema>;

/** DLE EOT n reply for a fault; null for "offline", which answers nothing at all. */
export function statusByte(n: number, fault: Fault): number | null {
  if (fault === 'offline') return null;
  let b = 0x12;
  const stopped = fault === 'paper-out' || fault === 'cover-open' || fault === 'error';
  if (n === 1 && stopped) b |= 0x08;
  if (n === 2 && fault === 'cover-open') b |= 0x04;
  if (n === 2 && fault === 'paper-out') b |= 0x20;
  if (n === 2 && fault === 'error') b |= 0x40;
  if (n === 3 && fault === 'error') b |= 0x20;
  if (n === 4 && fault === 'paper-out') b |= 0x6c;
  if (n === 4 && fault === 'paper-low') b |= 0x0c;
  return b;
}

/**
 * The control file (DIR/control.json unless --control names another), re-read whenever it changes:
 *   echo '{"fault":"paper-out"}' > DIR/control.json      echo '{"slowMs":3000}' > DIR/control.json
 */
export class FaultControl {
  private state: FaultState;
  private seen = -1;
  constructor(
    private readonly file: string | null,
    initial: FaultState,
  ) {
    this.state = initial;
  }

  set(state: Partial<FaultState>): void {
    this.state = faultStateSchema.parse({ ...this.state, ...state });
  }

  current(): FaultState {
    if (this.file && existsSync(this.file)) {
      const mtime = statSync(this.file).mtimeMs;
      if (mtime !== this.seen) {
        this.seen = mtime;
        try {
          this.state = faultStateSchema.parse(JSON.parse(readFileSync(this.file, 'utf8')));
        } catch {
          // A half-written or wrong control file leaves the state as it was.
        }
      }
    }
    return this.state;
  }
}

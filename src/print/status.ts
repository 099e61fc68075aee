// Real-time printer status: DLE EOT 1..4 (printer, offline cause, error cause, paper sensor),
// one byte each, decoded into the one state staff need to act on.
import { DeskError, type DeskErrorCode } from '../contract/errors';
import type { DevicePrinterState as PrinterState } from '../contract/deskTypes';
import type { Transport } from './transport';

export interface PrinterStatus {
  state: PrinterState;
  /** The DLE EOT 1..4 replies as received (fewer when the printer stopped answering). */
  bytes: number[];
}

export const dleEot = (n: 1 | 2 | 3 | 4): Buffer => Buffer.from([0x10, 0x04, n]);

/** Every DLE EOT reply has bit 1 and 4 set and bit 0 and 7 clear. */
const wellFormed = (b: number): boolean => (b & 0x93) === 0x12;

export function decodeStatus(bytes: number[]): PrinterState {
  const [printer, offline, error, paper] = bytes;
  if (printer === undefined || offline === undefined || error === undefined || paper === undefined) return 'not-answering';
  if (!bytes.every(wellFormed)) return 'error';
  if (offline & 0x04) return 'cover-open';
  if (offline & 0x20 || (paper & 0x60) === 0x60) return 'paper-out';
  if (error & 0x68) return 'error';
  if (printer & 0x08) return 'offline';
  if ((paper & 0x0c) === 0x0c) return 'paper-low';
  return 'ready';
}

/** States in which a job may be sent. "unknown" is a printer that cannot answer (a device file). */
export function canPrint(state: PrinterState): boolean {
  return state === 'ready' || state === 'paper-low' || state === 'unknown';
}

export async function queryStatus(transport: Transport, deadline: number, perQueryMs = 1500): Promise<PrinterStatus> {
  if (!transport.answers) return { state: 'unknown', bytes: [] };
  const bytes: number[] = [];
  for (const n of [1, 2, 3, 4] as const) {
    const left = Math.min(perQueryMs, deadline - Date.now());
    const b = left > 0 ? await transport.query(dleEot(n), left) : null;
    if (b === null) break;
    bytes.push(b);
  }
  return { state: decodeStatus(bytes), bytes };
}

const STATE_ERRORS: Partial<Record<PrinterState, DeskErrorCode>> = {
  'paper-out': 'PRINTER_PAPER_OUT',
  'cover-open': 'PRINTER_COVER_OPEN',
  offline: 'PRINTER_OFFLINE',
  'not-answering': 'PRINTER_NOT_ANSWERING',
  error: 'PRINTER_ERROR',
};

export function stateError(uri: string, status: PrinterStatus): DeskError {
  const code = STATE_ERRORS[status.state] ?? 'PRINTER_ERROR';
  return new DeskError(code, { uri, state: status.state, detail: status.bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ') || 'no reply' });
}

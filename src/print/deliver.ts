// One job to one printer: status before, the bytes, status after. The job counts as printed only
// when the printer answered after taking every byte and is not in a fault.
import type { PrinterSpec } from './printerUri';
import { canPrint, queryStatus, stateError, type PrinterStatus } from './status';
import { openTransportFor, type Transport } from './transport';

export interface DeliveryTimeouts {
  /** Connect or open the port. */
  openMs: number;
  /** Each status query. */
  queryMs: number;
  /** Connect and status before the job together; a dead printer is reported within this. */
  beforeMs: number;
}

export const DEFAULT_TIMEOUTS: DeliveryTimeouts = { openMs: 2000, queryMs: 1500, beforeMs: 4500 };

export interface Delivery {
  before: PrinterStatus;
  after: PrinterStatus;
  bytes: number;
  ms: number;
}

/** Time the link needs for the bytes at its speed (10 bits a byte on a serial line), plus slack. */
function writeTimeoutMs(spec: PrinterSpec, bytes: number): number {
  const wire = spec.target.kind === 'serial' ? (bytes * 10 * 1000) / spec.target.baud : 0;
  return Math.ceil(wire * 2 + 5000);
}

export async function withPrinter<T>(spec: PrinterSpec, timeouts: DeliveryTimeouts, fn: (t: Transport, before: PrinterStatus) => Promise<T>): Promise<T> {
  const started = Date.now();
  const transport = openTransportFor(spec);
  try {
    await transport.open(timeouts.openMs);
    const before = await queryStatus(transport, started + timeouts.beforeMs, timeouts.queryMs);
    return await fn(transport, before);
  } finally {
    await transport.close().catch(() => undefined);
  }
}

export async function printStatus(spec: PrinterSpec, timeouts: DeliveryTimeouts = DEFAULT_TIMEOUTS): Promise<PrinterStatus> {
  return withPrinter(spec, timeouts, async (_t, before) => before);
}

export async function deliver(spec: PrinterSpec, bytes: Buffer, timeouts: DeliveryTimeouts = DEFAULT_TIMEOUTS): Promise<Delivery> {
  const started = Date.now();
  return withPrinter(spec, timeouts, async (transport, before) => {
    if (!canPrint(before.state)) throw stateError(spec.uri, before);
    await transport.write(bytes, writeTimeoutMs(spec, bytes.length));
    const after = await queryStatus(transport, Date.now() + timeouts.beforeMs, timeouts.queryMs);
    if (!canPrint(after.state)) throw stateError(spec.uri, after);
    return { before, after, bytes: bytes.length, ms: Date.now() - started };
  });
}


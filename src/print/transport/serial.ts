// A serial printer through serialport, so the baud rate is really set (node-thermal-printer
// writes serial ports as plain files).
import { createRequire } from 'node:module';
import type * as Serial from 'serialport';
import { DeskError } from '../../contract/errors';
import { ioReason } from '../../contract/ioReason';
import { errorDetail, ReplyBuffer, withTimeout, type Transport } from './transport';

function isMissing(err: unknown): boolean {
  return err instanceof Error && /no such file|ENOENT|cannot find|not found/i.test(err.message);
}

/** Loaded when a serial printer is used, not with the module: most commands never touch one. */
const serialport = (): typeof Serial => createRequire(import.meta.url)('serialport') as typeof Serial;

export function serialTransport(uri: string, path: string, baud: number): Transport {
  const port = new (serialport().SerialPort)({ path, baudRate: baud, autoOpen: false });
  const replies = new ReplyBuffer();
  port.on('data', (chunk: Buffer) => replies.push(chunk));
  port.on('error', () => {
    // Reported through the open/write/drain callbacks; this keeps an error from going unhandled.
  });

  return {
    answers: true,
    open(timeoutMs) {
      const opened = new Promise<void>((resolve, reject) => {
        port.open((err) => {
          if (!err) return resolve();
          if (isMissing(err)) return reject(new DeskError('PRINTER_PORT_MISSING', { uri, path, detail: errorDetail(err), why: ioReason(err) }, err));
          reject(new DeskError('PRINTER_UNREACHABLE', { uri, detail: errorDetail(err), why: ioReason(err) }, err));
        });
      });
      return withTimeout(opened, timeoutMs, () => new DeskError('PRINTER_UNREACHABLE', { uri, detail: `${path} did not open within ${timeoutMs} ms`, why: 'timeout' }));
    },
    write(bytes, timeoutMs) {
      const written = new Promise<void>((resolve, reject) => {
        port.write(bytes, (err) => {
          if (err) return reject(new DeskError('PRINTER_WRITE_FAILED', { uri, detail: errorDetail(err), why: ioReason(err) }, err));
          port.drain((e) => (e ? reject(new DeskError('PRINTER_WRITE_FAILED', { uri, detail: errorDetail(e), why: ioReason(e) }, e)) : resolve()));
        });
      });
      return withTimeout(written, timeoutMs, () => new DeskError('PRINTER_NOT_ANSWERING', { uri, detail: `the port took no data for ${timeoutMs} ms` }));
    },
    async query(request, timeoutMs) {
      if (!port.isOpen) return null;
      replies.clear();
      port.write(request);
      return replies.next(timeoutMs);
    },
    close() {
      return new Promise((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      });
    },
  };
}

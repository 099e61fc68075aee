// A network printer on a raw TCP port (9100).
import { isIP, Socket } from 'node:net';
import { DeskError } from '../../contract/errors';
import { ioReason } from '../../contract/ioReason';
import { errorDetail, ReplyBuffer, withTimeout, type Transport } from './transport';

export function tcpTransport(uri: string, host: string, port: number): Transport {
  const socket = new Socket();
  const replies = new ReplyBuffer();
  let failure: Error | null = null;
  socket.on('data', (chunk: Buffer) => replies.push(chunk));
  socket.on('error', (err) => {
    failure = err;
  });
  socket.setNoDelay(true);

  return {
    answers: true,
    open(timeoutMs) {
      const connected = new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', (err) => reject(new DeskError('PRINTER_UNREACHABLE', { uri, detail: errorDetail(err), why: ioReason(err) }, err)));
        // Addresses come parsed and held to printerPolicy.ts; a name here would still never be asked of DNS.
        if (isIP(host) === 0) return reject(new DeskError('PRINTER_ADDRESS_REFUSED', { uri, context: 'notIp' }));
        socket.connect({ host, port });
      });
      return withTimeout(connected, timeoutMs, () => {
        socket.destroy();
        return new DeskError('PRINTER_UNREACHABLE', { uri, detail: `no connection within ${timeoutMs} ms`, why: 'timeout' });
      });
    },
    write(bytes, timeoutMs) {
      const written = new Promise<void>((resolve, reject) => {
        if (failure) return reject(new DeskError('PRINTER_WRITE_FAILED', { uri, detail: errorDetail(failure), why: ioReason(failure) }, failure));
        socket.write(bytes, (err) => (err ? reject(new DeskError('PRINTER_WRITE_FAILED', { uri, detail: errorDetail(err), why: ioReason(err) }, err)) : resolve()));
      });
      return withTimeout(written, timeoutMs, () => new DeskError('PRINTER_NOT_ANSWERING', { uri, detail: `the printer took no data for ${timeoutMs} ms` }));
    },
    async query(request, timeoutMs) {
      if (failure || socket.destroyed) return null;
      replies.clear();
      socket.write(request);
      return replies.next(timeoutMs);
    },
    close() {
      return new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1000);
        socket.end(() => {
          clearTimeout(timer);
          socket.destroy();
          resolve();
        });
      });
    },
  };
}

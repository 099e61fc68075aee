// A printer behind a device file (/dev/usb/lp0): bytes go in, nothing comes back, so its status
// is "unknown" and a job counts as printed once the kernel took every byte.
import { open, type FileHandle } from 'node:fs/promises';
import { DeskError } from '../../contract/errors';
import { ioReason } from '../../contract/ioReason';
import { errorDetail, withTimeout, type Transport } from './transport';

export function deviceTransport(uri: string, path: string): Transport {
  let handle: FileHandle | null = null;
  return {
    answers: false,
    open(timeoutMs) {
      // 'r+' never creates a file: a device that is not there is PRINTER_PORT_MISSING, not a new file.
      const opened = open(path, 'r+').then(
        (h) => {
          handle = h;
        },
        (err: unknown) => {
          const code = err instanceof Error && 'code' in err ? err.code : '';
          if (code === 'ENOENT' || code === 'ENODEV' || code === 'ENXIO') throw new DeskError('PRINTER_PORT_MISSING', { uri, path, detail: errorDetail(err), why: ioReason(err) }, err);
          throw new DeskError('PRINTER_UNREACHABLE', { uri, detail: errorDetail(err), why: ioReason(err) }, err);
        },
      );
      return withTimeout(opened, timeoutMs, () => new DeskError('PRINTER_UNREACHABLE', { uri, detail: `${path} did not open within ${timeoutMs} ms`, why: 'timeout' }));
    },
    async write(bytes, timeoutMs) {
      const h = handle;
      if (!h) throw new DeskError('PRINTER_WRITE_FAILED', { uri, detail: 'not open' });
      const written = (async () => {
        let off = 0;
        while (off < bytes.length) off += (await h.write(bytes, off)).bytesWritten;
      })().catch((err: unknown) => {
        throw new DeskError('PRINTER_WRITE_FAILED', { uri, detail: errorDetail(err), why: ioReason(err) }, err);
      });
      await withTimeout(written, timeoutMs, () => new DeskError('PRINTER_NOT_ANSWERING', { uri, detail: `the device took no data for ${timeoutMs} ms` }));
    },
    async query() {
      return null;
    },
    async close() {
      await handle?.close();
      handle = null;
    },
  };
}

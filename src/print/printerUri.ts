// Printer addresses: where the printer is and how it speaks, in one string (config.json "printer"):
//   tcp://192.168.1.50:9100            network printer (port 9100 by default)
//   serial:/dev/ttyUSB0?baud=115200    serial port (9600 baud by default)
//   /dev/usb/lp0  or  file:/dev/usb/lp0  a device file (USB printer class)
// Options on any of them: cols=32|48 (58/80 mm), encoding=gb18030|gbk|big5, set=epson|star, lang=zh-CN|zh-TW|en.
// Every address parsed here is also held to where a printer may be (printerPolicy.ts): refused ones
// are PRINTER_ADDRESS_REFUSED before anything connects.
import { z } from 'zod';
import { DeskError } from '../contract/errors';
import { LANGS, type Lang } from '../loyalty/types';
import type { PaperCols } from './doc';
import type { CommandSet, PrinterEncoding } from './escpos';
import { allowedPortsText, refusalOf, type PrinterAllowance } from './printerPolicy';

export type PrinterTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baud: number }
  | { kind: 'file'; path: string };

export interface PrinterSpec {
  uri: string;
  target: PrinterTarget;
  cols: PaperCols;
  encoding: PrinterEncoding;
  commandSet: CommandSet;
  /** The printer's language when the address names one; the terminal's otherwise. */
  lang: Lang | null;
}

const BAUDS = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400] as const;

const optionsSchema = z
  .object({
    cols: z.enum(['32', '48']).default('48').transform((c) => Number(c) as PaperCols),
    encoding: z.enum(['gb18030', 'gbk', 'big5']).default('gb18030'),
    set: z.enum(['epson', 'star']).default('epson'),
    lang: z.enum(LANGS).optional(),
    baud: z
      .string()
      .regex(/^\d+$/, 'baud must be a number')
      .transform(Number)
      .pipe(z.union(BAUDS.map((b) => z.literal(b)) as [z.ZodLiteral<number>, ...z.ZodLiteral<number>[]]))
      .optional(),
  })
  .strict();

const hostSchema = z
  .string()
  .min(1, 'a host is required')
  .max(253)
  .regex(/^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/, 'the host is not a name or an address');
// Plain digits only: Number() would also read 0x238c, 1e4 or ' 9100' as a port.
const portSchema = z.string().regex(/^[1-9]\d{0,4}$/, 'a port is a number 1–65535').transform(Number).pipe(z.number().max(65535));
const devicePathSchema = z.string().regex(/^\/[^\0?]*$/, 'a device path starts with /').max(4096);
const serialPathSchema = z.string().regex(/^\/[^\0?]*$|^COM\d{1,3}$/i, 'a serial port is a path starting with / or COMn').max(4096);
// A printer address is a setting a manager can change from the desk: a "device file" must really be
// a device, or receipts could be appended to any file the desk may write.
const deviceFileSchema = devicePathSchema.refine(
  (p) => p.startsWith('/dev/') && !p.split('/').includes('..'),
  'a printer device file is under /dev/',
);

function invalid(uri: string, detail: string): DeskError {
  return new DeskError('PRINTER_URI_INVALID', { uri, detail });
}

function checked<T>(uri: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw invalid(uri, r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  return r.data;
}

/**
 * Parses a printer address and holds it to where a printer may be: `allow` is what the desk's
 * config.json adds (printerPorts, serialPaths). Throws PRINTER_URI_INVALID (not an address) or
 * PRINTER_ADDRESS_REFUSED (an address the desk does not print to); never connects, never asks DNS.
 */
export function parsePrinterUri(raw: string, allow: PrinterAllowance = {}): PrinterSpec {
  const uri = raw.trim();
  if (uri.length === 0 || uri.length > 4096) throw invalid(raw, 'empty or too long');
  const [head = '', query = ''] = uri.split('?', 2);
  const options = checked(uri, optionsSchema, Object.fromEntries(new URLSearchParams(query)));
  let target: PrinterTarget;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(head)?.[1]?.toLowerCase();
  if (scheme === 'tcp') {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]*)(?::([^/]*))?\/?$/i.exec(head);
    if (!m) throw invalid(uri, 'expected tcp://host:port');
    const host = checked(uri, hostSchema, m[1]).replace(/^\[|\]$/g, '');
    target = { kind: 'tcp', host, port: m[2] === undefined ? 9100 : checked(uri, portSchema, m[2]) };
  } else if (scheme === 'serial') {
    target = { kind: 'serial', path: checked(uri, serialPathSchema, head.slice('serial:'.length)), baud: options.baud ?? 9600 };
  } else if (scheme === 'file') {
    target = { kind: 'file', path: checked(uri, deviceFileSchema, head.slice('file:'.length).replace(/^\/\/(?=\/)/, '')) };
  } else if (scheme === undefined && head.startsWith('/')) {
    target = { kind: 'file', path: checked(uri, deviceFileSchema, head) };
  } else {
    throw invalid(uri, `unknown scheme "${scheme ?? head}"`);
  }
  if (options.baud !== undefined && target.kind !== 'serial') throw invalid(uri, 'baud is for serial printers only');
  const refusal = refusalOf(target, allow);
  if (refusal !== null) {
    throw new DeskError('PRINTER_ADDRESS_REFUSED', { uri, context: refusal, ports: allowedPortsText(allow), ...(target.kind === 'tcp' ? { port: target.port } : {}) });
  }
  return { uri, target, cols: options.cols, encoding: options.encoding, commandSet: options.set, lang: options.lang ?? null };
}

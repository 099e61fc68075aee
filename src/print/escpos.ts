// A laid-out document as printer bytes. node-thermal-printer gives the Epson and Star command sets
// (styles, cut, Epson QR); Chinese text is encoded here (its CHINA set is GB2312 only and never
// enters Chinese mode), and the Star QR and Epson Code128 set C are written here (see docs/print.md).
import { createRequire } from 'node:module';
import iconv from 'iconv-lite';
import type * as Ntp from 'node-thermal-printer';
import { assertAscii, type PrintDoc } from './doc';
import { printable } from './text';

// Loaded on the first receipt, not with the module: a command that prints nothing starts without it.
let ntp: typeof Ntp | null = null;
const thermalPrinter = (): typeof Ntp => (ntp ??= createRequire(import.meta.url)('node-thermal-printer') as typeof Ntp);

export type CommandSet = 'epson' | 'star';
export type PrinterEncoding = 'gb18030' | 'gbk' | 'big5';

export interface EscPosOptions {
  commandSet: CommandSet;
  encoding: PrinterEncoding;
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
/** FS & — Chinese (two-byte) character mode on; ESC @ turns it off again. */
export const CHINESE_MODE_ON = Buffer.from([FS, 0x26]);

export function encodeText(text: string, encoding: PrinterEncoding): Buffer {
  return iconv.encode(text, encoding);
}

function starQr(data: string, cellSize: number): Buffer {
  const bytes = Buffer.from(assertAscii(data), 'ascii');
  return Buffer.concat([
    Buffer.from([ESC, GS, 0x79, 0x53, 0x30, 0x02]), // model 2
    Buffer.from([ESC, GS, 0x79, 0x53, 0x31, 0x01]), // error correction M
    Buffer.from([ESC, GS, 0x79, 0x53, 0x32, cellSize]),
    Buffer.from([ESC, GS, 0x79, 0x44, 0x31, 0x00, bytes.length & 0xff, bytes.length >> 8]),
    bytes,
    Buffer.from([ESC, GS, 0x79, 0x50]),
  ]);
}

/** GS k 73 in code set C: each data byte is one pair of digits. */
function epsonCode128C(digits: string): Buffer {
  const pairs: number[] = [];
  for (let i = 0; i < digits.length; i += 2) pairs.push(Number(digits.slice(i, i + 2)));
  return Buffer.concat([
    Buffer.from([GS, 0x48, 0x00]), // no human-readable line: the id is printed above
    Buffer.from([GS, 0x77, 0x02]),
    Buffer.from([GS, 0x68, 0x50]),
    Buffer.from([GS, 0x6b, 73, pairs.length + 2, 0x7b, 0x43, ...pairs]),
  ]);
}

export function renderEscPos(doc: PrintDoc, opts: EscPosOptions): Buffer {
  const { ThermalPrinter, BreakLine } = thermalPrinter();
  const p = new ThermalPrinter({ type: opts.commandSet as Ntp.PrinterTypes, interface: '', width: doc.cols, breakLine: BreakLine.NONE });
  const lf = Buffer.from([0x0a]);
  p.add(Buffer.from([ESC, 0x40]));
  p.add(CHINESE_MODE_ON);
  for (const block of doc.blocks) {
    switch (block.t) {
      case 'text':
        if (block.bold) p.bold(true);
        if (block.tall) p.setTextDoubleHeight();
        // Layouts pass names through printable() already; here again, so no line of any layout (an id
        // included) can carry a control byte to the printer as a command.
        for (const line of block.lines) p.add(Buffer.concat([encodeText(printable(line), opts.encoding), lf]));
        if (block.tall) p.setTextNormal();
        if (block.bold) p.bold(false);
        break;
      case 'rule':
        p.add(Buffer.concat([Buffer.from((block.char ?? '-').repeat(doc.cols), 'ascii'), lf]));
        break;
      case 'feed':
        for (let i = 0; i < block.lines; i++) p.add(lf);
        break;
      case 'qr':
        p.alignCenter();
        if (opts.commandSet === 'star') p.add(starQr(block.data, doc.cols === 48 ? 6 : 5));
        else p.printQR(assertAscii(block.data), { cellSize: doc.cols === 48 ? 6 : 5, correction: 'M', model: 2 });
        p.add(lf);
        p.alignLeft();
        break;
      case 'barcode':
        p.alignCenter();
        if (opts.commandSet === 'star') p.code128(block.digits, { text: 1, width: 'SMALL', height: 80 });
        else p.add(epsonCode128C(block.digits));
        p.add(lf);
        p.alignLeft();
        break;
    }
  }
  p.partialCut();
  return p.getBuffer();
}

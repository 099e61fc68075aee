// A streaming ESC/POS reader for the fake printer: text decoded back to UTF-8 line by line, QR and
// Code128 payloads pulled out, real-time status queries reported as they arrive, a job cut at each cut.
import iconv from 'iconv-lite';
import type { CommandSet, PrinterEncoding } from '../escpos';

export interface ParsedJob {
  lines: string[];
  qr: string[];
  barcodes: string[];
  /** Things a real printer would print wrong (text outside Chinese mode, raster images, unknown bytes). */
  warnings: string[];
  raw: Buffer;
}

export interface ParserOptions {
  commandSet: CommandSet;
  encoding: PrinterEncoding;
  onStatusQuery: (n: number) => void;
  onJob: (job: ParsedJob) => void;
}

const NEED_MORE = -1;
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

function decodeBarcode(data: Buffer): string {
  if (data[0] === 0x7b && data[1] === 0x43) return [...data.subarray(2)].map((b) => String(b).padStart(2, '0')).join('');
  return data.toString('latin1').replace(/\{[A-C]/g, '');
}

export class EscPosParser {
  private pending: Buffer = Buffer.alloc(0);
  private job: ParsedJob = EscPosParser.emptyJob();
  private line: number[] = [];
  private chinese = false;
  private storedQr: string | null = null;

  constructor(private readonly opts: ParserOptions) {}

  private static emptyJob(): ParsedJob {
    return { lines: [], qr: [], barcodes: [], warnings: [], raw: Buffer.alloc(0) };
  }

  feed(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let i = 0;
    while (i < this.pending.length) {
      const used = this.step(this.pending, i);
      if (used === NEED_MORE) break;
      i += used;
    }
    this.pending = this.pending.subarray(i);
  }

  private keep(buf: Buffer, i: number, n: number): number {
    this.job.raw = Buffer.concat([this.job.raw, buf.subarray(i, i + n)]);
    return n;
  }

  private endLine(): void {
    const bytes = Buffer.from(this.line);
    if (!this.chinese && bytes.some((b) => b >= 0x80)) this.job.warnings.push('non-ASCII text outside Chinese mode (FS &)');
    this.job.lines.push(iconv.decode(bytes, this.opts.encoding));
    this.line = [];
  }

  private cut(): void {
    if (this.line.length) this.endLine();
    const job = this.job;
    this.job = EscPosParser.emptyJob();
    this.opts.onJob(job);
  }

  /** Length of the command at i (kept in the job's raw bytes), or NEED_MORE. */
  private step(buf: Buffer, i: number): number {
    const b = buf[i]!;
    const at = (k: number): number | undefined => buf[i + k];
    const has = (n: number): boolean => i + n <= buf.length;
    if (b >= 0x20) {
      this.line.push(b);
      return this.keep(buf, i, 1);
    }
    if (b === 0x0a) {
      this.endLine();
      return this.keep(buf, i, 1);
    }
    if (b === 0x0d || b === 0x0c || b === 0x0b || b === 0x09) return this.keep(buf, i, 1);
    if (b === DLE) {
      if (!has(3)) return NEED_MORE;
      if (at(1) === 0x04) {
        this.opts.onStatusQuery(at(2)!);
        return 3; // real-time: answered, not part of the job
      }
      if (at(1) === 0x05) return 3;
      if (at(1) === 0x14) return has(5) ? 5 : NEED_MORE;
      this.job.warnings.push(`unknown DLE ${at(1)}`);
      return 1;
    }
    if (b === FS) {
      if (!has(2)) return NEED_MORE;
      const c = at(1)!;
      if (c === 0x26) this.chinese = true;
      else if (c === 0x2e) this.chinese = false;
      else if (c === 0x53) return has(4) ? this.keep(buf, i, 4) : NEED_MORE;
      else if ([0x21, 0x43, 0x2d, 0x57].includes(c)) return has(3) ? this.keep(buf, i, 3) : NEED_MORE;
      return this.keep(buf, i, 2);
    }
    if (b === ESC) return this.esc(buf, i);
    if (b === GS) return this.gs(buf, i);
    this.job.warnings.push(`unknown control byte 0x${b.toString(16)}`);
    return this.keep(buf, i, 1);
  }

  private esc(buf: Buffer, i: number): number {
    if (i + 2 > buf.length) return NEED_MORE;
    const c = buf[i + 1]!;
    const star = this.opts.commandSet === 'star';
    const fixed = (n: number): number => (i + n <= buf.length ? this.keep(buf, i, n) : NEED_MORE);
    if (c === 0x40) {
      this.chinese = false;
      return fixed(2);
    }
    if (star) {
      if (c === 0x45 || c === 0x46 || c === 0x30) return fixed(2); // bold on/off, line spacing
      if (c === 0x64) {
        if (i + 3 > buf.length) return NEED_MORE;
        this.keep(buf, i, 3);
        this.cut();
        return 3;
      }
      if (c === 0x69) return fixed(4);
      if (c === 0x1e) return fixed(4);
      if (c === 0x62) {
        const end = buf.indexOf(0x1e, i + 6);
        if (end < 0) return NEED_MORE;
        this.job.barcodes.push(buf.subarray(i + 6, end).toString('latin1'));
        return this.keep(buf, i, end + 1 - i);
      }
      if (c === GS) return this.starGs(buf, i);
    }
    if (c === 0x70) return fixed(5);
    if (c === 0x24) return fixed(4);
    if (c === 0x32) return fixed(2);
    if ([0x21, 0x45, 0x2d, 0x61, 0x64, 0x4a, 0x52, 0x74, 0x4d, 0x47, 0x56, 0x7b, 0x33, 0x72, 0x20].includes(c)) return fixed(3);
    this.job.warnings.push(`unknown ESC 0x${c.toString(16)}`);
    return fixed(2);
  }

  private starGs(buf: Buffer, i: number): number {
    if (i + 4 > buf.length) return NEED_MORE;
    const c = buf[i + 2]!;
    const fixed = (n: number): number => (i + n <= buf.length ? this.keep(buf, i, n) : NEED_MORE);
    if (c === 0x61 || c === 0x74) return fixed(4);
    if (c === 0x79) {
      const fn = buf[i + 3];
      if (fn === 0x53) return fixed(6);
      if (fn === 0x50) {
        if (this.storedQr !== null) this.job.qr.push(this.storedQr);
        return fixed(4);
      }
      if (fn === 0x44) {
        if (i + 8 > buf.length) return NEED_MORE;
        const len = buf[i + 6]! + buf[i + 7]! * 256;
        if (i + 8 + len > buf.length) return NEED_MORE;
        this.storedQr = buf.subarray(i + 8, i + 8 + len).toString('latin1');
        return this.keep(buf, i, 8 + len);
      }
    }
    this.job.warnings.push(`unknown ESC GS 0x${c.toString(16)}`);
    return fixed(3);
  }

  private gs(buf: Buffer, i: number): number {
    if (i + 2 > buf.length) return NEED_MORE;
    const c = buf[i + 1]!;
    const fixed = (n: number): number => (i + n <= buf.length ? this.keep(buf, i, n) : NEED_MORE);
    if (c === 0x56) {
      if (i + 3 > buf.length) return NEED_MORE;
      const n = [65, 66, 97, 98, 103, 104].includes(buf[i + 2]!) ? 4 : 3;
      if (i + n > buf.length) return NEED_MORE;
      this.keep(buf, i, n);
      this.cut();
      return n;
    }
    if (c === 0x28) {
      if (i + 5 > buf.length) return NEED_MORE;
      const len = buf[i + 3]! + buf[i + 4]! * 256;
      if (i + 5 + len > buf.length) return NEED_MORE;
      if (buf[i + 2] === 0x6b && buf[i + 5] === 0x31) {
        if (buf[i + 6] === 0x50) this.storedQr = buf.subarray(i + 8, i + 5 + len).toString('latin1');
        if (buf[i + 6] === 0x51 && this.storedQr !== null) this.job.qr.push(this.storedQr);
      }
      return this.keep(buf, i, 5 + len);
    }
    if (c === 0x6b) {
      if (i + 3 > buf.length) return NEED_MORE;
      const m = buf[i + 2]!;
      if (m <= 6) {
        const end = buf.indexOf(0x00, i + 3);
        if (end < 0) return NEED_MORE;
        this.job.barcodes.push(buf.subarray(i + 3, end).toString('latin1'));
        return this.keep(buf, i, end + 1 - i);
      }
      if (i + 4 > buf.length) return NEED_MORE;
      const n = buf[i + 3]!;
      if (i + 4 + n > buf.length) return NEED_MORE;
      this.job.barcodes.push(decodeBarcode(buf.subarray(i + 4, i + 4 + n)));
      return this.keep(buf, i, 4 + n);
    }
    if (c === 0x76) {
      if (i + 8 > buf.length) return NEED_MORE;
      const len = (buf[i + 4]! + buf[i + 5]! * 256) * (buf[i + 6]! + buf[i + 7]! * 256);
      if (i + 8 + len > buf.length) return NEED_MORE;
      this.job.warnings.push('raster image');
      return this.keep(buf, i, 8 + len);
    }
    if (c === 0x4c || c === 0x57) return fixed(4);
    if ([0x21, 0x42, 0x48, 0x66, 0x68, 0x77, 0x72, 0x61, 0x49].includes(c)) return fixed(3);
    this.job.warnings.push(`unknown GS 0x${c.toString(16)}`);
    return fixed(2);
  }
}

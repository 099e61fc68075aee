import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { docLines } from '../../src/print/doc';
import { renderEscPos, type CommandSet, type PrinterEncoding } from '../../src/print/escpos';
import { EscPosParser, type ParsedJob } from '../../src/print/fakePrinter/parser';
import { layoutReceipt } from '../../src/print/layout';
import { barcodeDigitsForOpId, opIdFromBarcodeDigits } from '../../src/print/opIdCode';
import { renderReceiptPreview } from '../../src/print/preview';
import { parsePrinterUri } from '../../src/print/printerUri';
import { parseReceiptModel } from '../../src/print/receiptSchema';
import { decodeStatus } from '../../src/print/status';
import { textWidth, wrap } from '../../src/print/text';
import { layoutZReport, zReportSchema } from '../../src/print/zReport';
import { readQrModules } from '../helpers/readQr';
import { OP_ID, model, Z_REPORT } from './fixtures';

function parse(bytes: Buffer, commandSet: CommandSet, encoding: PrinterEncoding): { jobs: ParsedJob[]; queries: number[] } {
  const jobs: ParsedJob[] = [];
  const queries: number[] = [];
  const p = new EscPosParser({ commandSet, encoding, onJob: (j) => jobs.push(j), onStatusQuery: (n) => queries.push(n) });
  // Fed in small pieces, as a socket may deliver it, so commands split across chunks are exercised.
  for (let i = 0; i < bytes.length; i += 7) p.feed(bytes.subarray(i, i + 7));
  return { jobs, queries };
}

describe('receipt layout', () => {
  it.each([32, 48] as const)('fits every line into %i columns, counting a Chinese character as two', (cols) => {
    for (const kind of ['redeem', 'exchange', 'cash', 'donate', 'earn', 'void'] as const) {
      for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
        const lines = docLines(layoutReceipt(model({ kind, targetOpId: kind === 'void' ? OP_ID : null }), { cols, lang, synced: false }));
        for (const line of lines) expect(textWidth(line), `${kind}/${lang}: ${line}`).toBeLessThanOrEqual(cols);
      }
    }
  });

  it('shows store, staff, time, masked member, tier, benefit, value and points before and after', () => {
    const text = docLines(layoutReceipt(model({ pointsBefore: 1500, pointsAfter: 1000 }), { cols: 48, lang: 'zh-CN', synced: false })).join('\n');
    for (const part of ['上海南京西路店', '权益核销', 'SH001-T1', '王芳', '2026-11-23 10:00', '张* ****1234', '进阶', '满100减20代金券', '￥20.00', '￥120.00', '1,500', '-500', '1,000', OP_ID]) {
      expect(text).toContain(part);
    }
    expect(text).toContain('离线 — 待同步');
    expect(text).not.toContain('13812341234');
  });

  it('drops the offline line once the operation is synced and says COPY on a reprint', () => {
    const synced = docLines(layoutReceipt(model(), { cols: 32, lang: 'en', synced: true })).join('\n');
    expect(synced).not.toContain('OFFLINE');
    const copy = docLines(layoutReceipt(model({ copy: true }), { cols: 32, lang: 'zh-CN', synced: false })).join('\n');
    expect(copy).toContain('重印');
    expect(docLines(layoutReceipt(model({ copy: true }), { cols: 32, lang: 'en', synced: false })).join('\n')).toContain('COPY');
  });

  it('gives a void its target and approver, and an earning its points', () => {
    const v = docLines(layoutReceipt(model({ kind: 'void', targetOpId: OP_ID, approvedBy: { id: 'mgr-01', name: '李店长' } }), { cols: 32, lang: 'zh-CN', synced: false })).join('\n');
    expect(v).toContain('撤销单号');
    expect(v).toContain('李店长');
    expect(v).toContain('019ab1c2-3d4e-7f00-8a1b-');
    const e = docLines(layoutReceipt(model({ kind: 'earn', subject: null, pointsBefore: 100, pointsAfter: 220 }), { cols: 32, lang: 'en', synced: true })).join('\n');
    expect(e).toContain('+120');
    expect(e).toContain('Points earned');
    expect(e).not.toContain('Approved by');
    // An earn above the approval threshold names the manager who approved it, as a void does.
    const approved = docLines(layoutReceipt(model({ kind: 'earn', subject: null, approvedBy: { id: 'mgr-01', name: '李店长' } }), { cols: 32, lang: 'zh-CN', synced: true })).join('\n');
    expect(approved).toMatch(/批准人\s+李店长/);
  });

  it('prints the audit mark of the operation, so the paper anchors the log; a stored receipt without one still prints', () => {
    const marked = docLines(layoutReceipt(parseReceiptModel(model({ audit: { seq: 1234, mark: '0a1b2c3d' } })), { cols: 32, lang: 'zh-CN', synced: true })).join('\n');
    expect(marked).toMatch(/审计\s+#1234 · 0a1b2c3d/);
    expect(docLines(layoutReceipt(model({}), { cols: 32, lang: 'zh-CN', synced: true })).join('\n')).not.toContain('审计');
    expect(() => parseReceiptModel(model({ audit: { seq: 1, mark: 'XYZ' } }))).toThrow();
  });

  it('wraps long Latin text at spaces and never splits a line wider than the paper', () => {
    expect(wrap('Thank you for shopping with us today', 12)).toEqual(['Thank you', 'for shopping', 'with us', 'today']);
    expect(wrap('会员服务台会员服务台', 8)).toEqual(['会员服务', '台会员服', '务台']);
  });

  it.each(['zh-CN', 'zh-TW', 'en'] as const)('prints what a return left the member owing in %s, at 32 and 48 columns, read back by the fake printer', (lang) => {
    const tr = createTranslator(lang);
    const ret = model({
      kind: 'return', subject: null, valueFen: 0, amountFen: 50_000, targetOpId: OP_ID, pointsBefore: 150, pointsAfter: -300,
      returned: { lines: [{ category: 'general', amountFen: 50_000, points: 500 }], shortfall: 50, owed: 300, tierChange: null },
    });
    const encoding = lang === 'zh-TW' ? 'big5' : 'gb18030';
    for (const cols of [32, 48] as const) {
      const { jobs } = parse(renderEscPos(layoutReceipt(parseReceiptModel(JSON.parse(JSON.stringify(ret))), { cols, lang, synced: true }), { commandSet: 'epson', encoding }), 'epson', encoding);
      const lines = jobs[0]!.lines;
      for (const line of lines) expect(textWidth(line), `${lang}/${cols}: ${line}`).toBeLessThanOrEqual(cols);
      expect(jobs[0]!.warnings, `${lang}/${cols}`).toEqual([]);
      const owedLine = lines.find((l) => l.startsWith(tr.t('receipt.owed')));
      expect(owedLine, `${lang}/${cols}: ${lines.join(' | ')}`).toMatch(/\s300$/);
      // The note under it says how the debt goes away, whole (wrapped, never cut).
      const at = lines.indexOf(owedLine!);
      expect(lines.slice(at + 1, at + 4).join(' ').replace(/\s+/g, lang === 'en' ? ' ' : '')).toContain(tr.t('receipt.owedNote'));
      expect(lines.join('\n')).toMatch(new RegExp(`${tr.t('receipt.pointsAfter')}\\s+-300`));
    }
    // Nothing owed, or a receipt stored before the line existed: no owed line.
    for (const returned of [{ lines: [], shortfall: 0, owed: 0, tierChange: null }, { lines: [], shortfall: 0, tierChange: null }]) {
      const text = docLines(layoutReceipt(parseReceiptModel(model({ kind: 'return', targetOpId: OP_ID, returned })), { cols: 32, lang, synced: true })).join('\n');
      expect(text).not.toContain(tr.t('receipt.owed'));
    }
  });

  it('reads stored receipts written before `copy` existed, and refuses a malformed one', () => {
    const { copy: _copy, ...old } = model();
    expect(parseReceiptModel(JSON.parse(JSON.stringify(old))).opId).toBe(OP_ID);
    expect(() => parseReceiptModel({ ...old, valueFen: 'lots' })).toThrow();
  });
});

describe('the operation id on paper', () => {
  it.each(['zh-CN', 'zh-TW', 'en'] as const)('is one line at 32 and 48 columns in %s, and the printed QR carries the whole id', (lang) => {
    const label = createTranslator(lang).t('receipt.opId');
    const groups = OP_ID.split('-');
    for (const cols of [32, 48] as const) {
      const doc = layoutReceipt(model(), { cols, lang, synced: true });
      const lines = docLines(doc);
      const at = lines.findIndex((l) => l.startsWith(label));
      expect(at, `${lang}/${cols}`).toBeGreaterThanOrEqual(0);
      // The id's line, whole: at 48 the full id; at 32 a short form that is not broken over two lines.
      const shown = cols === 48 ? OP_ID : `${OP_ID.slice(0, 8)}..${OP_ID.slice(-8)}`;
      expect(lines[at]!.endsWith(shown) || lines[at + 1]?.trim() === shown, `${lang}/${cols}: ${lines.slice(at, at + 2).join(' | ')}`).toBe(true);
      // No line holds a piece of the id broken off (the middle groups alone, as the old wrap printed them).
      expect(lines.filter((l) => l.trim().startsWith(groups[2]!) || l.trim().startsWith(groups[3]!))).toEqual([]);
      // The fake printer reads the QR back as the whole id: returns and reprints scan it.
      const { jobs } = parse(renderEscPos(doc, { commandSet: 'epson', encoding: lang === 'zh-TW' ? 'big5' : 'gb18030' }), 'epson', lang === 'zh-TW' ? 'big5' : 'gb18030');
      expect(jobs[0]!.qr).toEqual([OP_ID]);
    }
  });
});

describe('ESC/POS bytes', () => {
  it.each([
    ['epson', 'gb18030', 'zh-CN', 48],
    ['epson', 'gbk', 'zh-CN', 32],
    ['star', 'gb18030', 'en', 48],
    ['epson', 'big5', 'zh-TW', 32],
  ] as const)('%s / %s / %s / %i: decode back to the laid-out lines, QR = operation id', (set, encoding, lang, cols) => {
    const m = model(lang === 'zh-TW' ? { member: { ...model().member, maskedName: '陳*' }, staff: { id: 'clerk-01', name: '黃美玲' } } : {});
    const doc = layoutReceipt(m, { cols, lang, synced: false });
    const bytes = renderEscPos(doc, { commandSet: set, encoding });
    const { jobs } = parse(bytes, set, encoding);
    expect(jobs).toHaveLength(1);
    const job = jobs[0]!;
    expect(job.warnings).toEqual([]);
    expect(job.lines).toEqual(docLines(doc));
    expect(job.qr).toEqual([OP_ID]);
    if (cols === 48) expect(job.barcodes.map(opIdFromBarcodeDigits)).toEqual([OP_ID]);
    expect(bytes.includes(Buffer.from([0x1c, 0x26]))).toBe(true); // FS & — Chinese mode
    expect(bytes.length).toBeLessThan(2048);
  });

  it('encodes characters outside GB2312 (GB18030 only) instead of printing "?"', () => {
    const doc = layoutReceipt(model({ staff: { id: 's', name: '䶮喆' } }), { cols: 32, lang: 'zh-CN', synced: true });
    const { jobs } = parse(renderEscPos(doc, { commandSet: 'epson', encoding: 'gb18030' }), 'epson', 'gb18030');
    expect(jobs[0]!.lines.join('\n')).toContain('䶮喆');
  });

  it('prints no raster images on the normal path', () => {
    const bytes = renderEscPos(layoutReceipt(model(), { cols: 48, lang: 'zh-CN', synced: false }), { commandSet: 'epson', encoding: 'gb18030' });
    expect(bytes.includes(Buffer.from([0x1d, 0x76, 0x30]))).toBe(false);
  });

  it('turns an operation id into Code128 digits and back', () => {
    const digits = barcodeDigitsForOpId(OP_ID)!;
    expect(digits).toMatch(/^\d{40}$/);
    expect(opIdFromBarcodeDigits(digits)).toBe(OP_ID);
    expect(barcodeDigitsForOpId('not-a-uuid')).toBeNull();
  });
});

describe('printer status bytes (DLE EOT 1..4)', () => {
  it.each([
    [[0x12, 0x12, 0x12, 0x12], 'ready'],
    [[0x12, 0x12, 0x12, 0x1e], 'paper-low'],
    [[0x1a, 0x32, 0x12, 0x72], 'paper-out'],
    [[0x1a, 0x16, 0x12, 0x12], 'cover-open'],
    [[0x1a, 0x12, 0x12, 0x12], 'offline'],
    [[0x1a, 0x52, 0x32, 0x12], 'error'],
    [[0x12, 0x12], 'not-answering'],
    [[0xff, 0x12, 0x12, 0x12], 'error'],
  ])('%j is %s', (bytes, state) => {
    expect(decodeStatus(bytes)).toBe(state);
  });
});

describe('printer addresses', () => {
  it.each([
    ['tcp://192.168.1.50:9100', { kind: 'tcp', host: '192.168.1.50', port: 9100 }],
    ['tcp://10.1.2.3', { kind: 'tcp', host: '10.1.2.3', port: 9100 }],
    ['tcp://[fd12::5]:9101', { kind: 'tcp', host: 'fd12::5', port: 9101 }],
    ['serial:COM3', { kind: 'serial', path: 'COM3', baud: 9600 }],
    ['serial:/dev/ttyUSB0?baud=115200', { kind: 'serial', path: '/dev/ttyUSB0', baud: 115200 }],
    ['serial:/dev/ttyS0', { kind: 'serial', path: '/dev/ttyS0', baud: 9600 }],
    ['/dev/usb/lp0', { kind: 'file', path: '/dev/usb/lp0' }],
    ['file:/dev/usb/lp0', { kind: 'file', path: '/dev/usb/lp0' }],
  ])('%s', (uri, target) => {
    expect(parsePrinterUri(uri).target).toEqual(target);
  });

  it('reads paper width, code page, command set and language from the address', () => {
    expect(parsePrinterUri('tcp://10.0.0.9:9100?cols=32&encoding=big5&set=star&lang=zh-TW')).toMatchObject({ cols: 32, encoding: 'big5', commandSet: 'star', lang: 'zh-TW' });
    expect(parsePrinterUri('tcp://10.0.0.9')).toMatchObject({ cols: 48, encoding: 'gb18030', commandSet: 'epson', lang: null });
  });

  it.each(['usb://printer', 'lpt1', 'http://10.0.0.1:9100', '/etc/passwd', 'file:/home/clerk/receipts.txt', '/dev/../etc/shadow', 'tcp://', 'tcp://host:99999', 'tcp://10.0.0.5:0x238c', 'tcp://10.0.0.5:09100', 'tcp://10.0.0.5:+9100', 'tcp://host:9100?cols=40', 'serial:/dev/ttyUSB0?baud=123', 'tcp://h?baud=9600', 'serial:ttyUSB0', '', 'tcp://h?color=red'])(
    'refuses %j with PRINTER_URI_INVALID',
    (uri) => {
      let err: unknown;
      try {
        parsePrinterUri(uri);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DeskError);
      expect((err as DeskError).code).toBe('PRINTER_URI_INVALID');
    },
  );
});

describe('receipt preview', () => {
  it('shows the same lines as the paper, escaped, with a QR that decodes to the operation id', () => {
    const m = model({ store: { id: 'X', name: { 'zh-CN': '<b>店</b> & "名"', 'zh-TW': 'x', en: 'x' } } });
    const html = renderReceiptPreview(m, { cols: 48, lang: 'zh-CN', synced: false });
    expect(html).not.toContain('<b>店</b>');
    expect(html).toContain('&#60;b&#62;店&#60;/b&#62; &#38; &#34;名&#34;');
    for (const line of docLines(layoutReceipt(m, { cols: 48, lang: 'zh-CN', synced: false })).filter((l) => l.trim() && !/[<&"]/.test(l))) {
      expect(html).toContain(line.replace(/ /g, ' '));
    }
    expect(html).toContain(`data-qr="${OP_ID}"`);

    // The QR the preview draws, as an image, read back by a real decoder.
    const { size, data } = QRCode.create(OP_ID, { errorCorrectionLevel: 'M' }).modules;
    expect(readQrModules(size, (i) => Boolean(data[i]))).toBe(OP_ID);
  });
});

describe('Z report', () => {
  it('lays out the day-end figures in both widths and survives the printer round trip', () => {
    for (const cols of [32, 48] as const) {
      const doc = layoutZReport(Z_REPORT, { cols, lang: 'zh-CN' });
      const lines = docLines(doc);
      for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(cols);
      const text = lines.join('\n');
      for (const part of ['日结报表', '2026-11-23', '17', '42', '￥1,234.50', '代金券 ×30', '9,876', '4,321', '李店长', '王芳 ×40', '待同步', '冲突']) expect(text).toContain(part);
      // The voided earn shows the points it took back, not "￥0.00".
      expect(lines.find((l) => l.includes('累积积分'))).toMatch(/-2,580,000 积分$/);
      expect(text).not.toMatch(/￥0\.00/);
      const { jobs } = parse(renderEscPos(doc, { commandSet: 'epson', encoding: 'gb18030' }), 'epson', 'gb18030');
      expect(jobs[0]!.lines).toEqual(lines);
    }
  });

  it.each(['zh-CN', 'zh-TW', 'en'] as const)("prints the points the day's returns left members owing in %s, at 32 and 48 columns, read back by the fake printer", (lang) => {
    const tr = createTranslator(lang);
    const encoding = lang === 'zh-TW' ? 'big5' : 'gb18030';
    // Names a Big5 printer can print (李店长's 长 is not in Big5).
    const base = JSON.parse(JSON.stringify(Z_REPORT).replaceAll('店长', '店長')) as typeof Z_REPORT;
    const report = zReportSchema.parse({ ...base, returns: { count: 3, amountFen: 89_900, points: 1_098, shortfall: 50, owed: 1_300 } });
    for (const cols of [32, 48] as const) {
      const { jobs } = parse(renderEscPos(layoutZReport(report, { cols, lang }), { commandSet: 'epson', encoding }), 'epson', encoding);
      const lines = jobs[0]!.lines;
      for (const line of lines) expect(textWidth(line), `${lang}/${cols}: ${line}`).toBeLessThanOrEqual(cols);
      expect(jobs[0]!.warnings, `${lang}/${cols}`).toEqual([]);
      // Under the returns, after the shortfall: the label in the paper's language and the points.
      const owedAt = lines.findIndex((l) => l.trimStart().startsWith(tr.t('zreport.owed')));
      expect(owedAt, `${lang}/${cols}: ${lines.join(' | ')}`).toBeGreaterThan(lines.findIndex((l) => l.trimStart().startsWith(tr.t('receipt.shortfall'))));
      expect(lines[owedAt]).toMatch(/\s1,300$/);
      expect(owedAt).toBeLessThan(lines.indexOf(tr.t('zreport.byStaff')));
    }
    // Nothing owed, or a report kept before the line existed (no `owed`): it parses, and prints no line.
    const { owed: _owed, ...before } = report.returns;
    for (const returns of [{ ...report.returns, owed: 0 }, before]) {
      const kept = zReportSchema.parse(JSON.parse(JSON.stringify({ ...report, returns })));
      expect(kept.returns.owed).toBe(0);
      expect(docLines(layoutZReport(kept, { cols: 32, lang })).join('\n')).not.toContain(tr.t('zreport.owed'));
    }
  });
});

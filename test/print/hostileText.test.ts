// Text from outside the desk on paper: names (member, store, staff, benefit) and every other string
// of every print model filled with control characters a printer would obey (ESC p drawer kick, GS V
// cut, DLE DC4 real-time pulse, NUL, ESC @), bidi overrides, C1 controls, lone surrogates, astral
// characters and long runs. No byte below 0x20 but the layout's own commands and line feeds may
// leave for the printer: the bytes' control count equals the same document's with plain text.
// Generated inputs, both command sets, every encoding; then end to end: names as the desk holds them
// after a pull, a redemption, its receipt through the print queue to the fake printer (real TCP).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardReplacedReceiptSchema, layoutCardReplaced } from '../../src/print/cardReplacedReceipt';
import type { PrintDoc } from '../../src/print/doc';
import { renderEscPos } from '../../src/print/escpos';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { layoutReceipt } from '../../src/print/layout';
import { layoutMemberJoined, memberJoinedReceiptSchema } from '../../src/print/memberJoinedReceipt';
import { parsePrinterUri } from '../../src/print/printerUri';
import { runPrintQueue } from '../../src/print/queue';
import { receiptModelSchema } from '../../src/print/receiptSchema';
import { layoutZReport, zReportSchema } from '../../src/print/zReport';
import type { Lang } from '../../src/loyalty/types';
import { openDemoTerminal, tempDir } from '../helpers/demoDb';
import { model, OP_ID, Z_REPORT } from './fixtures';

const POOL = ['\x1b', '\x1d', '\x10', '\x1c', '\x00', '\x1bp\x00\x19\xfa', '\x1dV\x00', '\x10\x14\x01\x00\x05', '\x1b@', '\u202e', '\u2066', '\u0085', '\u009b', '\u{1f600}', '\ud800', 'a'.repeat(120), '中文', '¥', '\r', '\n', '\t', '\x7f', '\u2028', '\ufeff', '\u00a0'];
let seed = 42;
const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
const hostile = (): string => Array.from({ length: 1 + rnd(6) }, () => POOL[rnd(POOL.length)]!).join('');
/** Bytes a printer reads as a command (or part of one): every control but the line feed. */
const controls = (b: Buffer): number => [...b].filter((x) => x < 0x20 && x !== 0x0a).length;

type Path = (string | number)[];
function stringPaths(o: unknown, p: Path = []): Path[] {
  if (typeof o === 'string') return [p];
  if (Array.isArray(o)) return o.flatMap((v, i) => stringPaths(v, [...p, i]));
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => stringPaths(v, [...p, k]));
  return [];
}
function setAt<T>(o: T, p: Path, v: string): T {
  const copy = structuredClone(o) as Record<string | number, unknown>;
  let x = copy;
  for (const k of p.slice(0, -1)) x = x[k] as Record<string | number, unknown>;
  x[p.at(-1)!] = v;
  return copy as T;
}

type Layout = (m: never, cols: 32 | 48, lang: Lang) => PrintDoc;
const TARGETS: [string, unknown, { safeParse(v: unknown): { success: boolean; data?: unknown } }, Layout][] = [
  [
    'receipt',
    model({ approvedBy: { id: 'mgr-01', name: '李店长' }, returned: { lines: [{ category: 'x', amountFen: 100, points: 1 }], shortfall: 0, tierChange: { from: 'basic', to: 'core', reason: 'r' } } }),
    receiptModelSchema,
    ((m, cols, lang) => layoutReceipt(m, { cols, lang, synced: false })) as Layout,
  ],
  [
    'return receipt',
    model({ kind: 'return', targetOpId: OP_ID, returned: { lines: [{ category: 'x', amountFen: 100, points: 1 }], shortfall: 0, tierChange: null } }),
    receiptModelSchema,
    ((m, cols, lang) => layoutReceipt(m, { cols, lang, synced: true })) as Layout,
  ],
  ['Z report', Z_REPORT, zReportSchema, ((m, cols, lang) => layoutZReport(m, { cols, lang })) as Layout],
  [
    'card replaced',
    { v: 1, kind: 'cardReplaced', replaceId: OP_ID, at: 1, tz: 'Asia/Shanghai', storeName: { 'zh-CN': '店', 'zh-TW': '店', en: 'Store' }, terminalId: 'T', staff: { id: 's', name: '王芳' }, approvedBy: { id: 'm', name: '李店长' }, member: { maskedName: '张*', maskedPhone: '****1234' }, oldCardTail: '1234', newCardTail: '5678' },
    cardReplacedReceiptSchema,
    ((m, cols, lang) => layoutCardReplaced(m, cols, lang)) as Layout,
  ],
  [
    'member joined',
    { v: 1, kind: 'memberJoined', joinId: OP_ID, memberId: 'M1', at: 1, tz: 'Asia/Shanghai', storeName: { 'zh-CN': '店', 'zh-TW': '店', en: 'Store' }, terminalId: 'T', staff: { id: 's', name: '王芳' }, member: { maskedName: '张*', maskedPhone: '****1234' }, cardTail: '1234', termsVersion: 1 },
    memberJoinedReceiptSchema,
    ((m, cols, lang) => layoutMemberJoined(m, cols, lang)) as Layout,
  ],
];

describe('hostile text on paper', () => {
  it('no string of any print model reaches the printer as a command (generated, every layout, set and encoding)', () => {
    let printed = 0;
    const leaks: string[] = [];
    for (const [name, base, schema, lay] of TARGETS) {
      const plain = schema.safeParse(base);
      expect(plain.success, name).toBe(true);
      for (const p of stringPaths(base)) {
        // The zone is checked where it enters (timeZoneSchema); v and kind are literals.
        if (['tz', 'v', 'kind'].includes(String(p.at(-1)))) continue;
        for (let i = 0; i < 6; i++) {
          const value = hostile();
          const parsed = schema.safeParse(setAt(base, p, value));
          if (!parsed.success) continue;
          for (const cols of [32, 48] as const) {
            for (const lang of ['zh-CN', 'en'] as const) {
              const doc = lay(parsed.data as never, cols, lang);
              const ref = lay(plain.data as never, cols, lang);
              for (const commandSet of ['epson', 'star'] as const) {
                for (const encoding of ['gb18030', 'gbk', 'big5'] as const) {
                  let bytes: Buffer;
                  try {
                    bytes = renderEscPos(doc, { commandSet, encoding });
                  } catch {
                    continue; // a QR payload that is not printable ASCII is refused (assertAscii)
                  }
                  printed++;
                  const got = controls(bytes);
                  const want = controls(renderEscPos(ref, { commandSet, encoding }));
                  if (got !== want) leaks.push(`${name} ${p.join('.')} ${commandSet}/${encoding}: ${got} control bytes, ${want} expected, for ${JSON.stringify(value)}`);
                }
              }
            }
          }
        }
      }
    }
    expect(printed).toBeGreaterThan(2_000);
    expect(leaks.slice(0, 5)).toEqual([]);
  });

  describe('end to end: names as pulled, a redemption, the print queue, the fake printer', () => {
    let printer: FakePrinter;
    const out = tempDir('ld-hostile-print-');
    beforeAll(async () => {
      printer = await startFakePrinter({ port: 0, out: out.dir });
    });
    afterAll(async () => {
      await printer.close();
      out.cleanup();
    });

    it('prints one receipt per redemption, its lines free of controls, whatever the names hold', async () => {
      const t = openDemoTerminal(20);
      try {
        // 58 mm: no Code128 (its digit pairs are bytes below 0x20 that change with the id), so the
        // count of control bytes is the layout's alone.
        const spec = parsePrinterUri(`${printer.uri}?cols=32`, printer.allow);
        const run = () => runPrintQueue(t.db, { spec, lang: 'zh-CN', clock: () => t.clock.now, timeouts: { openMs: 2000, queryMs: 800, beforeMs: 3000 } });
        const redeem = () => t.service.redeem({ memberId: 'M00000001', benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' });
        redeem();
        await run();
        const plainBin = readFileSync(printer.receipts.at(-1)!.file.replace(/\.txt$/, '.bin'));
        for (let i = 0; i < 8; i++) {
          const words = { store: hostile().slice(0, 200), staff: hostile().slice(0, 80), member: hostile().slice(0, 80), benefit: hostile().slice(0, 200) };
          t.db.prepare('UPDATE stores SET name_json = ?').run(JSON.stringify({ 'zh-CN': words.store, 'zh-TW': words.store, en: words.store }));
          t.db.prepare("UPDATE staff SET name = ? WHERE id = 'clerk-01'").run(words.staff);
          t.db.prepare("UPDATE members SET name = ? WHERE id = 'M00000001'").run(words.member);
          t.db.prepare("UPDATE benefits SET name_json = ? WHERE id = 'B-VOUCHER-20'").run(JSON.stringify({ 'zh-CN': words.benefit, 'zh-TW': words.benefit, en: words.benefit }));
          const before = printer.receipts.length;
          const r = redeem();
          const outcomes = await run();
          expect(outcomes.map((o) => o.status), JSON.stringify(words)).toEqual(['printed']);
          // One job: a cut hidden in a name would have made two.
          expect(printer.receipts.length).toBe(before + 1);
          const got = printer.receipts.at(-1)!;
          expect(got.qr).toEqual([r.opId]);
          expect(got.warnings).toEqual([]);
          for (const line of got.lines) expect(line).not.toMatch(/[\u0000-\u001f\u007f]/);
          expect(controls(readFileSync(got.file.replace(/\.txt$/, '.bin')))).toBe(controls(plainBin));
        }
      } finally {
        t.cleanup();
      }
    }, 60_000);
  });
});

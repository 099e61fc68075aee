// `loyalty-desk` commands of the print domain: fake-printer, print-test, print-queue, and the
// printing that follows an operation's commit (used by the op commands in ops.ts).
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../contract/errors';
import { createTranslator, DEFAULT_LANG, isLang, type Translator } from '../../i18n';
import type { Lang } from '../../loyalty/types';
import { DEFAULT_TIMEOUTS, deliver, printStatus } from '../../print/deliver';
import { renderEscPos } from '../../print/escpos';
import { startFakePrinter } from '../../print/fakePrinter/server';
import { FAULTS } from '../../print/fakePrinter/faults';
import { parsePrinterUri, type PrinterSpec } from '../../print/printerUri';
import { printerPortAllowed } from '../../print/printerPolicy';
import { parseLastError, runPrintQueue, type JobOutcome } from '../../print/queue';
import { layoutTestPage } from '../../print/testPage';
import { openStore } from '../../store/open';
import { unprintedQueue } from '../../store/printJobs';
import { printerAllowance, readConfig } from '../../terminal/operations/config';
import { formatInstant } from '../../i18n';
import { check, checkFlags, clockFrom, dbPathFrom, intArg, type Flags } from '../args';
import type { CliIo, Command } from '../command';

interface ResolvedPrinter {
  spec: PrinterSpec;
  lang: Lang;
}

/**
 * --printer URI, else the data folder's config.json "printer"; null when neither names one. Either
 * is held to where a printer may be, with the ports and serial ports config.json lists.
 */
export function resolvePrinter(flags: Flags, dbPath: string | null): ResolvedPrinter | null {
  const config = dbPath ? readConfig(dirname(resolve(dbPath))) : null;
  const uri = typeof flags.printer === 'string' ? flags.printer : (config?.printer ?? null);
  if (uri === null) return null;
  const spec = parsePrinterUri(uri, printerAllowance(config));
  return { spec, lang: spec.lang ?? config?.lang ?? DEFAULT_LANG };
}

/** print-test and printer-status: --printer URI, held to the rule with what --data/--db's config.json lists (if given). */
function flagPrinter(flags: Flags): PrinterSpec {
  // The command line's own words (its flag, config.json's key); the desk's words name the Devices tab.
  if (typeof flags.printer !== 'string') throw new DeskError('PRINTER_NOT_CONFIGURED', { context: 'cli' });
  const folder = typeof flags.data === 'string' || typeof flags.db === 'string' ? dirname(resolve(dbPathFrom(flags))) : null;
  return parsePrinterUri(flags.printer, printerAllowance(folder ? readConfig(folder) : null));
}

function translatorFrom(flags: Flags): Translator {
  return createTranslator(typeof flags.lang === 'string' && isLang(flags.lang) ? flags.lang : DEFAULT_LANG);
}

function describeOutcome(o: JobOutcome | undefined, jobId: number, tr: Translator) {
  // No outcome: another process holds the job's lease right now; it stays unprinted until one prints it.
  if (!o) return { status: 'pending' as const, jobId, printerState: null, busy: true };
  return {
    status: o.status,
    jobId: o.jobId,
    printerState: o.printerState,
    attempts: o.attempts,
    ...(o.error ? { error: { code: o.error.code, message: tr.error(o.error.code, o.error.params), params: o.error.params } } : {}),
  };
}

/**
 * After an operation committed: print its receipt when a printer is set. A printing failure never
 * fails the operation — the job stays unprinted with its reason and the result says so.
 */
export async function printAfterCommit<T extends { printJobId: number }>(flags: Flags, result: T): Promise<T | (T & { print: object })> {
  const tr = translatorFrom(flags);
  const dbPath = dbPathFrom(flags);
  let printer: ResolvedPrinter | null;
  try {
    printer = resolvePrinter(flags, dbPath);
  } catch (err) {
    if (!(err instanceof DeskError)) throw err;
    return { ...result, print: { status: 'pending', jobId: result.printJobId, printerState: null, error: { code: err.code, message: tr.error(err.code, err.params), params: err.params } } };
  }
  if (!printer) return result;
  const clock = clockFrom(flags);
  const { db } = openStore(dbPath, { create: false, quickCheck: false });
  try {
    const outcomes = await runPrintQueue(db, { spec: printer.spec, lang: printer.lang, jobId: result.printJobId, ignoreBackoff: true, ...(clock ? { clock } : {}) });
    return { ...result, print: describeOutcome(outcomes[0], result.printJobId, tr) };
  } finally {
    db.close();
  }
}

async function printTest(flags: Flags, tr: Translator) {
  const spec = flagPrinter(flags);
  const lang = spec.lang ?? (typeof flags.lang === 'string' && isLang(flags.lang) ? flags.lang : DEFAULT_LANG);
  const doc = layoutTestPage({ cols: spec.cols, lang, uri: spec.uri, encoding: spec.encoding, commandSet: spec.commandSet, at: formatInstant(Date.now(), 'Asia/Shanghai') });
  const bytes = renderEscPos(doc, { commandSet: spec.commandSet, encoding: spec.encoding });
  const started = Date.now();
  try {
    const d = await deliver(spec, bytes, DEFAULT_TIMEOUTS);
    return { printer: spec.uri, status: { before: d.before.state, after: d.after.state, text: tr.t(`printerState.${d.after.state}`), bytes: d.after.bytes }, printed: true, bytes: d.bytes, ms: d.ms };
  } catch (err) {
    if (err instanceof DeskError) {
      const state = typeof err.params.state === 'string' ? err.params.state : 'not-answering';
      throw Object.assign(err, { report: { printer: spec.uri, printed: false, status: { state, text: tr.t(`printerState.${state}`) }, ms: Date.now() - started } });
    }
    throw err;
  }
}

async function printQueueCommand(flags: Flags, tr: Translator) {
  const dbPath = dbPathFrom(flags);
  const { db } = openStore(dbPath, { create: false });
  try {
    const limit = flags.limit === undefined ? 100 : check(intArg(10_000), flags.limit, 'limit');
    const list = () =>
      unprintedQueue(db, limit).map((j) => ({
        jobId: j.id,
        opId: j.opId,
        kind: j.kind,
        status: j.status,
        attempts: j.attempts,
        printerState: j.printerStatus,
        reason: j.lastError ? (({ code, params }) => tr.error(code, params))(parseLastError(j.lastError)) : null,
        nextAttemptAt: j.nextAttemptAt,
      }));
    if (flags.list) return { unprinted: list() };
    const printer = resolvePrinter(flags, dbPath);
    if (!printer) throw new DeskError('PRINTER_NOT_CONFIGURED', { context: 'cli' });
    const clock = clockFrom(flags);
    const outcomes = await runPrintQueue(db, { spec: printer.spec, lang: printer.lang, ignoreBackoff: true, maxJobs: limit, ...(clock ? { clock } : {}) });
    return {
      printer: printer.spec.uri,
      printed: outcomes.filter((o) => o.status === 'printed').length,
      jobs: outcomes.map((o) => describeOutcome(o, o.jobId, tr)),
      unprinted: list(),
    };
  } finally {
    db.close();
  }
}

const fakeFlagsSchema = z.object({
  port: z.string().regex(/^\d{1,5}$/, '--port is a number').transform(Number).pipe(z.number().int().min(0).max(65535)).default(9100),
  out: z.string({ error: '--out DIR is required' }).min(1),
  control: z.string().min(1).optional(),
  set: z.enum(['epson', 'star']).default('epson'),
  encoding: z.enum(['gb18030', 'gbk', 'big5']).default('gb18030'),
  fault: z.enum(FAULTS).default('none'),
  slow: z.string().regex(/^\d{1,5}$/, '--slow is milliseconds').transform(Number).default(0),
});

async function fakePrinterCommand(flags: Flags, io: CliIo): Promise<undefined> {
  const f = checkFlags(fakeFlagsSchema, {
    port: flags.port,
    out: flags.out,
    control: flags.control,
    set: flags.set,
    encoding: flags.encoding,
    fault: flags.fault,
    slow: flags.slow,
  });
  const printer = await startFakePrinter({
    port: f.port,
    out: f.out,
    pty: flags.pty === true,
    commandSet: f.set,
    encoding: f.encoding,
    fault: { fault: f.fault, slowMs: f.slow },
    ...(f.control ? { control: f.control } : {}),
    log: io.out,
  });
  // configAllow: what a desk's config.json lists to print here when the port is not 9100–9109 or the pty is used.
  const configAllow = { printerPorts: printer.allow.ports.filter((p) => !printerPortAllowed(p)), serialPaths: printer.allow.serialPaths };
  io.out(JSON.stringify({ ok: true, listening: printer.uri, serial: printer.serialUri, out: f.out, control: f.control ?? `${f.out}/control.json`, configAllow }));
  await new Promise<void>((resolveStop) => {
    const stop = () => resolveStop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await printer.close();
  io.err('fake printer stopped');
  return undefined;
}

export const printCommands: Record<string, Command> = {
  'fake-printer': {
    run: (f, { io }) => fakePrinterCommand(f, io),
    flags: ['port', 'out', 'control', 'set', 'encoding', 'fault', 'slow'],
    booleans: ['pty'],
    longRunning: true,
  },
  'print-test': { run: (f, { tr }) => printTest(f, tr), flags: ['printer'] },
  'print-queue': { run: (f, { tr }) => printQueueCommand(f, tr), flags: ['printer', 'limit'], booleans: ['list'] },
  'printer-status': {
    run: async (f, { tr }) => {
      const spec = flagPrinter(f);
      const s = await printStatus(spec);
      return { printer: spec.uri, status: { state: s.state, text: tr.t(`printerState.${s.state}`), bytes: s.bytes } };
    },
    flags: ['printer'],
  },
};

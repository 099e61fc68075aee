// `loyalty-desk zreport`: a business day's Z-report as JSON; --close closes the day (expired points
// written off, report kept with its number), --csv writes it for Excel, --printer prints it.
// Everything that can fail outside the database (the CSV path, the printer) is checked before the
// day is closed, so a bad path or a printer that is off leaves the day as it was.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { DeskError } from '../../contract/errors';
import { printStatus } from '../../print/deliver';
import { canPrint, stateError } from '../../print/status';
import { closeDay, CLI_ACTOR } from '../../terminal/dayEnd';
import { printZReport } from '../../terminal/managerPrint';
import { openTerminal } from '../../terminal/openTerminal';
import { zReportCsv } from '../../terminal/reportCsv';
import { checkBusinessDate, dayReport } from '../../terminal/zReport';
import { businessDate } from '../../loyalty/time';
import { clockFrom, dbPathFrom, type Flags } from '../args';
import type { Command } from '../command';
import { resolvePrinter } from './print';

/** Opens (creates or truncates) the CSV file now, so an unwritable path is refused before anything else. */
function openCsv(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (err) {
    throw new DeskError('FILE_WRITE_FAILED', { path, detail: err instanceof Error ? err.message : String(err) });
  }
}

async function zreportCommand(flags: Flags, tr: Parameters<Command['run']>[1]['tr']) {
  const dbPath = dbPathFrom(flags);
  const clock = clockFrom(flags);
  const terminal = openTerminal(dbPath, { quickCheck: 'after-crash', ...(clock ? { clock } : {}) });
  let csvFd: number | null = null;
  try {
    const deps = terminal.service.deps;
    const now = deps.clock();
    const date = typeof flags.date === 'string' ? checkBusinessDate(flags.date, now, deps.identity.tz) : businessDate(now, deps.identity.tz);
    const printer = typeof flags.printer === 'string' ? resolvePrinter(flags, dbPath) : null;
    const csvPath = typeof flags.csv === 'string' ? resolve(flags.csv) : null;
    if (csvPath) csvFd = openCsv(csvPath);
    if (printer && flags.close === true) {
      // A printer that is off is found out before the day is closed.
      const status = await printStatus(printer.spec);
      if (!canPrint(status.state)) throw stateError(printer.spec.uri, status);
    }
    const report = flags.close === true ? closeDay(deps, { date, staffId: CLI_ACTOR }).report : dayReport(deps, date);
    let csv: string | undefined;
    if (csvPath && csvFd !== null) {
      try {
        writeSync(csvFd, zReportCsv(report, tr));
      } catch (err) {
        throw new DeskError('FILE_WRITE_FAILED', { path: csvPath, detail: err instanceof Error ? err.message : String(err) });
      }
      csv = csvPath;
    }
    const printed = printer ? await printZReport(deps, { uri: printer.spec.uri, report, lang: printer.lang, actor: CLI_ACTOR }) : undefined;
    return { ...report, ...(csv ? { csvFile: csv } : {}), ...(printed ? { print: printed } : {}) };
  } finally {
    if (csvFd !== null) closeSync(csvFd);
    terminal.close();
  }
}

export const dayEndCommands: Record<string, Command> = {
  zreport: { run: (f, { tr }) => zreportCommand(f, tr), flags: ['date', 'csv', 'printer'], booleans: ['close'] },
};

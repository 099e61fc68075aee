// `loyalty-desk zreport`: a business day's Z-report as JSON; --close runs the manager's day-end (a
// sync with HQ first when the terminal is enrolled, then the day closed: expired points written off,
// report kept with its number), --csv writes it for Excel, --printer prints it. All of it goes through
// the dispatcher as the operator --staff names, who must be a manager. Everything that can fail
// outside the database (the CSV path, the printer) is checked before the day is closed, so a bad
// path or a printer that is off leaves the day as it was.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { DeskError } from '../../contract/errors';
import { ioReason } from '../../contract/ioReason';
import { printStatus } from '../../print/deliver';
import { canPrint, stateError } from '../../print/status';
import { isEnrolled } from '../../syncClient/enroll';
import { syncOnce, type SyncProgress } from '../../syncClient/syncRun';
import { dbPathFrom, type Flags } from '../args';
import type { Command } from '../command';
import { operatorOf, withTerminal } from '../operator';
import { resolvePrinter } from './print';

/** Opens (creates or truncates) the CSV file now, so an unwritable path is refused before anything else. */
function openCsv(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (err) {
    throw new DeskError('FILE_WRITE_FAILED', { path, detail: err instanceof Error ? err.message : String(err), why: ioReason(err) });
  }
}

async function zreportCommand(flags: Flags) {
  const dbPath = dbPathFrom(flags);
  const date = typeof flags.date === 'string' ? flags.date : undefined;
  return withTerminal(flags, async (terminal) => {
    const printer = typeof flags.printer === 'string' ? resolvePrinter(flags, dbPath) : null;
    // The day-end syncs first, like the desk's, when the terminal is enrolled with HQ.
    const sync = isEnrolled(terminal.db) ? (onProgress: (p: SyncProgress) => void) => syncOnce(terminal.db, { onProgress }) : null;
    const call = operatorOf(flags, terminal, { manager: { sync, printerUri: () => printer?.spec.uri ?? null, printLang: () => printer?.lang ?? null } });
    let csvFd: number | null = null;
    try {
      // The manager and the date are checked before any file is touched.
      const open = await call('manager.zReport', { date });
      const csvPath = typeof flags.csv === 'string' ? resolve(flags.csv) : null;
      if (csvPath) csvFd = openCsv(csvPath);
      if (printer && flags.close === true) {
        // A printer that is off is found out before the day is closed.
        const status = await printStatus(printer.spec);
        if (!canPrint(status.state)) throw stateError(printer.spec.uri, status);
      }
      const closed = flags.close === true ? await call('manager.dayEnd', { date: open.date }) : null;
      const report = closed ? closed.report : open;
      if (csvPath && csvFd !== null) {
        const { csv } = await call('manager.zReportCsv', { date: report.date });
        try {
          writeSync(csvFd, csv);
        } catch (err) {
          throw new DeskError('FILE_WRITE_FAILED', { path: csvPath, detail: err instanceof Error ? err.message : String(err), why: ioReason(err) });
        }
      }
      const printed = printer ? await call('manager.printZReport', { date: report.date }) : undefined;
      return {
        ...report,
        ...(closed ? { sync: closed.sync, waiting: closed.waiting } : {}),
        ...(csvPath ? { csvFile: csvPath } : {}),
        ...(printed ? { print: printed } : {}),
      };
    } finally {
      if (csvFd !== null) closeSync(csvFd);
    }
  });
}

export const dayEndCommands: Record<string, Command> = {
  zreport: { run: (f) => zreportCommand(f), flags: ['date', 'csv', 'printer', 'staff'], booleans: ['close'] },
};

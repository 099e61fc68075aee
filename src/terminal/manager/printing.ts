// The manager's printing: the Z-report and a test page sent straight to the printer (the manager is
// standing at it and wants to know now), and the printer's live state. A closed day's report is
// kept in business_days, so a failed print is simply printed again; nothing else is touched.
import { DeskError } from '../../contract/errors';
import { formatInstant } from '../../i18n';
import type { Lang } from '../../loyalty/types';
import { deliver, printStatus } from '../../print/deliver';
import { renderEscPos } from '../../print/escpos';
import { parsePrinterUri, type PrinterSpec } from '../../print/printerUri';
import type { PrinterAllowance } from '../../print/printerPolicy';
import { layoutTestPage } from '../../print/testPage';
import { layoutZReport } from '../../print/zReport';
import { appendAudit } from '../../store/audit';
import type { ServiceDeps } from '../operations/deps';
import { toPrintedZReport } from './zReport';
import type { Printed, DayReport } from '../../contract/managerTypes';
import type { DevicePrinterState as PrinterState } from '../../contract/deskTypes';

/** The printer to use, held to where a printer may be before anything connects (a refused address is never probed). */
export function printerSpec(uri: string | null, allow: PrinterAllowance = {}): PrinterSpec {
  if (uri === null) throw new DeskError('PRINTER_NOT_CONFIGURED', {});
  return parsePrinterUri(uri, allow);
}

export async function printZReport(deps: ServiceDeps, input: { uri: string | null; allow?: PrinterAllowance; report: DayReport; lang: Lang; actor: string; approvedBy?: string | undefined }): Promise<Printed> {
  const spec = printerSpec(input.uri, input.allow);
  const now = deps.clock();
  const doc = layoutZReport(toPrintedZReport(deps, input.report, now), { cols: spec.cols, lang: spec.lang ?? input.lang });
  const d = await deliver(spec, renderEscPos(doc, { commandSet: spec.commandSet, encoding: spec.encoding }));
  deps.db.transaction(() => {
    appendAudit(deps.db, { at: now, actor: input.actor, action: 'zreport.printed', ref: input.report.date, data: { number: input.report.number, printer: spec.uri, ...(input.approvedBy !== undefined && input.approvedBy !== input.actor ? { approvedBy: input.approvedBy } : {}) } });
  }).immediate();
  return { printed: true, bytes: d.bytes, printerState: d.after.state, uri: spec.uri };
}

export async function printTestPage(input: { uri: string | null; allow?: PrinterAllowance; lang: Lang; tz: string; now: number }): Promise<Printed> {
  const spec = printerSpec(input.uri, input.allow);
  const doc = layoutTestPage({ cols: spec.cols, lang: spec.lang ?? input.lang, uri: spec.uri, encoding: spec.encoding, commandSet: spec.commandSet, at: formatInstant(input.now, input.tz) });
  const d = await deliver(spec, renderEscPos(doc, { commandSet: spec.commandSet, encoding: spec.encoding }));
  return { printed: true, bytes: d.bytes, printerState: d.after.state, uri: spec.uri };
}

export async function printerLiveState(uri: string | null, allow: PrinterAllowance = {}): Promise<{ uri: string | null; state: PrinterState | 'not-configured'; error: { code: string; params: Record<string, string | number> } | null }> {
  if (uri === null) return { uri, state: 'not-configured', error: null };
  const spec = parsePrinterUri(uri, allow);
  try {
    return { uri: spec.uri, state: (await printStatus(spec)).state, error: null };
  } catch (err) {
    if (err instanceof DeskError) return { uri: spec.uri, state: 'not-answering', error: { code: err.code, params: err.params as Record<string, string | number> } };
    throw err;
  }
}

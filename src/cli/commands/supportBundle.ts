// The support bundle `doctor --bundle FILE` writes for the brand's support: doctor's report, the
// config without secrets, the last day of logs, versions, and the printer's and scanner's state.
// One JSON file: everything in it is text already, the logs part is bounded (MAX_LOG_LINES lines
// that are themselves allow-listed, docs/logs.md), and any support desk opens it without a tool, so
// a zip or tar library would add a dependency and nothing else. What goes in is picked field by
// field: no database key, HQ credential, PIN, phone or member data is ever read into it.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { platform, arch, release } from 'node:os';
import type { PrinterState } from '../../contract/terminalApi';
import { LOGS_DIR } from '../../log/files';
import { readLogs } from '../../log/read';
import { DEFAULT_TIMEOUTS, printStatus } from '../../print/deliver';
import { parsePrinterUri } from '../../print/printerUri';
import { appVersion } from '../../runtime/appVersion';
import { printerAllowance, readConfig } from '../../terminal/operations/config';

const MAX_LOG_LINES = 20_000;
const LOG_WINDOW_MS = 24 * 3_600_000;

export interface PrinterProbe {
  uri: string | null;
  state: { state: PrinterState; name: string | null };
  error: string | null;
}

/** The configured printer's live state (a few seconds at most), as the desk's status bar would say it. */
export async function probePrinter(dataDir: string): Promise<PrinterProbe> {
  let config;
  try {
    config = readConfig(dataDir);
  } catch {
    config = null;
  }
  const uri = config?.printer ?? null;
  if (uri === null) return { uri: null, state: { state: 'not-configured', name: null }, error: null };
  try {
    const spec = parsePrinterUri(uri, printerAllowance(config));
    const status = await printStatus(spec, { ...DEFAULT_TIMEOUTS, beforeMs: 3_000 });
    return { uri, state: { state: status.state, name: uri }, error: null };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { uri, state: { state: 'not-answering', name: uri }, error: typeof code === 'string' ? code : 'INTERNAL' };
  }
}

/** config.json as support needs it: where the printer and scanner are, the language; field by field. */
function configForSupport(dataDir: string): Record<string, unknown> | { unreadable: true } | null {
  try {
    const c = readConfig(dataDir);
    if (!c) return null;
    const allow = printerAllowance(c);
    return { storeId: c.storeId, terminalId: c.terminalId, tz: c.tz, lang: c.lang, printer: c.printer, printerPorts: allow.ports ?? [], serialPaths: allow.serialPaths ?? [], scanner: c.scanner };
  } catch {
    return { unreadable: true };
  }
}

/** The scanners as configured; the serial port is held by the running desk, so only its presence is checked here. */
function scannerState(config: ReturnType<typeof configForSupport>): Record<string, unknown> {
  const scanner = config && 'scanner' in config ? (config.scanner as { serial: { port: string | null } }) : null;
  const port = scanner?.serial.port ?? null;
  return { configured: scanner, serialPortPresent: port === null ? null : port.startsWith('/dev/') ? existsSync(port) : null };
}

export function writeSupportBundle(file: string, o: { dataDir: string; report: object; printer: PrinterProbe | null; now: number }): { file: string; bytes: number } {
  const config = configForSupport(o.dataDir);
  const logs = readLogs(join(o.dataDir, LOGS_DIR), { sinceMs: o.now - LOG_WINDOW_MS, limit: MAX_LOG_LINES });
  const bundle = {
    kind: 'loyalty-desk-support-bundle',
    version: 1,
    writtenAt: new Date(o.now).toISOString(),
    versions: { app: appVersion(), node: process.versions.node, electron: process.versions.electron ?? null, os: `${platform()} ${release()} ${arch()}` },
    report: o.report,
    config,
    printer: o.printer,
    scanner: scannerState(config),
    logs: { since: new Date(o.now - LOG_WINDOW_MS).toISOString(), files: logs.files, unreadable: logs.unreadable, lines: logs.lines },
  };
  const path = resolve(file);
  const text = `${JSON.stringify(bundle, null, 1)}\n`;
  // Whole or not at all: a half-written bundle is worse than none.
  writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return { file: path, bytes: Buffer.byteLength(text) };
}

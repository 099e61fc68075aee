// `doctor --data DIR | --db FILE [--bundle FILE]`: integrity, schema version, row counts, the audit
// chain and HQ's anchor, what waits for HQ or the printer, read without changing anything; its
// findings in --lang, each with what to do (src/terminal/manager/doctor.ts, as the manager area
// shows them). --bundle FILE also writes the support bundle (supportBundle.ts) and then exits 0
// whatever the findings: they are in it.
import { dirname } from 'node:path';
import { DeskError } from '../../contract/errors';
import type { Translator } from '../../i18n';
import { openStore } from '../../store/open';
import { doctorReport, type DeviceFacts } from '../../terminal/manager/doctor';
import { readConfig } from '../../terminal/operations/config';
import { readKioskConfig } from '../../runtime/kioskConfig';
import { dbPathFrom, type Flags } from '../args';
import { probePrinter, writeSupportBundle } from './supportBundle';

export async function doctorCommand(flags: Flags, tr: Translator, now: number) {
  const path = dbPathFrom(flags);
  const bundle = typeof flags.bundle === 'string' ? flags.bundle : null;
  if (flags.bundle !== undefined && (bundle === null || bundle === '')) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.needsValue', flag: '--bundle' });
  // The printer is asked only for a bundle: a plain doctor must answer even with the printer off.
  const printer = bundle ? await probePrinter(dirname(path)) : null;
  // Whether a printer is set up at all is in config.json: none set is said as such, not as a fault.
  const config = readConfig(dirname(path));
  // A kiosk's own settings too: a kiosk.json the kiosk refuses to start with is said here as there,
  // not left behind a healthy report (absent: the kiosk's defaults, nothing to say).
  readKioskConfig(dirname(path));
  const devices: DeviceFacts = printer ? { printer: printer.state } : config && config.printer === null ? { printer: null } : {};
  let report;
  try {
    const { db, schemaVersion } = openStore(path, { create: false, quickCheck: false });
    try {
      const { facts, ...r } = doctorReport(db, { tr, now, full: true, devices });
      report = { ...r, path, schemaVersion, ...facts };
    } finally {
      db.close();
    }
  } catch (err) {
    // A database too damaged to open is itself the finding the bundle must carry.
    if (!bundle || !(err instanceof DeskError)) throw err;
    report = { healthy: false, path, openError: { code: err.code, message: tr.error(err.code, err.params), ...(typeof err.params.sqlite === 'string' ? { sqlite: err.params.sqlite } : {}) } };
  }
  if (bundle) {
    const written = writeSupportBundle(bundle, { dataDir: dirname(path), report, printer, now });
    return { ...report, bundle: { file: written.file, bytes: written.bytes, message: tr.t('support.doctor.bundleWritten', { file: written.file }) } };
  }
  return report;
}

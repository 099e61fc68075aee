// What setup needs from the host (src/runtime/setupWiring.ts): enrollment and the first sync, the
// serial ports, the printer. Declared here, as a port, so the sessions never import the sync client.
import type { Printed, RecoveryKeyIssued } from '../../contract/managerTypes';
import type { PrinterCheck, SetupState } from '../../contract/setupContract';
import type { Translator } from '../../i18n';
import type { Lang } from '../../loyalty/types';
import type { Dispatcher } from './dispatcher';

export interface SetupPort {
  /** Where setup stands (the session adds which kind it is); a failed first sync's error is worded by tr. */
  state(tr: Translator): Omit<SetupState, 'session'>;
  /** Enrolls with HQ and takes the first sync; throws DeskError (nothing is left of a refused enrollment). */
  enroll(hqUrl: string, code: string): Promise<void>;
  /** The first sync again (the enrollment stood, the sync failed). */
  sync(): Promise<void>;
  serialPorts(): Promise<{ path: string; label: string | null }[]>;
  /** Before the desk opens: writes config.json's printer (checked like the manager's setting) and reads its state. */
  setPrinter(uri: string | null, tr: Translator): Promise<PrinterCheck>;
  testPrint(lang: Lang): Promise<Printed>;
  /** The recovery key, made and shown this once (once the desk is open: there is a database and its key). */
  recoveryKey(): RecoveryKeyIssued;
  /** Prints the key just shown; only the key in force prints. */
  printRecoveryKey(recoveryKey: string, lang: Lang): Promise<Printed>;
  /** The language chosen at setup's first step, written to config.json with the enrollment. */
  setLang(lang: Lang): void;
  /** The desk's own dispatcher, once the terminal is enrolled and holds HQ's snapshot. */
  desk(): Dispatcher | null;
}

// The setup part of TerminalApi (joined into terminalApiInputs / TerminalOutputs): a new terminal's
// first steps from the UI — enrollment with HQ and its first sync, the printer, then the desk
// (docs/setup.md). Addresses and codes are loose strings here and checked by the core, so a bad one
// gets its own sentence (HQ_URL_INVALID, ENROLLMENT_CODE_MALFORMED), never a schema path.
import { z } from 'zod';
import type { DevicePrinterState } from './deskTypes';
import { emptyInputSchema } from './inputs';
import type { Printed, RecoveryKeyIssued } from './managerTypes';

export const setupApiInputs = {
  /** Where setup stands: enrolled or not (or the demo), the first sync's progress, the printer. */
  'setup.state': emptyInputSchema,
  /** Trades HQ's one-time code for this terminal's identity, then takes the first sync. */
  'setup.enroll': z.object({ hqUrl: z.string().max(300), code: z.string().max(64) }).strict(),
  /** The first sync again, when it failed after the enrollment stood (HQ went away meanwhile). */
  'setup.sync': emptyInputSchema,
  /** The serial ports this PC has (serialport's list), for the printer and the scanner. */
  'setup.serialPorts': emptyInputSchema,
  /** Saves the printer (tcp://, serial:, a /dev/ file; null: none) and says its state. */
  'setup.printer': z.object({ printer: z.string().trim().max(300).nullable() }).strict(),
  'setup.testPrint': emptyInputSchema,
  /** The recovery key, shown this once (a second time: RECOVERY_KEY_ALREADY_SHOWN; a manager renews it). */
  'setup.recoveryKey': emptyInputSchema,
  /** Prints the key just shown on the receipt printer; only the key in force prints. */
  'setup.printRecoveryKey': z.object({ recoveryKey: z.string().max(64) }).strict(),
  /** Setup is done: the window goes to the desk's sign-in; a setup session's rights end here. */
  'setup.finish': emptyInputSchema,
} as const;

export interface SetupSyncProgress {
  phase: 'enrolling' | 'push' | 'pull' | 'done' | 'failed';
  pulled: number;
  pages: number;
  /**
   * The error of a failed first sync: its sentence in the session's language, and its code and
   * parameters, so a screen words it again when the language is switched.
   */
  error: { code: string; message: string; params: Record<string, string | number> } | null;
}

export interface SetupState {
  /** This window: a setup session (no PIN, opened before there was a terminal) or a desk session (a manager's). */
  session: 'setup' | 'desk';
  /** 'new': no identity yet (no PIN needed); 'enrolled': enrolled with HQ; 'demo': demo data, never enrolled. */
  terminal: 'new' | 'enrolled' | 'demo';
  storeId: string | null;
  terminalId: string | null;
  /** The HQ address a terminal is enrolled with (never the credential). */
  hqUrl: string | null;
  /** The first sync (this process's): null before enrollment or when the desk opened already enrolled. */
  sync: SetupSyncProgress | null;
  /** The desk can open: the terminal is enrolled and holds HQ's snapshot (staff to sign in). */
  ready: boolean;
  staffCount: number;
  printer: string | null;
}

export interface PrinterCheck {
  uri: string | null;
  state: DevicePrinterState | 'not-configured';
  /** Why the printer did not answer: the sentence, and the code and parameters to word it again. */
  error: { code: string; message: string; params: Record<string, string | number> } | null;
}

export interface SetupOutputs {
  'setup.state': SetupState;
  'setup.enroll': SetupState;
  'setup.sync': SetupState;
  'setup.serialPorts': { ports: { path: string; label: string | null }[] };
  'setup.printer': PrinterCheck;
  'setup.testPrint': Printed;
  'setup.finish': { ready: true };
  'setup.recoveryKey': RecoveryKeyIssued;
  'setup.printRecoveryKey': Printed;
}

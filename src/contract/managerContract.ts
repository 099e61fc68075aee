// The manager's part of TerminalApi (joined into terminalApiInputs / TerminalOutputs): day-end,
// Z-report, KPIs, conflicts, staff and device settings. Every method refuses a clerk (NOT_MANAGER)
// in the core; dates are checked by the core so a bad one gets its own sentence (DATE_INVALID).
import { z } from 'zod';
import type { DevicePrinterState, SignedInStaff } from './deskTypes';
import { emptyInputSchema, pinSchema } from './inputs';
import type { BackupFileView, BackupStatus, ConflictView, DayEndProgress, DayEndResult, DayReport, DeskSettings, DoctorReport, Kpis, Printed, RecoveryKeyIssued, SetAsideView, StaffListEntry } from './managerTypes';
import { LANGS } from '../loyalty/types';

export * from './managerTypes';

export const KPI_CHART_NAMES = ['redemptionsPerDay', 'byTier', 'usageRate', 'pointsPerWeek', 'winBack'] as const;
export type KpiChartName = (typeof KPI_CHART_NAMES)[number];

/** What the manager may change in config.json; the rest is HQ's. */
export const settingsPatchSchema = z
  .object({
    printer: z.string().trim().max(300).nullable().optional(),
    scanner: z
      .object({
        wedge: z.object({ enabled: z.boolean(), maxInterKeyMs: z.number().int().min(5).max(200), minLength: z.number().int().min(4).max(64) }).strict().optional(),
        serial: z.object({ port: z.string().trim().min(1).max(200).nullable(), baud: z.number().int().min(1200).max(921_600) }).strict().optional(),
        camera: z.object({ deviceId: z.string().max(300).nullable() }).strict().optional(),
      })
      .strict()
      .optional(),
    lang: z.enum(LANGS).optional(),
  })
  .strict();
const dateInput = z.string().max(32).optional();
const staffIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, 'a staff id');

export const managerApiInputs = {
  /**
   * A manager approves the manager area for the signed-in clerk with their PIN: the clerk stays
   * signed in, and what is done there is recorded as the clerk's with the manager's approval.
   * A wrong PIN, or anyone else's, counts toward the pad's lockout (MANAGER_PIN_WRONG).
   */
  'manager.approve': z.object({ pin: pinSchema }).strict(),
  /** Leaving the manager area ends the approval. */
  'manager.leave': emptyInputSchema,
  /** The business day to close: today unless a past day was left open (the command line's --date). */
  'manager.dayEnd': z.object({ date: dateInput }).strict(),
  'manager.dayEndProgress': emptyInputSchema,
  'manager.zReport': z.object({ date: dateInput }).strict(),
  'manager.closedDays': z.object({ limit: z.number().int().min(1).max(366).default(30) }).strict(),
  'manager.zReportCsv': z.object({ date: dateInput }).strict(),
  'manager.printZReport': z.object({ date: dateInput }).strict(),
  'manager.kpis': z.object({ date: dateInput }).strict(),
  'manager.kpiCsv': z.object({ chart: z.enum(KPI_CHART_NAMES), date: dateInput }).strict(),
  'manager.conflicts': z.object({ onlyOpen: z.boolean().default(false) }).strict(),
  'manager.ackConflict': z.object({ id: z.number().int().positive(), note: z.string().trim().max(200).optional() }).strict(),
  'manager.setAside': emptyInputSchema,
  'manager.staff.list': emptyInputSchema,
  // The name's rule (NFC, no control, bidi or invisible characters, never blank, ≤ 40) is the core's
  // (src/loyalty/staffName.ts), so a refusal says why in the user's language (STAFF_NAME_INVALID).
  'manager.staff.add': z.object({ name: z.string().max(400), pin: pinSchema }).strict(),
  'manager.staff.disable': z.object({ staffId: staffIdSchema }).strict(),
  'manager.staff.resetPin': z.object({ staffId: staffIdSchema, pin: pinSchema }).strict(),
  'manager.settings.get': emptyInputSchema,
  'manager.settings.set': settingsPatchSchema,
  'manager.settings.testPrint': z.object({ printer: z.string().trim().min(1).max(300).optional() }).strict(),
  'manager.settings.printerStatus': z.object({ printer: z.string().trim().min(1).max(300).optional() }).strict(),
  /** doctor's findings in the session's language, each with what to do (src/terminal/manager/doctor.ts). */
  'manager.doctor': emptyInputSchema,
  /**
   * The recovery key that opens this terminal's backups on another PC, shown once (setup shows and
   * prints it); again only with `renew` (the paper was lost), which makes a new one.
   */
  'manager.recoveryKey': z.object({ renew: z.boolean().default(false) }).strict(),
  // Backups in the manager area (issue 19; docs/backup.md).
  /** Where backups go, the last automatic one, a failing daily backup, when the recovery key was shown. */
  'manager.backups': emptyInputSchema,
  /** A manual backup now (kept until a person removes it). */
  'manager.backupNow': emptyInputSchema,
  /** Prints the recovery key just shown on the receipt printer; only the key in force prints (RECOVERY_KEY_INVALID). */
  'manager.printRecoveryKey': z.object({ recoveryKey: z.string().max(64) }).strict(),
} as const;

export interface KpiTable {
  header: string[];
  rows: (string | number | boolean | null)[][];
}

export interface CsvFile {
  filename: string;
  /** UTF-8 text starting with a byte-order mark. */
  csv: string;
}

export interface ManagerOutputs {
  /** Who acts (the signed-in clerk, or the manager) and who approves. */
  'manager.approve': { actor: SignedInStaff; manager: SignedInStaff };
  'manager.leave': { ok: true };
  'manager.dayEnd': DayEndResult;
  'manager.dayEndProgress': DayEndProgress | null;
  'manager.zReport': DayReport;
  'manager.closedDays': { date: string; number: number; closedAt: number; synced: boolean }[];
  'manager.zReportCsv': CsvFile;
  'manager.printZReport': Printed;
  'manager.kpis': { kpis: Kpis; tables: Record<KpiChartName, KpiTable> };
  'manager.kpiCsv': CsvFile;
  'manager.conflicts': ConflictView[];
  'manager.ackConflict': { id: number; at: number; by: string };
  'manager.setAside': SetAsideView[];
  'manager.staff.list': StaffListEntry[];
  'manager.staff.add': StaffListEntry;
  'manager.staff.disable': StaffListEntry;
  'manager.staff.resetPin': { id: string; ok: true };
  'manager.settings.get': DeskSettings;
  'manager.settings.set': DeskSettings & { changed: string[] };
  'manager.settings.testPrint': Printed;
  'manager.settings.printerStatus': { uri: string | null; state: DevicePrinterState | 'not-configured'; error: { code: string; params: Record<string, string | number> } | null };
  'manager.doctor': DoctorReport;
  'manager.recoveryKey': RecoveryKeyIssued;
  'manager.backups': BackupStatus;
  'manager.backupNow': BackupFileView;
  'manager.printRecoveryKey': Printed;
}

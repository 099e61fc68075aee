// What the manager's calls answer (day-end, Z-report, KPIs, conflicts, staff, settings), as types
// the core implements and the manager area reads.
import { z } from 'zod';
import type { BenefitType, Lang, LocalizedText, OfflineRiskLimits, TierCode } from '../loyalty/types';
import { OP_KINDS, type DevicePrinterState, type StaffRole } from './deskTypes';
import type { ConflictReason } from './conflictReason';
import type { ErrorCode } from './errors';

export interface ConflictOp {
  opId: string;
  kind: string;
  at: number;
  terminalId: string;
  staffId: string;
  valueFen: number;
  /** A purchase's amount (an earn, a return); null for other kinds. */
  amountFen: number | null;
  points: number;
  voided: boolean;
}

export interface ConflictView {
  id: number;
  kind: string;
  decision: string;
  detail: unknown;
  /** Why HQ decided so (`detail.reason` read through conflictReason), for its sentence; null: HQ gave no reason. */
  reason: ConflictReason | null;
  at: number;
  decidedAt: number;
  terminalId: string;
  member: { id: string; name: string | null; cardNo: string | null };
  benefit: { id: string; name: LocalizedText } | null;
  /** The operation HQ decided about, when it was made here. */
  op: ConflictOp | null;
  /** Other redemptions of the same benefit by the member that this terminal knows of. */
  others: ConflictOp[];
  acknowledged: { at: number; by: string } | null;
}

const count = z.number().int().min(0);
const fen = z.number().int();
const person = z.object({ id: z.string(), name: z.string() });

/** A business day's Z-report; a closed day's is stored as JSON and read back through this schema. */
export const dayReportSchema = z.object({
  date: z.string(),
  /** The Z number (consecutive per terminal); null while the day is open. */
  number: z.number().int().min(1).nullable(),
  closed: z.boolean(),
  /** Every operation of the day acknowledged by HQ. */
  synced: z.boolean(),
  redemptions: z.object({ count, valueFen: fen, byType: z.record(z.string(), z.object({ count, valueFen: fen })) }),
  /** Redemptions by the tier the member held when redeeming (today's tier for operations recorded before schema 70), kept so the KPIs read closed days without rescanning them. */
  byTier: z.record(z.string(), z.object({ count, valueFen: fen })).default({}),
  points: z.object({ earned: count, burned: count, donated: count, expired: count }),
  voids: z.array(
    z.object({ opId: z.string(), targetOpId: z.string(), kind: z.enum(OP_KINDS), valueFen: fen, points: z.number().int(), at: z.number().int(), staff: person, approvedBy: person }),
  ),
  byStaff: z.array(z.object({ staffId: z.string(), name: z.string(), count, valueFen: fen })),
  /**
   * Returns (退货) of the day: how many, the purchase amount returned, the points taken back, the
   * shortfall (already spent, not taken back) and the points they left members owing (docs/returns.md
   * "Owing points"; reports kept before it have none: 0).
   */
  returns: z
    .object({ count, amountFen: fen, points: count, shortfall: count, owed: count.default(0) })
    .default({ count: 0, amountFen: 0, points: 0, shortfall: 0, owed: 0 }),
  /** Operations of the day not yet acknowledged by HQ. */
  pending: count,
  conflicts: z.array(
    z.object({ id: z.number().int(), opId: z.string(), memberId: z.string(), kind: z.string(), decision: z.string(), detail: z.unknown(), at: z.number().int(), acknowledged: z.boolean() }),
  ),
  storeId: z.string(),
  terminalId: z.string(),
  tz: z.string(),
  closedAt: z.number().int().nullable(),
  closedBy: z.string().nullable(),
  closedByName: z.string().nullable(),
  /** The manager who approved the close when a clerk closed the day (reports kept before issue 18: null). */
  closeApprovedBy: person.nullable().default(null),
  /** Operations of a closed day recorded after it was closed (not in the totals above). */
  lateOperations: count,
});
export type DayReport = z.infer<typeof dayReportSchema>;

export interface ExpirySweep {
  lots: number;
  points: number;
}

export interface DayEndProgress {
  step: 'sync' | 'push' | 'pull' | 'close' | 'done';
  pushed: number;
  toPush: number;
  pulled: number;
  pages: number;
  startedAt: number;
}

export interface DayEndResult {
  report: DayReport;
  alreadyClosed: boolean;
  expiry: ExpirySweep;
  sync:
    | { ok: true; pushed: number; duplicates: number; pulled: number; pages: number; conflicts: number }
    | { ok: false; error: { code: ErrorCode; params: Record<string, string | number> } };
  /** Events still waiting for HQ after the day-end (0 when all synced). */
  waiting: number;
  /** The progress as it ended (what the bar shows last). */
  progress: DayEndProgress;
  /** The audit log checked against HQ's signed anchor after the sync (docs/authority.md); null when it holds. */
  auditProblem: { code: 'AUDIT_TRUNCATED' | 'AUDIT_REWRITTEN' | 'AUDIT_ANCHOR_INVALID'; params: { seq: number } } | null;
}

export interface Kpis {
  from: string;
  to: string;
  redemptionsPerDay: { date: string; count: number; valueFen: number }[];
  byTier: { tier: TierCode; count: number; valueFen: number }[];
  /** redeemed / issued per benefit type; rate null where nothing was issued. */
  usageRate: { type: BenefitType; issued: number; redeemed: number; rate: number | null }[];
  /** Monday-based weeks of the store's calendar that overlap the window. */
  pointsPerWeek: { week: string; earned: number; burned: number; expired: number }[];
  winBack: { issued: number; redeemed: number; rate: number | null; perDay: { date: string; count: number; valueFen: number }[] };
}

/** How the UI tells a keyboard-wedge scanner's burst from typing (config.json scanner.wedge). */
export interface WedgeSettings {
  enabled: boolean;
  maxInterKeyMs: number;
  minLength: number;
}

/** config.json scanner, as the manager sees and changes it. */
export interface ScannerSettings {
  wedge: WedgeSettings;
  serial: { port: string | null; baud: number };
  camera: { deviceId: string | null };
}

export interface DeskSettings {
  printer: string | null;
  scanner: ScannerSettings;
  lang: Lang;
  /** The store's time zone, as HQ set it for the store (business days follow it). */
  tz: string;
  offlineLimits: OfflineRiskLimits;
  /** Where the settings live. */
  configPath: string;
}

export interface Printed {
  printed: true;
  bytes: number;
  printerState: DevicePrinterState;
  uri: string;
}

export interface StaffListEntry {
  id: string;
  name: string;
  role: StaffRole;
  active: boolean;
  /** 'hq': managed by HQ, read-only here; 'local': added at this desk. */
  origin: 'hq' | 'local';
}

/** A row from HQ this terminal could not read and set aside (docs/authority.md "No poison"). */
export interface SetAsideView {
  id: number;
  entity: string | null;
  entityId: string | null;
  receivedAt: number;
  /** HQ has been told (at the sync after it was set aside). */
  reported: boolean;
}

/** What doctor found wrong (or that all is well), in severity order: each says what to do. */
export const DOCTOR_CODES = [
  'DB_DAMAGED',
  'AUDIT_CHAIN_BROKEN',
  'AUDIT_ANCHOR_INVALID',
  'AUDIT_TRUNCATED',
  'AUDIT_REWRITTEN',
  'AUDIT_OPERATION_MISMATCH',
  'NOT_ENROLLED',
  'SYNC_NEVER',
  'SYNC_STALE',
  'OUTBOX_WAITING',
  'RECEIPTS_WAITING',
  'PRINTER_NOT_SET',
  'PRINTER_FAULT',
  'SCANNER_FAULT',
  'SET_ASIDE_ROWS',
  'CONFLICTS_OPEN',
  'RESTORED_FROM_BACKUP',
  'ALL_GOOD',
  // Background work that keeps failing (issue 19): the sync loop, the daily backup.
  'SYNC_FAILING',
  'BACKUP_FAILED',
  'BACKUP_OVERDUE',
  'BACKUP_NONE',
  // Setup went on without the key (its call failed): backups open only with this PC's key file.
  'RECOVERY_KEY_NEVER_SHOWN',
] as const;
export type DoctorCode = (typeof DOCTOR_CODES)[number];

export interface DoctorFinding {
  code: DoctorCode;
  /** 'problem': data at risk or the desk cannot work; 'warn': needs attention soon; 'ok': nothing to do. */
  /** info: worth knowing, nothing is failing (no printer set up: receipts simply wait). */
  severity: 'problem' | 'warn' | 'info' | 'ok';
  params: Record<string, string | number>;
  /** What was found, in the session's language. */
  title: string;
  /** What to do about it, in the session's language. */
  action: string;
}

export interface DoctorReport {
  healthy: boolean;
  checkedAt: number;
  findings: DoctorFinding[];
}

/** The recovery key, the one time it is shown (docs/backup.md): nine groups of four, e.g. `7K2M-…-QX4T`. */
export interface RecoveryKeyIssued {
  recoveryKey: string;
  shownAt: number;
}

/** One backup file in the backup folder (docs/backup.md): `daily` (rotated) or `manual` (kept). */
export interface BackupFileView {
  name: string;
  kind: 'daily' | 'manual';
  /** When it was made (epoch ms, read from its name). */
  at: number;
  bytes: number;
}

/** The manager's view of backups: where they go, the last automatic one, a failing streak, the recovery key. */
export interface BackupStatus {
  /** The desk can back up this database (encrypted and with an identity). */
  possible: boolean;
  folder: string;
  lastDaily: BackupFileView | null;
  /** This terminal's newest backups, newest first (at most 10). */
  recent: BackupFileView[];
  /** The daily backup failing since when, with the reason in the session's language. */
  failure: { since: number; lastAt: number; failures: number; message: string } | null;
  /** When the recovery key in force was shown; null: none made yet. */
  recoveryShownAt: number | null;
}

// doctor: what is wrong with this terminal, in words a manager or the store's IT person can act on.
// The checks read the database (integrity, the audit chain and HQ's anchor, what waits to go to HQ
// or to the printer) and what the host says of its devices; each finding is a code with its
// parameters, then a sentence and what to do in the reader's language. The manager area
// (`manager.doctor`), `loyalty-desk doctor` and the support bundle all show the same findings.
import { DeskError, type ErrorCode } from '../../contract/errors';
import type { DoctorCode, DoctorFinding, DoctorReport } from '../../contract/managerTypes';
import type { PrinterState, ScannerStatus } from '../../contract/terminalApi';
import type { Translator } from '../../i18n';
import { businessDate, localParts } from '../../loyalty/time';
import { verifyAuditChain, type AuditVerdict } from '../../store/audit';
import { checkAuditAnchor, checkOperationsAgainstAudit } from '../../store/auditChecks';
import { getMeta, readIdentity } from '../../store/meta';
import { backupFolderFor } from '../../store/backup';
import { listDailyBackups } from '../../store/backupRotation';
import { keyOfConnection, type Db } from '../../store/open';
import { readBackupFailure, readSyncFailure, type BackupFailureStreak, type FailureStreak } from '../../store/opsFailures';
import { countUnprinted } from '../../store/printJobs';
import { recoveryStatus } from '../../store/recoveryKey';
import { sqliteWords } from '../../store/sqliteWords';
import { readRestoredFrom } from '../../store/restore';
import { getSyncState, listConflicts } from '../../store/syncState';

// sync_set_aside: rows from HQ this terminal could not parse (schema 110), kept for IT and HQ.
const COUNTED = ['members', 'point_lots', 'benefits', 'catalog_items', 'staff', 'operations', 'ledger', 'outbox', 'audit', 'print_jobs', 'sync_set_aside'] as const;

/** A day without a successful sync is worth a word; the offline limits will soon stop redemptions. */
const STALE_SYNC_MS = 24 * 3_600_000;

const SEVERITY: Record<DoctorCode, DoctorFinding['severity']> = {
  DB_DAMAGED: 'problem',
  AUDIT_CHAIN_BROKEN: 'problem',
  AUDIT_ANCHOR_INVALID: 'problem',
  AUDIT_TRUNCATED: 'problem',
  AUDIT_REWRITTEN: 'problem',
  AUDIT_OPERATION_MISMATCH: 'problem',
  NOT_ENROLLED: 'warn',
  SYNC_NEVER: 'warn',
  SYNC_STALE: 'warn',
  OUTBOX_WAITING: 'warn',
  RECEIPTS_WAITING: 'warn',
  // No printer set up is a choice not yet made, not a printer failing: said below the warnings.
  PRINTER_NOT_SET: 'info',
  PRINTER_FAULT: 'warn',
  SCANNER_FAULT: 'warn',
  SET_ASIDE_ROWS: 'warn',
  CONFLICTS_OPEN: 'warn',
  RESTORED_FROM_BACKUP: 'ok',
  ALL_GOOD: 'ok',
  SYNC_FAILING: 'warn',
  // No backup to restore from is data at risk: the PC's disk is the only copy.
  BACKUP_FAILED: 'problem',
  BACKUP_OVERDUE: 'warn',
  BACKUP_NONE: 'warn',
  RECOVERY_KEY_NEVER_SHOWN: 'warn',
};

/** The desk backs up once a store day while it runs: two days without one means it is not happening. */
const BACKUP_OVERDUE_MS = 48 * 3_600_000;

/** What the host knows of its devices (the desk's print loop and serial wiring); absent from the CLI unless asked. */
export interface DeviceFacts {
  /** null: no printer set up (config.json has none); absent: not known (the CLI without a config). */
  printer?: { state: PrinterState; name: string | null } | null;
  scanner?: ScannerStatus | null;
}

export interface DoctorFacts {
  integrity: string[];
  foreignKeyProblems: number;
  counts: Record<(typeof COUNTED)[number], number>;
  pending: { outbox: number; printJobs: number };
  audit: AuditVerdict;
  auditAnchor: ReturnType<typeof checkAuditAnchor>;
  operationsVsAudit: ReturnType<typeof checkOperationsAgainstAudit>;
  identity: ReturnType<typeof readIdentity>;
  enrolled: boolean;
  lastSyncAt: number | null;
  openConflicts: number;
  /** Set when this database was restored from a backup (docs/backup.md): its chain goes back to the backup's head. */
  restored: ReturnType<typeof readRestoredFrom>;
  /** The background sync failing since when (src/store/opsFailures.ts); null after a success. */
  syncFailure: FailureStreak | null;
  backup: BackupFacts;
}

export interface BackupFacts {
  /** The desk can make its daily backup (an encrypted, enrolled or demo terminal database). */
  possible: boolean;
  folder: string;
  /** This terminal's newest daily backup in the folder. */
  lastDaily: { name: string; at: number } | null;
  failure: BackupFailureStreak | null;
  /** The first audit entry: how long this database has had to make a backup (none yet: nothing to lose). */
  since: number | null;
  /** When the recovery key was last shown (recovery_shown_at); null: never, so no backup opens without the key file. */
  recoveryShownAt: number | null;
}

export function backupFacts(db: Db): BackupFacts {
  const identity = readIdentity(db);
  const folder = backupFolderFor(db.name);
  const first = db.prepare('SELECT min(at) AS at FROM audit').get() as { at: number | null };
  return {
    possible: identity !== null && keyOfConnection(db) !== null,
    folder,
    lastDaily: identity ? (listDailyBackups(folder, identity.terminalId).at(-1) ?? null) : null,
    failure: readBackupFailure(db),
    since: first.at,
    recoveryShownAt: recoveryStatus(db).shownAt,
  };
}

const count = (db: Db, sql: string): number => (db.prepare(sql).get() as { n: number }).n;

/** Reads everything doctor looks at; `full` runs integrity_check (every page) instead of quick_check. */
export function gatherFacts(db: Db, full: boolean): DoctorFacts {
  const integrity = (db.pragma(full ? 'integrity_check' : 'quick_check') as Record<string, string>[]).map((r) => Object.values(r)[0]!);
  const lastSync = getMeta(db, 'last_sync_at');
  return {
    integrity,
    foreignKeyProblems: (db.pragma('foreign_key_check') as unknown[]).length,
    counts: Object.fromEntries(COUNTED.map((t) => [t, count(db, `SELECT count(*) AS n FROM ${t}`)])) as DoctorFacts['counts'],
    pending: { outbox: count(db, 'SELECT count(*) AS n FROM outbox WHERE acked_at IS NULL'), printJobs: countUnprinted(db) },
    audit: verifyAuditChain(db),
    // HQ's signed anchor and the operations' own entries: what a local edit of the log cannot hide.
    auditAnchor: checkAuditAnchor(db),
    operationsVsAudit: checkOperationsAgainstAudit(db),
    identity: readIdentity(db),
    enrolled: getSyncState(db, 'hq_url') !== null && getSyncState(db, 'credential') !== null,
    lastSyncAt: lastSync === null ? null : Number(lastSync),
    openConflicts: listConflicts(db, true).length,
    restored: readRestoredFrom(db),
    syncFailure: readSyncFailure(db),
    backup: backupFacts(db),
  };
}

/**
 * What a sync failure's finding carries: the reason from the closed list, HQ's refusal code and
 * status (for IT, in the JSON), never the address or HQ's English (rows kept before this had them).
 */
const SYNC_ERROR_PARAMS = ['why', 'seconds', 'status', 'hqCode'] as const;
const pick = (params: Record<string, string | number>, keys: readonly string[]): Record<string, string | number> =>
  Object.fromEntries(keys.filter((k) => Object.hasOwn(params, k)).map((k) => [k, params[k]!]));

const localMinute = (at: number, tz: string): string => {
  const p = localParts(at, tz);
  return `${businessDate(at, tz)} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

/** The findings as codes and parameters, most serious first; ALL_GOOD alone when there is nothing. */
export function findingsOf(f: DoctorFacts, devices: DeviceFacts, now: number): { code: DoctorCode; params: Record<string, string | number> }[] {
  const out: { code: DoctorCode; params: Record<string, string | number> }[] = [];
  const add = (code: DoctorCode, params: Record<string, string | number> = {}) => out.push({ code, params });
  const tz = f.identity?.tz ?? 'Asia/Shanghai';
  if (!(f.integrity.length === 1 && f.integrity[0] === 'ok') || f.foreignKeyProblems > 0) add('DB_DAMAGED', { problems: f.integrity.filter((l) => l !== 'ok').length + f.foreignKeyProblems });
  if (!f.audit.ok) add('AUDIT_CHAIN_BROKEN', { seq: f.audit.firstBrokenSeq ?? 0 });
  if (f.auditAnchor.problem) add(f.auditAnchor.problem, { seq: f.auditAnchor.anchor?.seq ?? 0 });
  if (f.operationsVsAudit.mismatchedTotal > 0) add('AUDIT_OPERATION_MISMATCH', { count: f.operationsVsAudit.mismatchedTotal });
  if (!f.enrolled) add('NOT_ENROLLED');
  else if (f.lastSyncAt === null) add('SYNC_NEVER');
  else if (now - f.lastSyncAt > STALE_SYNC_MS) add('SYNC_STALE', { hours: Math.floor((now - f.lastSyncAt) / 3_600_000) });
  // Only the parameters the sync error's own sentence uses, never whatever the stored row holds.
  const failing = (streak: FailureStreak) => ({ ...pick(streak.params, SYNC_ERROR_PARAMS), errorCode: streak.code, since: localMinute(streak.since, tz), failures: streak.failures });
  if (f.enrolled && f.syncFailure) add('SYNC_FAILING', failing(f.syncFailure));
  if (f.backup.possible) {
    const b = f.backup;
    // The cause from the closed list and nothing else: no path, no English message (docs/backup.md).
    if (b.failure) add('BACKUP_FAILED', { errorCode: b.failure.code, cause: b.failure.cause, since: localMinute(b.failure.since, tz), failures: b.failure.failures });
    if (b.lastDaily && now - b.lastDaily.at > BACKUP_OVERDUE_MS) add('BACKUP_OVERDUE', { hours: Math.floor((now - b.lastDaily.at) / 3_600_000), folder: b.folder });
    else if (!b.lastDaily && b.since !== null && now - b.since > BACKUP_OVERDUE_MS) add('BACKUP_NONE', { folder: b.folder });
    // Setup's step can be passed without a key (its call failed): said until one is shown.
    if (b.recoveryShownAt === null) add('RECOVERY_KEY_NEVER_SHOWN');
  }
  if (f.pending.outbox > 0 && f.enrolled) add('OUTBOX_WAITING', { count: f.pending.outbox });
  const printer = devices.printer;
  const noPrinter = printer === null || printer?.state === 'not-configured';
  // Without a printer, receipts wait by design: "check the paper and cable" would send someone to a
  // printer that is not there. The finding says how to set one up and how many receipts then print.
  if (noPrinter) add('PRINTER_NOT_SET', { count: f.pending.printJobs });
  else {
    if (f.pending.printJobs > 0) add('RECEIPTS_WAITING', { count: f.pending.printJobs });
    if (printer && printer.state !== 'ready' && printer.state !== 'unknown' && printer.state !== 'paper-low') add('PRINTER_FAULT', { state: printer.state });
  }
  const serial = devices.scanner?.serial;
  if (serial && (serial.state === 'error' || serial.state === 'reconnecting')) add('SCANNER_FAULT', { attempts: serial.attempts });
  if (f.counts.sync_set_aside > 0) add('SET_ASIDE_ROWS', { count: f.counts.sync_set_aside });
  if (f.openConflicts > 0) add('CONFLICTS_OPEN', { count: f.openConflicts });
  // Said as what it is, not as a truncation: the audit chain of a restored terminal goes back to the backup's head.
  if (f.restored) add('RESTORED_FROM_BACKUP', { backupAt: localMinute(f.restored.backupAt, f.identity?.tz ?? 'Asia/Shanghai') });
  if (out.every((x) => SEVERITY[x.code] === 'ok' || SEVERITY[x.code] === 'info')) add('ALL_GOOD');
  // Most serious first, as the list promises (the codes above are added in the order they are checked).
  const rank = { problem: 0, warn: 1, info: 2, ok: 3 } as const;
  return out.map((x, i) => ({ x, i })).sort((a, b) => rank[SEVERITY[a.x.code]] - rank[SEVERITY[b.x.code]] || a.i - b.i).map(({ x }) => x);
}

/** Each finding with its sentence and what to do, in the translator's language. */
export function describeFindings(found: { code: DoctorCode; params: Record<string, string | number> }[], tr: Translator): DoctorFinding[] {
  return found.map(({ code, params }) => {
    const words: Record<string, string | number> = { ...params };
    if (typeof params.state === 'string') words.state = tr.t(`printerState.${params.state}`, { defaultValue: params.state });
    // A failing streak's error, worded again in the reader's language from its code and parameters:
    // the sync's in a few words from a closed list (no HQ address, no HQ words), the backup's by its cause.
    if (typeof params.errorCode === 'string') words.reason = code === 'SYNC_FAILING' ? tr.syncFailure(params.errorCode, params) : tr.error(params.errorCode as ErrorCode, params);
    return { code, severity: SEVERITY[code], params, title: tr.t(`support.doctor.${code}.title`, words), action: tr.t(`support.doctor.${code}.action`, words) };
  });
}

/**
 * An encrypted page that fails its check stops quick_check and integrity_check themselves with
 * SQLITE_CORRUPT (or NOTADB): that is the damaged database doctor looks for, told as DB_CORRUPT with
 * SQLite's words for IT, not INTERNAL — the same in the manager's check-up and `loyalty-desk doctor`.
 */
export function damagedAs<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') throw new DeskError('DB_CORRUPT', { path, sqlite: sqliteWords([(err as Error).message]) }, err);
    throw err;
  }
}

export function doctorReport(db: Db, o: { tr: Translator; now: number; full: boolean; devices?: DeviceFacts }): DoctorReport & { facts: DoctorFacts } {
  const facts = damagedAs(db.name, () => gatherFacts(db, o.full));
  const findings = describeFindings(findingsOf(facts, o.devices ?? {}, o.now), o.tr);
  return { healthy: findings.every((x) => x.severity !== 'problem'), checkedAt: o.now, findings, facts };
}

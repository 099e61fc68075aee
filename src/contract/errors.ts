// The error codes that cross the TerminalApi boundary, and the typed envelope they travel in.
import { LOYALTY_REASONS, type LoyaltyReason, type RefusalParams } from '../loyalty/refusal';

export const DESK_ERRORS = [
  'INVALID_INPUT',
  'UNKNOWN_MEMBER',
  'UNKNOWN_BENEFIT',
  'UNKNOWN_ITEM',
  'UNKNOWN_STAFF',
  'UNKNOWN_OPERATION',
  'UNKNOWN_PRINT_JOB',
  // A reprint while a paper of that receipt still waits to print (docs/print.md): nothing is added.
  'RECEIPT_ALREADY_WAITING',
  'STAFF_INACTIVE',
  'WRONG_PIN',
  'LOCKED_OUT',
  // A PIN that is not an active manager's where a manager must approve, or at the lockout's unlock (counted).
  'MANAGER_PIN_WRONG',
  'UNLOCK_PIN_WRONG',
  'NOT_MANAGER',
  'NOT_SIGNED_IN',
  // A command-line write with no --staff: the CLI signs in no one, it names who acts.
  'STAFF_REQUIRED',
  'VOID_NOT_SAME_DAY',
  'ALREADY_VOIDED',
  'NOT_VOIDABLE',
  'VOID_GRANT_USED',
  // Returns (docs/returns.md): only a purchase, and not one that was voided.
  'RETURN_NOT_PURCHASE',
  'RETURN_OF_VOIDED',
  'DB_NOT_FOUND',
  'NOT_LOYALTY_DB',
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  'DB_BUSY',
  /** The data folder's disk is nearly full: the sync stops pulling so operations keep their room. */
  'DISK_SPACE_LOW',
  'CONFIG_INVALID',
  'NOT_ENROLLED',
  'DB_EXISTS',
  // The database key (docs/encryption.md).
  'DB_KEY_MISSING',
  'DB_KEY_WRONG',
  'DB_KEY_INVALID',
  // Backups, restore and the recovery key (docs/backup.md).
  'BACKUP_NOT_FOUND',
  'BACKUP_NOT_A_BACKUP',
  'BACKUP_DAMAGED',
  'BACKUP_WRONG_KEY',
  'BACKUP_KEY_NEEDED',
  'BACKUP_NO_RECOVERY',
  'BACKUP_AUDIT_BROKEN',
  'BACKUP_OTHER_TERMINAL',
  'BACKUP_EXISTS',
  'BACKUP_FAILED',
  // Another backup of the same data folder is being made (its lock in the backup folder).
  'BACKUP_BUSY',
  'RESTORE_TARGET_EXISTS',
  'RECOVERY_KEY_INVALID',
  'RECOVERY_KEY_ALREADY_SHOWN',
  'RECOVERY_KEY_UNAVAILABLE',
  'AUDIT_CHAIN_BROKEN',
  // The log checked against HQ's signed anchor and the operations (docs/authority.md).
  'AUDIT_TRUNCATED',
  'AUDIT_REWRITTEN',
  'AUDIT_ANCHOR_INVALID',
  'AUDIT_OPERATION_MISMATCH',
  // Sync with HQ (docs/sync.md).
  'HQ_UNREACHABLE',
  'HQ_TIMEOUT',
  'HQ_ERROR',
  'HQ_BAD_RESPONSE',
  'HQ_REFUSED',
  'ENROLLMENT_CODE_REJECTED',
  'ALREADY_ENROLLED',
  'NO_HQ_CREDENTIAL',
  // Setup from the UI (docs/setup.md): the address and code checked before HQ is asked, HQ's answer
  // on the code, and a setup method where setup is not open.
  'HQ_URL_INVALID',
  'ENROLLMENT_CODE_MALFORMED',
  'ENROLLMENT_CODE_INVALID',
  'ENROLLMENT_CODE_USED',
  'SETUP_CLOSED',
  // Member code rejections (DESIGN.md "Member codes"); UNKNOWN_MEMBER and NOT_YET_VALID are shared.
  'MALFORMED',
  'UNKNOWN_KEY',
  'BAD_SIGNATURE',
  'EXPIRED',
  'REPLAYED',
  'REVOKED',
  'CARD_SUPERSEDED',
  'SESSION_REQUIRED',
  'PHONE_MISMATCH',
  'PHONE_CHECK_LOCKED',
  'PHONE_NOT_CONFIRMED',
  // Found by phone and the whole-number check (docs/privacy.md).
  'PHONE_INVALID',
  'PHONE_UNKNOWN',
  'PHONE_AMBIGUOUS',
  'PHONE_LOOKUP_UNAVAILABLE',
  'PHONE_CHECK_NEEDS_CODE',
  'MEMBER_NOT_SCANNED',
  // Sign-up at the desk (docs/join.md).
  'PHONE_TAKEN',
  'CONSENT_REQUIRED',
  'CARD_BLOCK_EMPTY',
  'TERMS_UNAVAILABLE',
  'MEMBER_NAME_INVALID',
  'BIRTHDAY_INVALID',
  'REFERRER_UNKNOWN',
  'PRINTER_URI_INVALID',
  // Where a printer or serial scanner may be (docs/security.md); the reason is the i18n context.
  'PRINTER_ADDRESS_REFUSED',
  'SCANNER_PORT_REFUSED',
  'PRINTER_NOT_CONFIGURED',
  'PRINTER_UNREACHABLE',
  'PRINTER_PORT_MISSING',
  'PRINTER_NOT_ANSWERING',
  'PRINTER_OFFLINE',
  'PRINTER_PAPER_OUT',
  'PRINTER_COVER_OPEN',
  'PRINTER_ERROR',
  'PRINTER_WRITE_FAILED',
  // The member kiosk (docs/kiosk.md).
  'KIOSK_CODE_REQUIRED',
  'KIOSK_STAFF_ONLY',
  'KIOSK_NO_PAGE',
  'KIOSK_SLIP_LIMIT',
  'KIOSK_PRINTER_UNAVAILABLE',
  // Manager's day-end (docs/dayend.md).
  'DATE_INVALID',
  'DAY_IN_FUTURE',
  'FILE_WRITE_FAILED',
  'UNKNOWN_CONFLICT',
  'STAFF_MANAGED_BY_HQ',
  'STAFF_NAME_INVALID',
  'PIN_IN_USE',
  'PIN_CHANGES_LOCKED',
  'CANNOT_DISABLE_SELF',
  // Secrets on the command line (docs/cli.md).
  'SECRET_ON_COMMAND_LINE',
  'SECRET_IN_WORK_TREE',
  'INTERNAL',
] as const;
export type DeskErrorCode = (typeof DESK_ERRORS)[number];
export type ErrorCode = DeskErrorCode | LoyaltyReason;
export const ERROR_CODES: readonly ErrorCode[] = [...DESK_ERRORS, ...LOYALTY_REASONS];
/** The nine ways a scanned code is refused, in the order the checks run. */
export const SCAN_REJECTIONS = [
  'MALFORMED',
  'UNKNOWN_KEY',
  'BAD_SIGNATURE',
  'EXPIRED',
  'NOT_YET_VALID',
  'UNKNOWN_MEMBER',
  'REVOKED',
  'CARD_SUPERSEDED',
  'REPLAYED',
] as const satisfies readonly ErrorCode[];
/** A failure the core knows by name. Its message is made at the edge, in the user's language. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly params: RefusalParams;
  constructor(code: ErrorCode, params: RefusalParams = {}, cause?: unknown) {
    super(code, cause === undefined ? undefined : { cause });
    this.name = 'DeskError';
    this.code = code;
    this.params = params;
  }
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  params: RefusalParams;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

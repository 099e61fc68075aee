// TerminalApi: the one typed interface the UI uses. The Electron preload, the web host's client
// and tests are adapters over this handler map; every call returns a Result, never throws.
import { z } from 'zod';
import { LANGS, type CatalogItem, type Lang, type LocalizedText } from '../loyalty/types';
import type {
  DevicePrinterState,
  EarnPreview,
  EarnResult,
  JoinResult,
  ReferralRewardPreview,
  CardReplaceResult,
  CardReplacePreview,
  MemberCard,
  MemberCardCode,
  MemberHistory,
  MemberSummary,
  PointsOpResult,
  PrintJob,
  PrivacyTerms,
  ReceiptModel,
  RecentOperation,
  RedeemResult,
  ReturnQuote,
  ReturnResult,
  SignedInStaff,
  VoidResult,
} from './deskTypes';
import type { WedgeSettings } from './managerTypes';
import type { Result } from './errors';
import { managerApiInputs, type ManagerOutputs } from './managerContract';
import { setupApiInputs, type SetupOutputs } from './setupContract';
import {
  cashInputSchema,
  donateInputSchema,
  earnInputSchema,
  earnPreviewInputSchema,
  emptyInputSchema,
  exchangeInputSchema,
  joinInputSchema,
  replaceCardInputSchema,
  replaceCardPreviewInputSchema,
  memberIdSchema,
  memberRefSchema,
  phoneTextSchema,
  opIdSchema,
  redeemInputSchema,
  reprintInputSchema,
  returnInputSchema,
  returnQuoteInputSchema,
  signInInputSchema,
  voidInputSchema,
} from './inputs';

/** Whatever a scanner, the camera or the keyboard produced; the core decides what it is. */
export const scanInputSchema = z.object({ code: z.string().trim().min(1, 'the code is empty').max(512, 'a code is at most 512 characters') }).strict();
/** The member's whole phone number, checked against the keyed hash (docs/privacy.md). */
export const confirmPhoneInputSchema = z.object({ memberId: memberIdSchema, phone: phoneTextSchema }).strict();
export const setLangInputSchema = z.object({ lang: z.enum(LANGS) }).strict();
export const receiptPreviewInputSchema = z.object({ opId: opIdSchema }).strict();
export const recentInputSchema = z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict();

export type { CatalogItem, Lang, LocalizedText } from '../loyalty/types';
export * from './deskTypes';
export type { WedgeSettings } from './managerTypes';
export * from './managerContract';
export * from './setupContract';

export const terminalApiInputs = {
  'session.current': emptyInputSchema,
  'session.setLang': setLangInputSchema,
  'status.get': emptyInputSchema,
  'scan.submit': scanInputSchema,
  'member.confirmPhone': confirmPhoneInputSchema,
  'staff.signIn': signInInputSchema,
  'staff.signOut': emptyInputSchema,
  /** While the pad is locked after wrong PINs: a manager's PIN lifts the lock at once (audited). */
  'staff.unlock': signInInputSchema,
  'member.lookup': memberRefSchema,
  'member.card': memberRefSchema,
  /** 开卡: a new member, offline too (docs/join.md). */
  'member.join': joinInputSchema,
  /** 挂失补卡: a new card number and serial from this terminal's block, with a manager's approval (docs/lostcard.md). */
  'member.replaceCard': replaceCardInputSchema,
  /** The confirmation before it: old → new card number; takes nothing. */
  'member.replaceCardPreview': replaceCardPreviewInputSchema,
  /** The new card's member code HQ signed after 挂失补卡, for the member to photograph; a verified member only. */
  'member.cardCode': z.object({ memberId: memberIdSchema }).strict(),
  /** The privacy terms to show the member before they agree; null before HQ sent any. */
  'terms.current': emptyInputSchema,
  /** 老带新 as the rules give it, for the sign-up form (before anything is written). */
  'member.referralReward': emptyInputSchema,
  'benefit.redeem': redeemInputSchema,
  'points.earn': earnInputSchema,
  'points.earnPreview': earnPreviewInputSchema,
  'points.exchange': exchangeInputSchema,
  'points.cash': cashInputSchema,
  'points.donate': donateInputSchema,
  'operation.void': voidInputSchema,
  /** A purchase returned on a later day (退货): whole, an amount, or lines. */
  'points.return': returnInputSchema,
  'points.returnQuote': returnQuoteInputSchema,
  /** The member's purchases at this terminal still inside the return window (the desk's 退货 list). */
  'points.purchases': z.object({ memberId: memberIdSchema }).strict(),
  'receipt.reprint': reprintInputSchema,
  'catalog.list': emptyInputSchema,
  'print.unprinted': emptyInputSchema,
  'receipt.preview': receiptPreviewInputSchema,
  'operation.recent': recentInputSchema,
  /** The member's recent operations: this terminal's, and other terminals' when HQ answers in time (docs/history.md). */
  'member.history': z.object({ memberId: memberIdSchema }).strict(),
  ...managerApiInputs,
  ...setupApiInputs,
} as const;

export type TerminalMethod = keyof typeof terminalApiInputs;
/** What a caller passes (defaults may be left out). */
export type TerminalInput<M extends TerminalMethod> = z.input<(typeof terminalApiInputs)[M]>;
/** What a handler gets after parsing. */
export type ParsedInput<M extends TerminalMethod> = z.output<(typeof terminalApiInputs)[M]>;

/** A member as the UI sees them: of the phone only ****1234 (docs/privacy.md). */
export type PublicMember = MemberSummary;
export type PublicMemberCard = MemberCard;

export interface ScanOutcome {
  member: PublicMember;
  /**
   * 'card': a plain card number, unverified until member.confirmPhone (the whole phone number) or a
   * scanned code; 'phone': found by phone number, unverified until a scanned code; 'code': a signed member code.
   */
  via: 'card' | 'code' | 'phone';
  verified: boolean;
  /** What was checked: a signed card code, a live app code, or nothing (a card number). */
  check: 'signed' | 'rotating' | 'unverified';
}

/** The printer's real-time state (src/print/status.ts), or no printer set at all. */
export type PrinterState = DevicePrinterState | 'not-configured';

/** The serial scanner as the status bar says it (src/runtime/serialWiring.ts maps the reader's states). */
export const SERIAL_SCANNER_STATES = ['not-configured', 'connecting', 'connected', 'reconnecting', 'error'] as const;
export type SerialScannerState = (typeof SERIAL_SCANNER_STATES)[number];

/**
 * The scanners the host runs and the camera the desk opens, from config.json scanner (re-read when
 * the manager changes the settings). Checked by the core before it reaches the UI.
 */
export const scannerStatusSchema = z
  .object({
    /** config.json scanner.camera.deviceId; null = the default camera. */
    camera: z.object({ deviceId: z.string().min(1).max(300).nullable() }).strict(),
    serial: z
      .object({
        state: z.enum(SERIAL_SCANNER_STATES),
        /** The configured port (COM3, /dev/ttyACM0); null when none is configured. */
        port: z.string().max(300).nullable(),
        /** Failed opens since the port was last open. */
        attempts: z.number().int().min(0),
        /** Why the port is not open, in the OS's words. */
        error: z.string().max(300).nullable(),
      })
      .strict(),
  })
  .strict();
export type ScannerStatus = z.infer<typeof scannerStatusSchema>;
export const NO_SCANNER: ScannerStatus = { camera: { deviceId: null }, serial: { state: 'not-configured', port: null, attempts: 0, error: null } };

export interface DeskStatus {
  storeId: string;
  storeName: LocalizedText | null;
  terminalId: string;
  /** The store's time zone: dates on screen are the store's dates. */
  tz: string;
  printer: { state: PrinterState; name: string | null; unprinted: number };
  /** clockSkewMs: HQ's clock minus this PC's at the last sync; clockSkewWarning past 2 minutes (codes and receipts carry times). */
  hq: { online: boolean; lastSyncAt: number | null; clockSkewMs: number | null; clockSkewWarning: boolean };
  /** Operations not yet acknowledged by HQ (the Z-report's unit: joins and card replacements are not operations). */
  pendingSync: number;
  scanner: ScannerStatus;
  /** The PIN pad is locked until this instant after wrong PINs (a manager's PIN lifts it); null when open. */
  lockedUntil: number | null;
  /** The business day operations are recorded under; afterClose: today is closed, so it is the next day. */
  day: { date: string; afterClose: boolean };
}

/** Pushed to the UI (web host: server-sent events; Electron: IPC). */
export type DeskEvent =
  | { type: 'status'; status: DeskStatus }
  | { type: 'scan'; code: string; source: 'serial' | 'camera' | 'wedge' }
  | { type: 'print'; printJobId: number; opId: string | null; state: 'printed' | 'failed'; message: string | null };

export interface ReceiptPreview {
  opId: string;
  printJobId: number;
  status: string;
  copy: boolean;
  receipt: ReceiptModel;
}

export interface TerminalOutputs extends ManagerOutputs, SetupOutputs {
  'session.current': { staff: SignedInStaff | null; pendingSync: number; lang: Lang; wedge: WedgeSettings };
  'session.setLang': { lang: Lang };
  'status.get': DeskStatus;
  'scan.submit': ScanOutcome;
  'member.confirmPhone': { memberId: string; verified: true };
  'staff.signIn': SignedInStaff;
  'staff.signOut': { ok: true };
  'staff.unlock': { lifted: boolean; by: SignedInStaff | null };
  'member.lookup': PublicMember;
  'member.card': PublicMemberCard;
  'member.join': JoinResult;
  'member.replaceCard': CardReplaceResult;
  'member.replaceCardPreview': CardReplacePreview;
  'member.cardCode': MemberCardCode;
  'terms.current': PrivacyTerms | null;
  'member.referralReward': ReferralRewardPreview;
  'benefit.redeem': RedeemResult;
  'points.earn': EarnResult;
  'points.earnPreview': EarnPreview;
  'points.exchange': PointsOpResult;
  'points.cash': PointsOpResult;
  'points.donate': PointsOpResult;
  'operation.void': VoidResult;
  'points.return': ReturnResult;
  'points.returnQuote': ReturnQuote;
  'points.purchases': ReturnQuote[];
  'receipt.reprint': { printJobId: number };
  'catalog.list': CatalogItem[];
  'print.unprinted': PrintJob[];
  'receipt.preview': ReceiptPreview;
  'operation.recent': RecentOperation[];
  'member.history': MemberHistory;
}

export type TerminalApi = {
  [M in TerminalMethod]: (input: TerminalInput<M>) => Promise<Result<TerminalOutputs[M]>>;
};

/**
 * What the Electron preload exposes as `window.loyaltyDesk` (checked there with `satisfies`): the same
 * handler map, plus the event stream the web host sends as server-sent events.
 */
export interface DeskBridge {
  api: TerminalApi;
  onEvent(listener: (event: DeskEvent) => void): () => void;
}

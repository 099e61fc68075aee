// What the desk's calls answer, as types the core implements and the UI reads. They live here, in
// the floor, so the contract never imports its implementation: terminal/, store/ and print/ import
// these, never the other way round.
import type { BenefitType, LocalizedText, MemberStatus, TierCode } from '../loyalty/types';
import type { LoyaltyReason, RefusalParams } from '../loyalty/refusal';

export type StaffRole = 'clerk' | 'manager';

export const OP_KINDS = ['redeem', 'exchange', 'cash', 'donate', 'earn', 'void', 'return'] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** A printer's real-time state (DLE EOT, src/print/status.ts). */
export const PRINTER_STATES = ['ready', 'paper-low', 'paper-out', 'cover-open', 'offline', 'not-answering', 'error', 'unknown'] as const;
export type DevicePrinterState = (typeof PRINTER_STATES)[number];

export interface SignedInStaff {
  id: string;
  name: string;
  role: StaffRole;
}

export interface MemberSummary {
  id: string;
  cardNo: string;
  name: string;
  maskedName: string;
  /** ****1234: the last four digits are all a terminal holds or shows of a phone number. */
  maskedPhone: string;
  tier: TierCode;
  status: MemberStatus;
  cardSerial: number;
}

export interface BenefitView {
  id: string;
  type: BenefitType;
  name: LocalizedText;
  validFrom: number;
  validTo: number;
  offlineRedeemable: boolean;
  eligible: boolean;
  /** True when it can be used once the purchase amount is entered. */
  needsAmount: boolean;
  valueFen: number | null;
  reason: { code: LoyaltyReason; params: RefusalParams } | null;
  used: number;
  limit: number | null;
}

export interface MemberCard {
  member: MemberSummary & { birthday: string | null; joinedAt: number; tierSince: number };
  tier: {
    code: TierCode;
    payPermille: number;
    visits: number;
    spendFen: number;
    next: TierCode | null;
    visitsNeeded: number;
    spendNeededFen: number;
  };
  points: {
    balance: number;
    expiring: { total: number; lots: { expiresAt: number; points: number }[] };
    /** The fewest points one donation takes by this terminal's rules (POINTS_TOO_FEW below it). */
    donationMin: number;
  };
  notices: { birthdayMonth: boolean; memberDay: boolean };
  benefits: BenefitView[];
  offline: boolean;
  /**
   * HQ's signed code of the member's current card is held here (a replacement HQ applied, then pulled):
   * the card offers it (member.cardCode) for the member to photograph. False before that sync.
   */
  cardCode: boolean;
}

/**
 * What 今日业务 lists: the operations, and the two writes that move no points but print a slip —
 * a sign-up and a lost-card replacement (never voided: they are not operations).
 */
export const SLIP_KINDS = ['memberJoined', 'cardReplaced'] as const;
export type SlipKind = (typeof SLIP_KINDS)[number];

export interface RecentOperation {
  /** The operation's id; for a sign-up or a replacement, its joinId or replaceId (the slip's 单号). */
  opId: string;
  kind: OpKind | SlipKind;
  at: number;
  businessDate: string;
  /** Null only for a replacement recorded before its slip named the member. */
  memberId: string | null;
  maskedName: string;
  staffId: string;
  /** What a gift, benefit, deduction or donation is worth (not money taken). */
  valueFen: number;
  /** The purchase (an earn, a coupon's or deduction's bill) or the part returned; null when none. */
  amountFen: number | null;
  points: number;
  /** What it was about (benefit or catalog item), when the receipt names it. */
  subject: LocalizedText | null;
  voided: boolean;
  /**
   * Whether operation.void would take it now by the core's rule (src/terminal/operations/void.ts):
   * not a void or a return, not voided, of the business day operations are recorded under now, and
   * not a purchase whose tier step's welcome gift was already redeemed (VOID_GRANT_USED).
   */
  voidable: boolean;
  targetOpId: string | null;
  /** The newest print job for it: 'pending' | 'printed' | 'failed', or null when it has none. */
  printStatus: string | null;
}

/** What every write answers: its ids in the operation log, the outbox, the audit chain and the print queue. */
export interface Recorded {
  opId: string;
  outboxSeq: number;
  auditSeq: number;
  printJobId: number;
}

export interface RedeemResult extends Recorded {
  valueFen: number;
  /** The gift drawn from a blind box. */
  drawn: { sku: string; name: LocalizedText } | null;
  offline: boolean;
}

export interface PointsOpResult extends Recorded {
  points: number;
  valueFen: number;
  pointsBefore: number;
  pointsAfter: number;
  offline: boolean;
}

export interface EarnTierChange {
  from: TierCode;
  to: TierCode;
  reason: string;
}

export interface EarnResult extends PointsOpResult {
  tierChange: EarnTierChange | null;
  /** The manager who approved the earn (recorded in the operation and printed on the receipt). */
  approvedBy: { id: string; name: string } | null;
}

/**
 * What an earn would do, worked out by the same rules as the earn itself and written nowhere, so the
 * desk can confirm before committing. A purchase the limits refuse is a typed error instead.
 */
export interface EarnPreview {
  amountFen: number;
  points: number;
  pointsBefore: number;
  pointsAfter: number;
  tierChange: EarnTierChange | null;
  /** Above rules.earn.approvalAboveFen: the earn needs a manager (their PIN, or a manager acting). */
  needsManager: boolean;
  approvalAboveFen: number;
}

/** A member signed up at this desk (member.join): the card is theirs at once, offline too. */
export interface JoinResult {
  member: MemberSummary;
  /** The privacy terms the member agreed to, when, and the staff member who recorded it. */
  consent: { termsVersion: number; at: number; staffId: string };
  referrer: MemberSummary | null;
  /**
   * 老带新 as this terminal's rules expect it, when a referrer was named: HQ gives it (or not) at the
   * new member's first purchase and decides the figures (docs/join.md "Referral reward").
   */
  expectedReferralReward: { referrerPoints: number; refereePoints: number } | null;
  /** The sign-up's place in the outbox and the audit chain. */
  outboxSeq: number;
  auditSeq: number;
  /** The sign-up's slip (开卡凭条) in the print queue. */
  printJobId: number;
}

/** 挂失补卡's confirmation (member.replaceCardPreview): the card the member loses and the one they get. */
export interface CardReplacePreview {
  member: MemberSummary;
  oldCardNo: string;
  newCardNo: string;
}

/**
 * The new card's member code after 挂失补卡 (member.cardCode): the static code HQ signed for the member's
 * current card, and its QR as modules (row by row, '1' dark), so the desk draws it without a QR library.
 * Null before HQ's code reached this terminal. A bearer credential: only for a member verified at the desk.
 */
export interface MemberCardCode {
  memberId: string;
  cardNo: string;
  code: { text: string; size: number; modules: string } | null;
}

/** A lost card replaced (member.replaceCard): the old card's codes are refused from now on (CARD_SUPERSEDED). */
export interface CardReplaceResult {
  member: MemberSummary;
  replaceId: string;
  oldCardNo: string;
  newCardNo: string;
  cardSerial: number;
  approvedBy: { id: string; name: string };
  outboxSeq: number;
  auditSeq: number;
  printJobId: number;
}

/**
 * 老带新 as this terminal's rules give it (member.referralReward), for the sign-up form to show both
 * sides what they get when a referrer is named; HQ decides at the new member's first purchase.
 */
export interface ReferralRewardPreview {
  referrerPoints: number;
  refereePoints: number;
}

/** The brand's privacy terms shown to a member before they agree (terms.current). */
export interface PrivacyTerms {
  version: number;
  text: LocalizedText;
  publishedAt: number;
}

/** A purchase line as a return shows it: what was bought, what came back so far, what is left. */
export interface ReturnableLine {
  category: string;
  amountFen: number;
  returnedFen: number;
  points: number;
}

/** points.returnQuote: a purchase of this terminal, what of it may still come back, and by when. */
export interface ReturnQuote {
  opId: string;
  memberId: string;
  at: number;
  businessDate: string;
  amountFen: number;
  points: number;
  returnedFen: number;
  lines: ReturnableLine[];
  /** The last instant a return is accepted (rules.returns.windowDays after the purchase). */
  returnBy: number;
  /** Why no return is possible now (same day, window passed, voided, all returned), or null. */
  refusal: { code: string; params: Record<string, string | number> } | null;
  /** What the return asked for would do (only when one was asked and it stands). */
  plan: ReturnPlanView | null;
}

export interface ReturnPlanView {
  amountFen: number;
  /** The points of the returned part. */
  points: number;
  /** What is taken from the balance: at most what the member has (the rest is the shortfall). */
  takenBack: number;
  shortfall: number;
  /** Of takenBack, what the member now owes: spent points HQ's rules let the balance go below zero for. */
  owed: number;
  pointsBefore: number;
  pointsAfter: number;
  /** The tier step the purchase caused, undone because the member no longer reaches it. */
  tierChange: EarnTierChange | null;
  lines: { category: string; amountFen: number; points: number }[];
}

export interface ReturnResult extends Recorded, ReturnPlanView {
  targetOpId: string;
}

export interface VoidResult extends Recorded {
  targetOpId: string;
  pointsBefore: number;
  pointsAfter: number;
}

/**
 * What a receipt says, as data: stored with the print job at commit, rendered (in the printer's
 * language and code page) only when it prints, so a reprint says exactly what the first print said.
 */
export interface ReceiptModel {
  v: 1;
  kind: OpKind;
  opId: string;
  at: number;
  tz: string;
  store: { id: string; name: LocalizedText };
  terminalId: string;
  staff: { id: string; name: string };
  approvedBy: { id: string; name: string } | null;
  member: { id: string; maskedName: string; maskedPhone: string; tier: TierCode };
  /** The benefit, catalog item or drawn gift the operation is about. */
  subject: { id: string; name: LocalizedText } | null;
  valueFen: number;
  amountFen: number | null;
  pointsBefore: number;
  pointsAfter: number;
  /** For a void: the operation it undid. */
  targetOpId: string | null;
  /** For a void: the kind of operation it undid (receipts before issue 18 lack it). */
  targetKind?: OpKind;
  /**
   * For a return: the lines returned, the points the balance could not give back, what the return left
   * the member owing (HQ's rules.returns.allowNegative; absent on receipts before it existed), the tier undone.
   */
  returned?: { lines: { category: string; amountFen: number; points: number }[]; shortfall: number; owed?: number; tierChange: EarnTierChange | null };
  offline: boolean;
  /** Set on a reprint's job: the receipt says COPY / 重印. Absent on rows written before it existed. */
  copy?: boolean;
  /**
   * The audit entry written with the operation and the first 8 hex of its hash, which chains every
   * entry before it: paper anchors the log (docs/authority.md). Absent on receipts before it existed.
   */
  audit?: { seq: number; mark: string };
}

export type PrintJobStatus = 'pending' | 'printed' | 'failed';

export interface PrintJob {
  id: number;
  opId: string | null;
  kind: string;
  payload: unknown;
  status: PrintJobStatus;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  printedAt: number | null;
}

/** One operation in the member's history (member.history, docs/history.md). */
export interface HistoryEntry {
  opId: string;
  kind: OpKind;
  at: number;
  businessDate: string;
  storeId: string;
  /** This store's name; null for another store (a terminal holds only its own store's name). */
  storeName: LocalizedText | null;
  terminalId: string;
  /** Recorded at this terminal (the desk can reprint, void or return it here). */
  here: boolean;
  /** HQ's points once HQ has it (its re-derivation), this terminal's until then. */
  points: number;
  amountFen: number | null;
  valueFen: number;
  /** What it was about (benefit or catalog item), when this terminal knows it. */
  subject: LocalizedText | null;
  targetOpId: string | null;
  voided: boolean;
  /** Of a purchase: what returns took back so far. */
  returnedFen: number;
  /** What HQ said of it in this answer: 'applied', 'refused' (it changed nothing at HQ), or null (not in HQ's answer, or HQ not asked). */
  hq: 'applied' | 'refused' | null;
  /** Recorded here and not yet pushed to HQ (this terminal's outbox still holds it). */
  pendingSync: boolean;
  /** A purchase of this terminal that can be returned now (退货); another terminal's purchase is returned where it was made. */
  returnable: boolean;
}

export interface MemberHistory {
  memberId: string;
  /** 'with-hq': HQ answered, so other terminals' operations are in; 'terminal-only': this terminal's alone. */
  source: 'terminal-only' | 'with-hq';
  /** Why HQ is not in it: no HQ (the demo, not enrolled), HQ unreachable or too slow, HQ said no (RATE_LIMITED…). */
  offline: { reason: 'no-hq' | 'unreachable' | 'refused' } | null;
  /** The oldest instant looked at, and how many days back that is. */
  since: number;
  days: number;
  entries: HistoryEntry[];
}

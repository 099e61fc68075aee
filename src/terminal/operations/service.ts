// The application service behind TerminalApi: one object, each method one operation. The sessions
// (src/terminal/session) reach the desk's operations only through it.
import { listCatalog } from '../../store/benefits';
import { createGroupCommit } from '../../store/groupCommit';
import { pendingOutbox, pendingOperationCount, pendingOutboxCount } from '../../store/outbox';
import { countUnprinted, unprintedJobs } from '../../store/printJobs';
import { getStoreName } from '../../store/stores';
import type { ServiceDeps } from './deps';
import { findMember, memberCard, summarize, type MemberRef } from './memberCard';
import { earnPreview } from './earnPlan';
import { joinMember } from './memberJoin';
import { previewReplaceCard, replaceCard } from './cardReplace';
import { memberCardCode } from './cardCode';
import { currentTerms } from '../../store/terms';
import { cashDeduct, donate, earn, exchange } from './pointsOps';
import { redeemBenefit } from './redeem';
import { kioskScan, slipProgress, withdrawSlips, writeSlip } from './kioskSlips';
import { phoneCheckFor } from './phoneCheck';
import { receiptPreview, reprint } from './reprint';
import { recentOperations } from './recentOps';
import { memberHistory, type HqHistoryPort } from './memberHistory';
import { scanMember } from './scan';
import { checkPin, checkManagerPin, liftLockout, lockedUntil, staffById } from './staffAuth';
import { statusFacts } from './statusFacts';
import { voidOperation } from './void';
import { memberPurchases, returnQuote } from './returnPlan';
import { returnPurchase } from './returnPurchase';

type Tail<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;

export function createTerminalService(deps: ServiceDeps) {
  return {
    deps,
    /**
     * Hosts serving several callers (web host, Electron) send writes through this, so writes that
     * arrive together share one fsync. Every session writes through it (the CLI too: one write, one commit).
     */
    commits: createGroupCommit(deps.db),
    /** The one path every scanner (camera, wedge, serial, CLI) takes into the core. */
    scan: (code: string) => scanMember(deps, code),
    lookupMember: (ref: MemberRef) => summarize(findMember(deps, ref)),
    memberCard: (ref: MemberRef) => memberCard(deps, ref),
    redeem: (input: Parameters<typeof redeemBenefit>[1]) => redeemBenefit(deps, input),
    earn: (input: Parameters<typeof earn>[1]) => earn(deps, input),
    /** 开卡: a new member with a card from this terminal's block, their consent recorded. */
    join: (input: Parameters<typeof joinMember>[1]) => joinMember(deps, input),
    terms: () => currentTerms(deps.db),
    /** 挂失补卡: the member's next card from this terminal's block, approved by a manager. */
    replaceCard: (input: Parameters<typeof replaceCard>[1]) => replaceCard(deps, input),
    replaceCardPreview: (memberId: string) => previewReplaceCard(deps, memberId),
    /** The static code HQ signed for the member's current card (after a replacement), with its QR; reads only. */
    cardCode: (memberId: string) => memberCardCode(deps, memberId),
    /** What an earn would do (points, tier change, whether a manager must approve); writes nothing. */
    earnPreview: (input: Parameters<typeof earnPreview>[1]) => earnPreview(deps, input),
    exchange: (input: Parameters<typeof exchange>[1]) => exchange(deps, input),
    cashDeduct: (input: Parameters<typeof cashDeduct>[1]) => cashDeduct(deps, input),
    donate: (input: Parameters<typeof donate>[1]) => donate(deps, input),
    voidOperation: (input: Parameters<typeof voidOperation>[1]) => voidOperation(deps, input),
    /** A purchase returned on a later day (退货): its points, spend and tier step taken back. */
    returnPurchase: (input: Parameters<typeof returnPurchase>[1]) => returnPurchase(deps, input),
    /** What a purchase allows to be returned, and what a return would do; writes nothing. */
    returnQuote: (input: Parameters<typeof returnQuote>[1]) => returnQuote(deps, input),
    memberPurchases: (memberId: string) => memberPurchases(deps, memberId),
    reprint: (input: Parameters<typeof reprint>[1]) => reprint(deps, input),
    signIn: (pin: string) => checkPin(deps, pin),
    /** A manager's approval at the desk (the manager area's pad); any other PIN counts as a wrong one. */
    approveAsManager: (pin: string) => checkManagerPin(deps, pin),
    /** A manager's PIN lifts the pad's lockout at once (audited); wrong PINs here count too. */
    liftLockout: (pin: string) => liftLockout(deps, pin),
    lockedUntil: () => lockedUntil(deps, deps.clock()),
    /** Who an operator names (--staff, --manager): active staff of this store, or a typed refusal. */
    staffById: (id: string) => staffById(deps, id),
    confirmPhone: (memberId: string, phone: string) => phoneCheckFor(deps, memberId, phone),
    receiptPreview: (opId: string) => receiptPreview(deps, opId),
    recentOperations: (limit: number) => recentOperations(deps, limit),
    /** This terminal's operations of the member, with other terminals' when HQ answers through `hq`. */
    memberHistory: (memberId: string, hq: HqHistoryPort | null) => memberHistory(deps, memberId, hq),
    statusFacts: () => statusFacts(deps),
    /** What the kiosk reads and writes: member pages for verified codes, benefit slips. */
    kiosk: {
      scan: (code: string) => kioskScan(deps, code),
      writeSlip: (...a: Tail<Parameters<typeof writeSlip>>) => writeSlip(deps, ...a),
      slipProgress: (slipId: number, waitMs: number) => slipProgress(deps, slipId, waitMs),
      withdrawSlips: (ids: readonly number[]) => withdrawSlips(deps, ids),
      storeName: () => getStoreName(deps.db, deps.identity.storeId),
    },
    catalog: () => listCatalog(deps.db),
    pendingOutbox: (limit?: number) => pendingOutbox(deps.db, limit),
    pendingCount: () => pendingOutboxCount(deps.db),
    /** For the status bar: operations waiting for HQ, as the Z-report counts them. */
    pendingOperations: () => pendingOperationCount(deps.db),
    unprintedJobs: () => unprintedJobs(deps.db),
    /** For the status bar, polled every second: a count, not every job's payload parsed. */
    unprintedCount: () => countUnprinted(deps.db),
  };
}

export type TerminalService = ReturnType<typeof createTerminalService>;

// The application service behind TerminalApi: one object, each method one operation.
import { listCatalog } from '../store/benefits';
import { createGroupCommit } from '../store/groupCommit';
import { pendingOutbox, pendingOutboxCount } from '../store/outbox';
import { unprintedJobs } from '../store/printJobs';
import type { ServiceDeps } from './deps';
import { findMember, memberCard, summarize, type MemberRef } from './memberCard';
import { cashDeduct, donate, earn, exchange } from './pointsOps';
import { redeemBenefit } from './redeem';
import { reprint } from './reprint';
import { scanMember } from './scan';
import { checkPin } from './staffAuth';
import { voidOperation } from './void';

export function createTerminalService(deps: ServiceDeps) {
  return {
    deps,
    /**
     * Hosts serving several callers (web host, Electron) send writes through this, so writes that
     * arrive together share one fsync; a one-shot CLI call just calls the method.
     */
    commits: createGroupCommit(deps.db),
    /** The one path every scanner (camera, wedge, serial, CLI) takes into the core. */
    scan: (code: string) => scanMember(deps, code),
    lookupMember: (ref: MemberRef) => summarize(findMember(deps, ref)),
    memberCard: (ref: MemberRef) => memberCard(deps, ref),
    redeem: (input: Parameters<typeof redeemBenefit>[1]) => redeemBenefit(deps, input),
    earn: (input: Parameters<typeof earn>[1]) => earn(deps, input),
    exchange: (input: Parameters<typeof exchange>[1]) => exchange(deps, input),
    cashDeduct: (input: Parameters<typeof cashDeduct>[1]) => cashDeduct(deps, input),
    donate: (input: Parameters<typeof donate>[1]) => donate(deps, input),
    voidOperation: (input: Parameters<typeof voidOperation>[1]) => voidOperation(deps, input),
    reprint: (input: Parameters<typeof reprint>[1]) => reprint(deps, input),
    signIn: (pin: string) => checkPin(deps, pin),
    catalog: () => listCatalog(deps.db),
    pendingOutbox: (limit?: number) => pendingOutbox(deps.db, limit),
    pendingCount: () => pendingOutboxCount(deps.db),
    unprintedJobs: () => unprintedJobs(deps.db),
  };
}

export type TerminalService = ReturnType<typeof createTerminalService>;

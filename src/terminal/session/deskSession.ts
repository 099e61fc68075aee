// One desk session: a window signed in by PIN, or an operator at the command line who names who
// acts (--staff) and who approves (--manager). It keeps who acts, which members were presented (and
// how), parses every input with its contract schema and calls the service; it holds no other state.
import { DeskError, type Result } from '../../contract/errors';
import {
  NO_SCANNER,
  scannerStatusSchema,
  terminalApiInputs,
  type ParsedInput,
  type PrinterState,
  type PublicMember,
  type PublicMemberCard,
  type ScannerStatus,
  type TerminalMethod,
  type TerminalOutputs,
  type WedgeSettings,
} from '../../contract/terminalApi';
import type { SignedInStaff } from '../../contract/deskTypes';
import type { Translator } from '../../i18n';
import { inputErrorParams } from '../../i18n/inputIssues';
import type { Lang } from '../../loyalty/types';
import type { TerminalService } from '../operations/service';
import { managerHandlers, type ManagerPorts } from './managerHandlers';
import { refusal, toAsyncResult, type InternalErrorSink } from './results';
import { setupDeskHandlers } from './setupHandlers';
import type { SetupPort } from './setupPort';
import type { HqHistoryPort } from '../operations/memberHistory';

/** What the host wires into desk sessions: devices, HQ sync, the UI's scanner thresholds. */
export interface DeskPorts {
  /** The printer's state, from the print subsystem when it is wired in. */
  printer?: () => { state: PrinterState; name: string | null };
  /** config.json scanner.wedge, for the UI's burst detector. */
  wedge?: WedgeSettings;
  /** HQ sync and the printer for the manager's day-end (managerHandlers.ts). */
  manager?: ManagerPorts;
  /** The serial scanner's state and the chosen camera (src/runtime/serialWiring.ts). */
  scanner?: () => ScannerStatus;
  /** Setup from the manager area (setupHandlers.ts): the host's serial ports and setup state. */
  setup?: SetupPort;
  /** HQ's answer about one member's operations elsewhere (docs/history.md); absent: this terminal's alone. */
  history?: HqHistoryPort;
}

export const DEFAULT_WEDGE: WedgeSettings = { enabled: true, maxInterKeyMs: 35, minLength: 8 };

/** A manager's approval of the manager area lapses after this long unused (a clerk left it open). */
const APPROVAL_IDLE_MS = 10 * 60_000;

/** A desk serves one member at a time; remembering a few covers going back and forth. */
const MAX_PRESENTED = 20;

interface Presence {
  via: 'card' | 'code' | 'phone';
  verified: boolean;
}

/**
 * Who a session acts as. 'pin': a window; staff sign in with a PIN and a write about a member needs
 * that member presented first (scanned or looked up by card), so no client acts on a bare member id.
 * 'operator': the command line; whoever runs it already holds the data folder, so it signs in no
 * one, but writes are recorded under the staff it names and pass the same role checks.
 */
export type DeskIdentity = { kind: 'pin' } | { kind: 'operator'; staffId: string | null; managerId: string | null };

export interface DeskSession {
  call(method: TerminalMethod, input: unknown): Promise<Result<unknown>>;
  lang(): Lang;
}

export function createDeskSession(
  service: TerminalService,
  tr: (lang: Lang) => Translator,
  who: DeskIdentity,
  options: { lang: Lang; ports: DeskPorts; onInternal?: InternalErrorSink },
): DeskSession {
  const { ports } = options;
  let staff: SignedInStaff | null = null;
  let lang: Lang = options.lang;
  const presented = new Map<string, Presence>();
  /** A manager's approval of the manager area for the signed-in clerk, and when it was last used. */
  let approval: { manager: SignedInStaff; usedAt: number } | null = null;
  const requireScan = who.kind === 'pin';

  /** Who acts: the PIN's owner, or the operator's --staff (checked now: disabled or unknown staff are refused). */
  const signedIn = (): SignedInStaff => {
    if (who.kind === 'operator') {
      if (who.staffId === null) throw new DeskError('STAFF_REQUIRED');
      return service.staffById(who.staffId);
    }
    if (!staff) throw new DeskError('NOT_SIGNED_IN');
    return staff;
  };
  /** Reads need a signed-in window; an operator reads what the data folder they hold already says. */
  const reads = (): void => {
    if (who.kind === 'pin') signedIn();
  };
  /**
   * Who approves a void or an earn: a manager's PIN typed at the desk, the operator's --manager, else
   * whoever acts (the core checks that an approver is a manager).
   */
  const approver = (managerPin: string | undefined, me: SignedInStaff): SignedInStaff => {
    // A manager's PIN, checked as one: a clerk's PIN here is as wrong as a mistyped one (MANAGER_PIN_WRONG, counted).
    if (managerPin !== undefined) return service.approveAsManager(managerPin);
    if (who.kind === 'operator' && who.managerId !== null) return service.staffById(who.managerId);
    return me;
  };
  /**
   * Each presentation stands on its own: a card or phone number typed later may be someone else at
   * the desk, so an earlier verification is never carried over to it (re-reading the card by id is
   * not a presentation and keeps it).
   */
  const present = (memberId: string, how: Presence): void => {
    presented.delete(memberId);
    presented.set(memberId, { via: how.via, verified: how.verified });
    while (presented.size > MAX_PRESENTED) presented.delete(presented.keys().next().value as string);
  };
  const forgetMembers = (): void => presented.clear();
  /**
   * Who does manager work, and which manager approves it: a manager signed in acts alone; a clerk
   * acts with the approval given at the manager area's pad (or the operator's --manager). The clerk
   * stays the one signed in, so everything after is still recorded under the clerk.
   */
  const managerAct = (): { actor: SignedInStaff; manager: SignedInStaff } => {
    const me = signedIn();
    if (me.role === 'manager') return { actor: me, manager: me };
    if (who.kind === 'operator') {
      if (who.managerId === null) throw new DeskError('NOT_MANAGER', { ref: me.id });
      return { actor: me, manager: service.staffById(who.managerId) };
    }
    const now = service.deps.clock();
    if (!approval || now - approval.usedAt > APPROVAL_IDLE_MS) {
      approval = null;
      throw new DeskError('NOT_MANAGER', { ref: me.id });
    }
    approval.usedAt = now;
    return { actor: me, manager: approval.manager };
  };
  /** Points or benefits leave the member only when we know the person at the desk holds the card. */
  const mayBurn = (memberId: string): void => {
    const p = presented.get(memberId);
    if (p && !p.verified) throw new DeskError('PHONE_NOT_CONFIRMED', { ref: memberId });
    if (!p && requireScan) throw new DeskError('MEMBER_NOT_SCANNED', { ref: memberId });
  };
  const mayEarn = (memberId: string): void => {
    if (!presented.has(memberId) && requireScan) throw new DeskError('MEMBER_NOT_SCANNED', { ref: memberId });
  };
  /** A member found by what anyone could type (a card or phone number) is presented, unverified. */
  const lookedUp = (ref: ParsedInput<'member.lookup'>, id: string): void => {
    // The operator names members by id (they hold the data folder); a phone check needs them presented.
    if ('cardNo' in ref || (who.kind === 'operator' && 'memberId' in ref)) present(id, { via: 'card', verified: false });
    if ('phone' in ref) present(id, { via: 'phone', verified: false });
  };

  const managerSide = managerHandlers(service, {
    managerAct,
    lang: () => lang,
    tr: () => tr(lang),
    ports: ports.manager ?? {},
    // what the host knows of its devices; the command line's operator knows nothing of them
    devices: () => ({ ...(ports.printer ? { printer: ports.printer() } : {}), ...(ports.scanner ? { scanner: ports.scanner() } : {}) }),
  });
  // Most handlers answer at once; the manager's day-end, printing and printer checks wait on devices.
  const impl: { [M in TerminalMethod]: (input: ParsedInput<M>) => TerminalOutputs[M] | Promise<TerminalOutputs[M]> } = {
    'session.current': () => ({ staff, pendingSync: service.pendingOperations(), lang, wedge: ports.wedge ?? DEFAULT_WEDGE }),
    'session.setLang': (i) => {
      lang = i.lang;
      return { lang };
    },
    'status.get': () => {
      const facts = service.statusFacts();
      return {
        ...facts,
        printer: { ...(ports.printer?.() ?? { state: 'unknown', name: null }), unprinted: service.unprintedCount() },
        pendingSync: service.pendingOperations(),
        scanner: scannerStatusSchema.parse(ports.scanner?.() ?? NO_SCANNER),
      };
    },
    'staff.signIn': ({ pin }) => {
      if (who.kind === 'operator') throw new DeskError('STAFF_REQUIRED');
      const next = service.signIn(pin);
      if (staff?.id !== next.id) forgetMembers();
      approval = null;
      return (staff = next);
    },
    'staff.signOut': () => {
      staff = null;
      approval = null;
      forgetMembers();
      return { ok: true };
    },
    'staff.unlock': ({ pin }) => {
      if (who.kind === 'operator') throw new DeskError('STAFF_REQUIRED');
      // Lifting the lock signs no one in: the next person signs in with their own PIN.
      return service.liftLockout(pin);
    },
    'manager.approve': ({ pin }) => {
      const me = signedIn();
      if (who.kind === 'operator') throw new DeskError('STAFF_REQUIRED');
      const manager = service.approveAsManager(pin);
      approval = manager.id === me.id ? null : { manager, usedAt: service.deps.clock() };
      return { actor: me, manager };
    },
    'manager.leave': () => {
      approval = null;
      return { ok: true };
    },
    'scan.submit': ({ code }) => {
      reads();
      // Camera, wedge, serial and typed card numbers all go through the one scan path (src/terminal/operations/scan.ts).
      const scanned = service.scan(code);
      present(scanned.member.id, { via: scanned.via, verified: scanned.via === 'code' });
      return {
        member: scanned.member,
        via: scanned.via,
        verified: presented.get(scanned.member.id)?.verified ?? false,
        check: scanned.verified,
      };
    },
    'member.confirmPhone': ({ memberId, phone }) => {
      // A check, like a read: the operator names no one (its wrong answers still count per card).
      reads();
      // Only a card in front of the desk is checked: guessing numbers for arbitrary ids proves nothing.
      const p = presented.get(memberId);
      if (!p) throw new DeskError('MEMBER_NOT_SCANNED', { ref: memberId });
      // A member found by their phone number cannot be verified by it again: only the code does that.
      if (p.via === 'phone' && !p.verified) throw new DeskError('PHONE_CHECK_NEEDS_CODE');
      service.confirmPhone(memberId, phone);
      present(memberId, { via: 'card', verified: true });
      return { memberId, verified: true };
    },
    'member.lookup': (ref): PublicMember => {
      reads();
      const member = service.lookupMember(ref);
      lookedUp(ref, member.id);
      return member;
    },
    'member.card': (ref): PublicMemberCard => {
      reads();
      const card = service.memberCard(ref);
      lookedUp(ref, card.member.id);
      return card;
    },
    'member.join': (i) => {
      const me = signedIn();
      const joined = service.commits.run(() =>
        service.join({
          phone: i.phone,
          phoneAgain: i.phoneAgain,
          name: i.name,
          birthday: i.birthday ?? null,
          referrer: i.referrer ?? null,
          consentTermsVersion: i.consentTermsVersion ?? null,
          staffId: me.id,
        }),
      );
      // The new member stands at the desk: presented, but unverified until they have a member code.
      return joined.then((r) => (present(r.member.id, { via: 'card', verified: false }), r));
    },
    'member.replaceCard': ({ memberId, managerPin }) => {
      const me = signedIn();
      // A clerk's own PIN, or no approval at all, is refused by the core (NOT_MANAGER).
      const by = approver(managerPin, me);
      return service.commits.run(() => service.replaceCard({ memberId, staffId: me.id, approverId: by.id }));
    },
    'member.replaceCardPreview': ({ memberId }) => (reads(), service.replaceCardPreview(memberId)),
    // The code is a bearer credential (it verifies whoever shows it): handed only to a member who proved
    // here to be the card's owner, as spending is (a code scanned, or the whole phone number checked).
    'member.cardCode': ({ memberId }) => (reads(), mayBurn(memberId), service.cardCode(memberId)),
    'terms.current': () => (reads(), service.terms()),
    'member.referralReward': () => (reads(), { referrerPoints: service.deps.rules.referral.referrerPoints, refereePoints: service.deps.rules.referral.refereePoints }),
    'benefit.redeem': (i) => {
      const me = signedIn();
      mayBurn(i.memberId);
      return service.commits.run(() => service.redeem({ ...i, staffId: me.id }));
    },
    'points.earn': ({ managerPin, ...i }) => {
      const me = signedIn();
      mayEarn(i.memberId);
      // An earn needs no approver below the threshold: a clerk acting alone approves nothing.
      const by = approver(managerPin, me);
      const approverId = by.id === me.id && by.role !== 'manager' ? null : by.id;
      return service.commits.run(() => service.earn({ ...i, staffId: me.id, approverId }));
    },
    'points.earnPreview': (i) => {
      reads();
      mayEarn(i.memberId);
      return service.earnPreview(i);
    },
    'points.exchange': (i) => {
      const me = signedIn();
      mayBurn(i.memberId);
      return service.commits.run(() => service.exchange({ ...i, staffId: me.id }));
    },
    'points.cash': (i) => {
      const me = signedIn();
      mayBurn(i.memberId);
      return service.commits.run(() => service.cashDeduct({ ...i, staffId: me.id }));
    },
    'points.donate': (i) => {
      const me = signedIn();
      mayBurn(i.memberId);
      return service.commits.run(() => service.donate({ ...i, staffId: me.id }));
    },
    'operation.void': ({ opId, managerPin }) => {
      const me = signedIn();
      const by = approver(managerPin, me);
      return service.commits.run(() => service.voidOperation({ opId, staffId: me.id, approverId: by.id }));
    },
    // A return names its purchase by the receipt's operation id; it gives nothing out, so the member
    // need not be verified, only the staff signed in.
    'points.return': (i) => {
      const me = signedIn();
      return service.commits.run(() => service.returnPurchase({ ...i, staffId: me.id }));
    },
    'points.returnQuote': (i) => (reads(), service.returnQuote(i)),
    'points.purchases': ({ memberId }) => (reads(), service.memberPurchases(memberId)),
    'receipt.reprint': ({ opId }) => service.reprint({ opId, staffId: signedIn().id }),
    'receipt.preview': ({ opId }) => (reads(), service.receiptPreview(opId)),
    'operation.recent': ({ limit }) => (reads(), service.recentOperations(limit)),
    // It asks HQ about the member: only one the desk has in front of it, never an id a client makes up.
    'member.history': ({ memberId }) => (reads(), mayEarn(memberId), service.memberHistory(memberId, ports.history ?? null)),
    'catalog.list': () => (reads(), service.catalog()),
    'print.unprinted': () => (reads(), service.unprintedJobs()),
    ...managerSide,
    ...setupDeskHandlers(managerSide, { requireManager: () => void managerAct(), identity: service.deps.identity, tr: () => tr(lang), port: ports.setup }),
  };

  return {
    lang: () => lang,
    call: async (method, input) => {
      const parsed = terminalApiInputs[method].safeParse(input ?? {});
      if (!parsed.success) return refusal(tr(lang), 'INVALID_INPUT', inputErrorParams(parsed.error, input ?? {}));
      const handler = impl[method] as (i: unknown) => unknown;
      return toAsyncResult(tr(lang), () => handler(parsed.data), options.onInternal);
    },
  };
}

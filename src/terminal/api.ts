// TerminalApi over the service for one client session (a window, a web-host client): it keeps
// who is signed in, which members were presented (and how), parses every input with its schema
// and turns failures into typed errors.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ZodError } from 'zod';
import { DeskError, type Result } from '../contract/errors';
import {
  NO_SCANNER,
  scannerStatusSchema,
  terminalApiInputs,
  type ParsedInput,
  type PrinterState,
  type PublicMember,
  type PublicMemberCard,
  type ScannerStatus,
  type TerminalApi,
  type TerminalMethod,
  type TerminalOutputs,
  type WedgeSettings,
} from '../contract/terminalApi';
import { DEFAULT_LANG, type Translator } from '../i18n';
import { zodErrorMap } from '../i18n/zodLocale';
import type { Lang } from '../loyalty/types';
import type { ReceiptModel } from '../print/receiptModel';
import { getMeta } from '../store/meta';
import { printJobsForOp } from '../store/printJobs';
import { getSyncState } from '../store/syncState';
import { SKEW_WARN_MS } from '../sync/protocol';
import { getStoreName } from '../store/stores';
import type { MemberSummary } from './memberCard';
import { managerHandlers, type ManagerPorts } from './managerApi';
import { recentOperations } from './recentOps';
import { scanMember } from './scan';
import type { TerminalService } from './service';
import { getLockout, setLockout } from '../store/staff';
import type { SignedInStaff } from './staffAuth';

export function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Where unexpected errors go (the host's log); `ref` is the reference the user was shown. */
export type InternalErrorSink = (err: unknown, ref?: string) => void;

/**
 * Runs fn and wraps its outcome; unknown exceptions become INTERNAL and are reported, never swallowed.
 * With a sink, the user sees a short reference instead of the raw text (paths, SQL): IT finds the
 * whole error under that reference in the log.
 */
export function toResult<T>(tr: Translator, fn: () => T, onInternal?: InternalErrorSink): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof DeskError) return { ok: false, error: { code: err.code, message: tr.error(err.code, err.params), params: err.params } };
    let detail: string;
    if (onInternal) {
      detail = `ref ${randomBytes(3).toString('hex').toUpperCase()}`;
      onInternal(err, detail);
    } else {
      detail = err instanceof Error ? err.message : String(err);
    }
    return { ok: false, error: { code: 'INTERNAL', message: tr.error('INTERNAL', { detail }), params: { detail } } };
  }
}

/** The clock skew the last sync measured (src/sync/syncRun.ts keeps it in sync_state). */
function clockSkew(db: TerminalService['deps']['db']): { clockSkewMs: number | null; clockSkewWarning: boolean } {
  const text = getSyncState(db, 'clock_skew_ms');
  const ms = text === null ? null : Number(text);
  const clockSkewMs = ms !== null && Number.isFinite(ms) ? ms : null;
  return { clockSkewMs, clockSkewWarning: clockSkewMs !== null && Math.abs(clockSkewMs) > SKEW_WARN_MS };
}

export interface TerminalApiOptions {
  /**
   * Desk sessions (web host, Electron): a write about a member needs that member presented in this
   * session first (scan.submit or a card-number lookup), so no client can act on a bare member id.
   */
  requireScan?: boolean;
  /** The printer's state, from the print subsystem when it is wired in. */
  printer?: () => { state: PrinterState; name: string | null };
  lang?: Lang;
  /** config.json scanner.wedge, for the UI's burst detector. */
  wedge?: WedgeSettings;
  /** HQ sync and the printer for the manager's day-end (src/terminal/managerApi.ts). */
  manager?: ManagerPorts;
  /** The serial scanner's state and the chosen camera (src/host/serialWiring.ts). */
  scanner?: () => ScannerStatus;
}

export const DEFAULT_WEDGE: WedgeSettings = { enabled: true, maxInterKeyMs: 35, minLength: 8 };

/** Wrong phone digits allowed per card before the desk must ask for the member's code instead. */
export const MAX_PHONE_FAILURES = 3;
const PHONE_FAILURE_WINDOW_MS = 15 * 60 * 1000;
/** A desk serves one member at a time; remembering a few covers going back and forth. */
const MAX_PRESENTED = 20;

interface Presence {
  via: 'card' | 'code';
  verified: boolean;
}

function sameDigits(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createTerminalApi(
  service: TerminalService,
  tr: (lang: Lang) => Translator,
  onInternal?: InternalErrorSink,
  options: TerminalApiOptions = {},
): TerminalApi {
  const { deps } = service;
  let staff: SignedInStaff | null = null;
  let lang: Lang = options.lang ?? DEFAULT_LANG;
  const presented = new Map<string, Presence>();

  const signedIn = (): SignedInStaff => {
    if (!staff) throw new DeskError('NOT_SIGNED_IN');
    return staff;
  };
  const present = (memberId: string, how: Presence): void => {
    const before = presented.get(memberId);
    presented.delete(memberId);
    presented.set(memberId, { via: how.via, verified: how.verified || (before?.verified ?? false) });
    while (presented.size > MAX_PRESENTED) presented.delete(presented.keys().next().value as string);
  };
  const forgetMembers = (): void => presented.clear();
  /** Points or benefits leave the member only when we know the person at the desk holds the card. */
  const mayBurn = (memberId: string): void => {
    const p = presented.get(memberId);
    if (p && !p.verified) throw new DeskError('PHONE_NOT_CONFIRMED', { ref: memberId });
    if (!p && options.requireScan) throw new DeskError('MEMBER_NOT_SCANNED', { ref: memberId });
  };
  const mayEarn = (memberId: string): void => {
    if (!presented.has(memberId) && options.requireScan) throw new DeskError('MEMBER_NOT_SCANNED', { ref: memberId });
  };
  /** The phone's last digits are the check itself: never sent, and the masked number hidden until confirmed. */
  const publicMember = <T extends MemberSummary>(m: T): Omit<T, 'phoneLast4'> => {
    const { phoneLast4: _hidden, ...rest } = m;
    const verified = presented.get(m.id)?.verified ?? false;
    return verified ? rest : { ...rest, maskedPhone: '*'.repeat(m.maskedPhone.length || 11) };
  };
  const lookedUp = (ref: { memberId: string } | { cardNo: string }, id: string): void => {
    if ('cardNo' in ref) present(id, { via: 'card', verified: false });
  };

  // Most handlers answer at once; the manager's day-end, printing and printer checks wait on devices.
  const impl: { [M in TerminalMethod]: (input: ParsedInput<M>) => TerminalOutputs[M] | Promise<TerminalOutputs[M]> } = {
    'session.current': () => ({ staff, pendingSync: service.pendingCount(), lang, wedge: options.wedge ?? DEFAULT_WEDGE }),
    'session.setLang': (i) => {
      lang = i.lang;
      return { lang };
    },
    'status.get': () => {
      const lastSync = getMeta(deps.db, 'last_sync_at');
      return {
        storeId: deps.identity.storeId,
        storeName: getStoreName(deps.db, deps.identity.storeId),
        terminalId: deps.identity.terminalId,
        tz: deps.identity.tz,
        printer: { ...(options.printer?.() ?? { state: 'unknown', name: null }), unprinted: service.unprintedJobs().length },
        hq: { online: deps.connectivity().online, lastSyncAt: lastSync === null ? null : Number(lastSync), ...clockSkew(deps.db) },
        pendingSync: service.pendingCount(),
        scanner: scannerStatusSchema.parse(options.scanner?.() ?? NO_SCANNER),
      };
    },
    'staff.signIn': ({ pin }) => {
      const who = service.signIn(pin);
      if (staff?.id !== who.id) forgetMembers();
      return (staff = who);
    },
    'staff.signOut': () => {
      staff = null;
      forgetMembers();
      return { ok: true };
    },
    'scan.submit': ({ code }) => {
      signedIn();
      // Camera, wedge, serial and typed card numbers all go through the one scan path (src/terminal/scan.ts).
      const scanned = scanMember(deps, code);
      const signed = scanned.verified !== 'unverified';
      present(scanned.member.id, { via: signed ? 'code' : 'card', verified: signed });
      return { member: publicMember(scanned.member), via: signed ? 'code' : 'card', verified: presented.get(scanned.member.id)?.verified ?? false };
    },
    'member.confirmPhone': ({ memberId, last4 }) => {
      signedIn();
      // Only a card in front of the desk is checked: guessing digits for arbitrary ids proves nothing.
      if (!presented.has(memberId)) throw new DeskError('MEMBER_NOT_SCANNED', { ref: memberId });
      const member = service.lookupMember({ memberId });
      const now = deps.clock();
      // Kept in the database, not the session: reloading the page or starting again must not
      // give a guesser fresh tries at the same card.
      const scope = `phone:${memberId}`;
      const lock = getLockout(deps.db, scope);
      if (lock.lockedUntil !== null && lock.lockedUntil > now) throw new DeskError('PHONE_CHECK_LOCKED', { ref: memberId });
      const prior = lock.lockedUntil === null ? lock.failures : 0;
      if (!sameDigits(member.phoneLast4, last4)) {
        const failures = prior + 1;
        if (failures >= MAX_PHONE_FAILURES) {
          setLockout(deps.db, scope, { failures: 0, lockedUntil: now + PHONE_FAILURE_WINDOW_MS });
          throw new DeskError('PHONE_CHECK_LOCKED', { ref: memberId });
        }
        setLockout(deps.db, scope, { failures, lockedUntil: null });
        throw new DeskError('PHONE_MISMATCH', { left: MAX_PHONE_FAILURES - failures });
      }
      if (prior > 0 || lock.lockedUntil !== null) setLockout(deps.db, scope, { failures: 0, lockedUntil: null });
      present(memberId, { via: 'card', verified: true });
      return { memberId, verified: true };
    },
    'member.lookup': (ref): PublicMember => {
      signedIn();
      const member = service.lookupMember(ref);
      lookedUp(ref, member.id);
      return publicMember(member);
    },
    'member.card': (ref): PublicMemberCard => {
      signedIn();
      const card = service.memberCard(ref);
      lookedUp(ref, card.member.id);
      return { ...card, member: publicMember(card.member) };
    },
    'benefit.redeem': (i) => {
      const me = signedIn();
      mayBurn(i.memberId);
      return service.commits.run(() => service.redeem({ ...i, staffId: me.id }));
    },
    'points.earn': (i) => {
      const me = signedIn();
      mayEarn(i.memberId);
      return service.commits.run(() => service.earn({ ...i, staffId: me.id }));
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
      const approver = managerPin === undefined ? me : service.signIn(managerPin);
      return service.commits.run(() => service.voidOperation({ opId, staffId: me.id, approverId: approver.id }));
    },
    'receipt.reprint': ({ opId }) => service.reprint({ opId, staffId: signedIn().id }),
    'receipt.preview': ({ opId }) => {
      signedIn();
      const jobs = printJobsForOp(deps.db, opId);
      const job = jobs[jobs.length - 1];
      if (!job) throw new DeskError('UNKNOWN_OPERATION', { ref: opId });
      const payload = job.payload as ReceiptModel & { copy?: boolean };
      return { opId, printJobId: job.id, status: job.status, copy: payload.copy === true, receipt: payload };
    },
    'operation.recent': ({ limit }) => (signedIn(), recentOperations(deps, limit)),
    'catalog.list': () => (signedIn(), service.catalog()),
    'print.unprinted': () => (signedIn(), service.unprintedJobs()),
    ...managerHandlers(service, { signedIn, lang: () => lang, tr: () => tr(lang), ports: options.manager ?? {} }),
  };

  const api = {} as Record<TerminalMethod, (input: unknown) => Promise<Result<unknown>>>;
  for (const method of Object.keys(terminalApiInputs) as TerminalMethod[]) {
    api[method] = async (input: unknown) => {
      const parsed = terminalApiInputs[method].safeParse(input ?? {}, { error: zodErrorMap(lang) });
      if (!parsed.success) {
        const detail = describeZodError(parsed.error);
        return { ok: false, error: { code: 'INVALID_INPUT', message: tr(lang).error('INVALID_INPUT', { detail }), params: { detail } } };
      }
      const handler = impl[method] as (i: unknown) => unknown;
      const result = toResult(tr(lang), () => handler(parsed.data), onInternal);
      if (!result.ok || !(result.value instanceof Promise)) return result;
      return (result.value as Promise<unknown>).then(
        (value): Result<unknown> => ({ ok: true, value }),
        (err: unknown) => toResult(tr(lang), () => { throw err; }, onInternal),
      );
    };
  }
  return api as unknown as TerminalApi;
}

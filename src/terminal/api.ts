// TerminalApi over the service for one client session (a window, a web-host client): it keeps
// who is signed in, parses every input with its schema and turns failures into typed errors.
import type { ZodError } from 'zod';
import { DeskError, type Result } from '../contract/errors';
import {
  terminalApiInputs,
  type TerminalApi,
  type TerminalInput,
  type TerminalMethod,
  type TerminalOutputs,
} from '../contract/terminalApi';
import type { Translator } from '../i18n';
import type { TerminalService } from './service';
import type { SignedInStaff } from './staffAuth';

export function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Runs fn and wraps its outcome; unknown exceptions become INTERNAL and are reported, never swallowed. */
export function toResult<T>(tr: Translator, fn: () => T, onInternal?: (err: unknown) => void): Result<T> {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    if (err instanceof DeskError) return { ok: false, error: { code: err.code, message: tr.error(err.code, err.params), params: err.params } };
    onInternal?.(err);
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: 'INTERNAL', message: tr.error('INTERNAL', { detail }), params: { detail } } };
  }
}

export function createTerminalApi(service: TerminalService, tr: () => Translator, onInternal?: (err: unknown) => void): TerminalApi {
  let staff: SignedInStaff | null = null;
  const signedIn = (): SignedInStaff => {
    if (!staff) throw new DeskError('NOT_SIGNED_IN');
    return staff;
  };

  const impl: { [M in TerminalMethod]: (input: TerminalInput<M>) => TerminalOutputs[M] } = {
    'session.current': () => ({ staff, pendingSync: service.pendingCount() }),
    'staff.signIn': ({ pin }) => (staff = service.signIn(pin)),
    'staff.signOut': () => {
      staff = null;
      return { ok: true };
    },
    'member.lookup': (ref) => (signedIn(), service.lookupMember(ref)),
    'member.card': (ref) => (signedIn(), service.memberCard(ref)),
    'benefit.redeem': (i) => service.redeem({ ...i, staffId: signedIn().id }),
    'points.earn': (i) => service.earn({ ...i, staffId: signedIn().id }),
    'points.exchange': (i) => service.exchange({ ...i, staffId: signedIn().id }),
    'points.cash': (i) => service.cashDeduct({ ...i, staffId: signedIn().id }),
    'points.donate': (i) => service.donate({ ...i, staffId: signedIn().id }),
    'operation.void': ({ opId, managerPin }) => {
      const me = signedIn();
      const approver = managerPin === undefined ? me : service.signIn(managerPin);
      return service.voidOperation({ opId, staffId: me.id, approverId: approver.id });
    },
    'receipt.reprint': ({ opId }) => service.reprint({ opId, staffId: signedIn().id }),
    'catalog.list': () => (signedIn(), service.catalog()),
    'print.unprinted': () => (signedIn(), service.unprintedJobs()),
  };

  const api = {} as Record<TerminalMethod, (input: unknown) => Promise<Result<unknown>>>;
  for (const method of Object.keys(terminalApiInputs) as TerminalMethod[]) {
    api[method] = async (input: unknown) => {
      const parsed = terminalApiInputs[method].safeParse(input ?? {});
      if (!parsed.success) {
        const detail = describeZodError(parsed.error);
        return { ok: false, error: { code: 'INVALID_INPUT', message: tr().error('INVALID_INPUT', { detail }), params: { detail } } };
      }
      const handler = impl[method] as (i: unknown) => unknown;
      return toResult(tr(), () => handler(parsed.data), onInternal);
    };
  }
  return api as unknown as TerminalApi;
}

// Sessions over the real dispatcher for in-process tests: a TerminalApi-shaped object whose every
// method is one dispatch (as a transport would make it), and a member presented the way the desk
// sees one — a signed card code, minted with the demo folder's HQ key and scanned.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Result } from '../../src/contract/errors';
import { kioskApiInputs, type KioskInput, type KioskMethod, type KioskOutputs } from '../../src/contract/kioskApi';
import { terminalApiInputs, type TerminalApi } from '../../src/contract/terminalApi';
import { parsePrivateJwk } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import type { Db } from '../../src/store/open';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import type { TerminalService } from '../../src/terminal/operations/service';
import { createDispatcher, type Dispatcher, type DispatcherOptions, type Session } from '../../src/terminal/session/dispatcher';

type Call = (input?: unknown) => Promise<Result<unknown>>;
type KioskApi = { [M in KioskMethod]: (input: KioskInput<M>) => Promise<Result<KioskOutputs[M]>> };

function over<T>(d: Dispatcher, s: Session, methods: object): T {
  const api: Record<string, Call> = {};
  for (const m of Object.keys(methods)) api[m] = (input) => d.dispatch(s, m, input);
  return api as T;
}

/** A desk window's session (PIN sign-in, members presented before writes). */
export function deskApi(service: TerminalService, options: DispatcherOptions = {}): TerminalApi & { dispatcher: Dispatcher; session: Session } {
  const dispatcher = createDispatcher(service, options);
  const session = dispatcher.openDesk();
  return Object.assign(over<TerminalApi>(dispatcher, session, terminalApiInputs), { dispatcher, session });
}

/** A kiosk window's session; `call` takes any method name, as the kiosk host's route does. */
export function kioskApi(service: TerminalService, options: DispatcherOptions = {}): KioskApi & { call: (method: string, input: unknown) => Promise<Result<unknown>>; end: () => void } {
  const dispatcher = createDispatcher(service, options);
  const session = dispatcher.openKiosk();
  return Object.assign(over<KioskApi>(dispatcher, session, kioskApiInputs), {
    call: (method: string, input: unknown) => dispatcher.dispatch(session, method, input),
    end: () => dispatcher.end(session),
  });
}

/** Presents a member to a desk session as a scanned signed card code (so writes about them are allowed). */
export async function present(api: TerminalApi, t: { dir: string; db: Db }, memberId: string): Promise<void> {
  const key = parsePrivateJwk(readFileSync(join(t.dir, HQ_KEY_FILE), 'utf8'));
  if (!key) throw new Error(`no demo HQ key in ${t.dir}`);
  const row = t.db.prepare('SELECT card_serial AS cs FROM members WHERE id = ?').get(memberId) as { cs: number } | undefined;
  const code = mintCardCode(key, { mid: memberId, cs: row?.cs ?? 1, iat: Math.floor(Date.UTC(2026, 0, 1) / 1000) });
  const r = await api['scan.submit']({ code });
  if (!r.ok) throw new Error(`could not present ${memberId}: ${r.error.code} ${r.error.message}`);
}

/** The command line's session (no PIN; --staff names who acts): call(method, input) answers a Result. */
export function operatorSession(service: TerminalService, who: { staffId?: string; managerId?: string }): (method: string, input: unknown) => Promise<Result<unknown>> {
  const dispatcher = createDispatcher(service);
  const session = dispatcher.openOperator(who);
  return (method, input) => dispatcher.dispatch(session, method, input);
}

// One kiosk session (one kiosk window) over the service. The kiosk can only look and
// print: it never holds a TerminalApi, and `call` refuses every staff method by name. A member page
// opens only for a verified code (a signed card or a live app code), lives in this session alone,
// and is dropped on done, on a new scan, or after pageTtlMs whatever the screen does.
import { randomBytes } from 'node:crypto';
import { DeskError, type ErrorBody, type ErrorCode, type Result } from '../../contract/errors';
import {
  kioskApiInputs,
  type KioskDispatch,
  type KioskMethod,
  type KioskOutputs,
  type KioskPage,
  type KioskParsedInput,
} from '../../contract/kioskApi';
import { terminalApiInputs, type PrinterState, type WedgeSettings } from '../../contract/terminalApi';
import { DEFAULT_LANG, type Translator } from '../../i18n';
import { kioskRefusal, printerProblem } from '../../i18n/kiosk-words';
import type { Lang } from '../../loyalty/types';
import type { HqSigningKey, SlipSource } from '../operations/kioskSlips';
import type { TerminalService } from '../operations/service';
import { DEFAULT_WEDGE } from './deskSession';

export const DEFAULT_KIOSK_IDLE_MS = 30_000;
/** The core's own cap on how long a page stays open, whatever the screen does. */
export const DEFAULT_PAGE_TTL_MS = 5 * 60_000;
/** A slip that has not printed by then is withdrawn: the member will not wait longer. */
export const DEFAULT_SLIP_WAIT_MS = 20_000;
export const DEFAULT_MAX_SLIPS = 2;
/** States in which a printer cannot take a slip now: say so at once instead of queueing. */
const PRINTER_DOWN = new Set<PrinterState>(['not-configured', 'paper-out', 'cover-open', 'offline', 'not-answering', 'error']);

export interface KioskSessionOptions {
  lang?: Lang;
  idleMs?: number;
  pageTtlMs?: number;
  slipWaitMs?: number;
  maxSlips?: number;
  wedge?: WedgeSettings;
  camera?: { enabled: boolean; deviceId: string | null };
  printer?: () => { state: PrinterState; name: string | null };
  /** HQ's private key: only demo and dev folders have one (a real terminal never does). */
  hqKey?: HqSigningKey | null;
  /** Told about each slip written, so the print loop prints it at once. */
  onSlip?: (printJobId: number) => void;
  onInternal?: (err: unknown) => void;
}

interface OpenPage extends SlipSource {
  data: KioskPage;
  openedAt: number;
  slips: number[];
}

export interface KioskSession {
  /** Any method name from the page: kiosk methods run, staff methods are refused by name. */
  call: KioskDispatch;
  /** Drops the page (the window closed, the session was replaced). */
  end(): void;
}

const TERMINAL_METHOD_NAMES = new Set(Object.keys(terminalApiInputs));

export function createKioskSession(service: TerminalService, tr: (lang: Lang) => Translator, options: KioskSessionOptions = {}): KioskSession {
  const { deps } = service;
  let lang: Lang = options.lang ?? DEFAULT_LANG;
  let page: OpenPage | null = null;
  const idleMs = options.idleMs ?? DEFAULT_KIOSK_IDLE_MS;
  const pageTtlMs = options.pageTtlMs ?? DEFAULT_PAGE_TTL_MS;
  const slipWaitMs = options.slipWaitMs ?? DEFAULT_SLIP_WAIT_MS;
  const maxSlips = options.maxSlips ?? DEFAULT_MAX_SLIPS;
  const printerState = (): PrinterState => options.printer?.().state ?? 'not-configured';
  const slipAvailable = (): boolean => maxSlips > 0 && printerState() !== 'not-configured';

  const drop = (): void => {
    if (!page) return;
    service.kiosk.withdrawSlips(page.slips);
    page = null;
  };
  const current = (pageId: string): OpenPage => {
    if (page && deps.clock() - page.openedAt > pageTtlMs) drop();
    if (!page || page.data.pageId !== pageId) throw new DeskError('KIOSK_NO_PAGE');
    return page;
  };

  const impl: { [M in KioskMethod]: (input: KioskParsedInput<M>) => KioskOutputs[M] } = {
    'kiosk.status': () => ({
      lang,
      idleMs,
      wedge: options.wedge ?? DEFAULT_WEDGE,
      camera: options.camera ?? { enabled: false, deviceId: null },
      slip: { available: slipAvailable() },
      storeName: service.kiosk.storeName(),
      tz: deps.identity.tz,
    }),
    'kiosk.setLang': (i) => {
      lang = i.lang;
      return { lang };
    },
    'kiosk.scan': ({ code }) => {
      // Whoever scans now is a new person: the last page goes before anything is checked.
      drop();
      const scanned = service.kiosk.scan(code);
      const data: KioskPage = { ...scanned.page, pageId: randomBytes(18).toString('base64url'), slip: { available: slipAvailable() } };
      page = { ...scanned, data, openedAt: deps.clock(), slips: [] };
      return data;
    },
    'kiosk.printSlip': ({ pageId }) => {
      const p = current(pageId);
      if (p.slips.length >= maxSlips) throw new DeskError('KIOSK_SLIP_LIMIT', { limit: maxSlips });
      const state = printerState();
      if (PRINTER_DOWN.has(state)) throw new DeskError('KIOSK_PRINTER_UNAVAILABLE', { state: printerProblem(tr(lang), state) });
      const id = service.kiosk.writeSlip(p, lang, options.hqKey ?? null);
      p.slips.push(id);
      options.onSlip?.(id);
      return { slipId: id };
    },
    'kiosk.slipStatus': ({ pageId, slipId }) => {
      const p = current(pageId);
      if (!p.slips.includes(slipId)) throw new DeskError('KIOSK_NO_PAGE');
      const progress = service.kiosk.slipProgress(slipId, slipWaitMs);
      if (progress.state !== 'failed') return { state: progress.state, reason: null };
      const t = tr(lang);
      return { state: 'failed', reason: { code: progress.code, message: t.t('kiosk.print.failed', { reason: printerProblem(t, progress.code) }) } };
    },
    'kiosk.done': () => {
      drop();
      return { ok: true };
    },
  };

  const failure = (code: ErrorCode, params: Record<string, string | number>): { ok: false; error: ErrorBody } => ({
    ok: false,
    error: { code, message: kioskRefusal(tr(lang), code, params).message, params },
  });

  const run = (method: KioskMethod, input: unknown): Result<unknown> => {
    const parsed = kioskApiInputs[method].safeParse(input ?? {});
    if (!parsed.success) return failure('INVALID_INPUT', {});
    try {
      return { ok: true, value: (impl[method] as (i: unknown) => unknown)(parsed.data) };
    } catch (err) {
      if (err instanceof DeskError) return failure(err.code, err.params);
      // A member never sees internals (paths, SQL); IT gets them through onInternal.
      options.onInternal?.(err);
      return failure('INTERNAL', {});
    }
  };

  const call: KioskDispatch = async (method, input) => {
    if (Object.hasOwn(kioskApiInputs, method)) return run(method as KioskMethod, input);
    if (TERMINAL_METHOD_NAMES.has(method)) return failure('KIOSK_STAFF_ONLY', { method });
    return failure('INVALID_INPUT', { detailKey: 'command.unknownMethod', method: method.slice(0, 64) });
  };

  return { call, end: drop };
}

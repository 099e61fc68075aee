// How the kiosk says things to a member: refusals with a hint, "why not yet" for a benefit, a
// printer fault. Member-facing words from the kiosk section; anything it has no words for falls
// back to the shared error sentence, so nothing is ever left unsaid.
import type { RefusalParams } from '../loyalty/refusal';
import type { TierCode } from '../loyalty/types';
import { formatInstant } from './format';
import type { Translator } from './index';

function has(tr: Translator, key: string): boolean {
  return tr.t(key, { defaultValue: '' }) !== '';
}

/** The sentence and the hint for a refused scan or call. */
export function kioskRefusal(tr: Translator, code: string, params: RefusalParams = {}): { message: string; hint: string } {
  const known = has(tr, `kiosk.refusal.${code}`);
  const message = known ? tr.t(`kiosk.refusal.${code}`) : tr.error(code, params);
  const hint = has(tr, `kiosk.hint.${code}`) ? tr.t(`kiosk.hint.${code}`) : tr.t('kiosk.hint.INTERNAL');
  return { message, hint };
}

/** Why a benefit is not usable yet, said to the member (dates as dates, tiers by name). */
export function whyNotText(tr: Translator, tz: string, code: string, params: RefusalParams): string {
  const key = `kiosk.whyNot.${code}`;
  if (!has(tr, key)) return tr.error(code, params);
  const readable: Record<string, string | number> = { ...params };
  for (const k of ['validFrom', 'validTo'] as const) {
    const v = params[k];
    if (typeof v === 'number') readable[k] = formatInstant(v, tz, false);
  }
  if (typeof params.tiers === 'string') {
    const sep = tr.lang === 'en' ? ', ' : '、';
    readable.tiersText = params.tiers
      .split(',')
      .filter(Boolean)
      .map((c) => tr.tier(c as TierCode))
      .join(sep);
  }
  return tr.t(key, readable);
}

/** A printer's state (or a print job's error code) as the member hears it. */
export function printerProblem(tr: Translator, stateOrCode: string): string {
  const byCode: Record<string, string> = {
    PRINTER_PAPER_OUT: 'paper-out',
    PRINTER_COVER_OPEN: 'cover-open',
    PRINTER_OFFLINE: 'offline',
    PRINTER_NOT_ANSWERING: 'not-answering',
    PRINTER_UNREACHABLE: 'not-answering',
    PRINTER_PORT_MISSING: 'not-answering',
    PRINTER_ERROR: 'error',
    PRINTER_NOT_CONFIGURED: 'not-configured',
  };
  const state = byCode[stateOrCode] ?? stateOrCode;
  return has(tr, `kiosk.printer.${state}`) ? tr.t(`kiosk.printer.${state}`) : tr.t('kiosk.printer.other');
}

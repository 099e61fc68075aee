// Money and dates on screen: fen as integers all the way, parsed from what staff type.
import type { Lang } from '../src/contract/terminalApi';
import { formatInstant, formatYuan } from '../src/i18n/format';

export { formatYuan };

/** What a typed number is: its value, or what is wrong with it (said to the clerk before anything is asked). */
export type Typed = { value: number } | { problem: 'format' | 'negative' | 'zero' };

/**
 * "258", "258.5", "258.50" → fen. No float ever holds the amount. Any number of digits passes here:
 * the core's limit is told by the core with the limit in yuan ("金额最多 ¥10,000,000.00").
 */
export function readYuan(text: string): Typed {
  const m = /^\s*(-)?\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return { problem: 'format' };
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  if (m[1] && fen > 0) return { problem: 'negative' };
  return fen === 0 ? { problem: 'zero' } : { value: fen };
}

/** The sentence (ui.*) for a typed amount that is not one. */
export const AMOUNT_PROBLEM = { format: 'ui.redeem.amountInvalid', negative: 'ui.redeem.amountNegative', zero: 'ui.redeem.amountZero' } as const;

/** A whole number of points, more than 0 ("-200" is negative, not "not a number"); the core checks the top. */
export function readWhole(text: string): Typed {
  const m = /^\s*(-)?\s*(\d{1,13})\s*$/.exec(text);
  if (!m) return { problem: 'format' };
  const n = Number(m[2]);
  if (m[1] && n > 0) return { problem: 'negative' };
  return n === 0 ? { problem: 'zero' } : { value: n };
}

export const formatDate = (at: number, tz: string): string => formatInstant(at, tz, false);
export const formatTime = (at: number, tz: string): string => formatInstant(at, tz).slice(11);
export const formatDateTime = (at: number, tz: string): string => formatInstant(at, tz);

export function formatPoints(points: number): string {
  return points.toLocaleString('en-US');
}

/** Tier discount: 900 ‰ is "9折" in Chinese and "90%" in English. */
export function formatPay(permille: number, lang: Lang): string {
  if (lang === 'en') return `${permille / 10}%`;
  const tenths = permille / 100;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)}折`;
}

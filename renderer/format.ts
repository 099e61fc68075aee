// Money and dates on screen: fen as integers all the way, parsed from what staff type.
import type { Lang } from '../src/contract/terminalApi';
import { formatInstant, formatYuan } from '../src/i18n/format';

export { formatYuan };

/** "258", "258.5", "258.50" → fen; anything else → null. No float ever holds the amount. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d{1,8})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const yuan = Number(m[1]);
  const fen = Number((m[2] ?? '').padEnd(2, '0'));
  return yuan * 100 + fen;
}

export function parseWhole(text: string, max = 100_000_000): number | null {
  if (!/^\s*\d{1,9}\s*$/.test(text)) return null;
  const n = Number(text.trim());
  return n >= 1 && n <= max ? n : null;
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

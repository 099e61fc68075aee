// Formatting that messages share: money from integer fen, instants in the store's time zone.
import type { Lang } from '../loyalty/types';

/** ¥12.30 from 1230 fen, by integer arithmetic: fen never pass through a float. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(fen));
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A local date and time such as 2026-11-23 15:04 in the store's zone. */
export function formatInstant(at: number, tz: string, withTime = true): string {
  const key = `${tz}|${withTime}`;
  let fmt = dateFormats.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    dateFormats.set(key, fmt);
  }
  return fmt.format(new Date(at)).replace(',', '');
}

export function isLang(value: string): value is Lang {
  return value === 'zh-CN' || value === 'zh-TW' || value === 'en';
}

/**
 * The parameters of a conflict's reason sentence (`manager.conflictReason.*`): money in yuan, counts
 * with separators, card numbers as they are.
 */
export function conflictReasonParams(v: {
  amountFen?: number;
  capFen?: number;
  thresholdFen?: number;
  limit?: number;
  cardNo?: string;
  currentCardNo?: string;
  retiredCardNo?: string;
}): Record<string, string> {
  const out: Record<string, string> = {};
  if (v.amountFen !== undefined) out.amount = formatYuan(v.amountFen);
  if (v.capFen !== undefined) out.cap = formatYuan(v.capFen);
  if (v.thresholdFen !== undefined) out.threshold = formatYuan(v.thresholdFen);
  if (v.limit !== undefined) out.limit = v.limit.toLocaleString('en-US');
  if (v.cardNo !== undefined) out.cardNo = v.cardNo;
  if (v.currentCardNo !== undefined) out.currentCardNo = v.currentCardNo;
  if (v.retiredCardNo !== undefined) out.retiredCardNo = v.retiredCardNo;
  return out;
}

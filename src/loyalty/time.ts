// Calendar arithmetic in the store's time zone. "Today", "this month", birthday month and member
// day are local notions (DESIGN.md), while every stored time is a UTC instant; this file is the
// only place that converts between the two, so the rest of the rules never touch Intl.
import type { EpochMs } from './types';

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

// Building an Intl.DateTimeFormat is far costlier than using one, and the terminal asks for the
// same one or two zones thousands of times (tier windows, lot lists), so keep one per zone.
// An unknown zone makes the constructor throw a RangeError: that is a configuration bug, not an
// expected refusal, so it is allowed to surface.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      // h23, not hour12:false: the latter prints midnight as "24" in some engines.
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

// One operation asks for the same instant's local parts several times (business date, month key,
// birthday month, member day); formatToParts is the costly step, so the last few answers are kept.
// Keyed to the second: zone offsets are whole seconds, so the answer cannot differ within one.
const recentParts = new Map<string, Readonly<LocalParts & { second: number }>>();
const RECENT_PARTS_MAX = 256;

function partsFromIntl(at: EpochMs, tz: string): LocalParts & { second: number } {
  const key = `${tz}|${Math.floor(at / 1000)}`;
  const hit = recentParts.get(key);
  if (hit !== undefined) return { ...hit };
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatterFor(tz).formatToParts(at)) {
    if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  }
  if (recentParts.size >= RECENT_PARTS_MAX) recentParts.clear();
  recentParts.set(key, { ...out });
  return out;
}

// formatToParts costs ~7 µs; HQ applies thousands of operations a second, each asking for its
// business day, month, birthday month and member day. A zone's offset is constant between its
// transitions, so it is asked of Intl once per 15-minute stretch (at both ends: a stretch that holds
// a transition is left to Intl) and the parts are then plain UTC arithmetic on `at + offset`.
const STRETCH_MS = 15 * 60_000;
const offsets = new Map<string, number | null>();
const OFFSETS_MAX = 4096;

function intlOffset(at: EpochMs, tz: string): number {
  const p = partsFromIntl(at, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

function steadyOffset(at: EpochMs, tz: string): number | null {
  const stretch = Math.floor(at / STRETCH_MS);
  const key = `${tz}|${stretch}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = stretch * STRETCH_MS;
    const first = intlOffset(start, tz);
    offset = first === intlOffset(start + STRETCH_MS - 1, tz) ? first : null;
    if (offsets.size >= OFFSETS_MAX) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

function partsWithSeconds(at: EpochMs, tz: string): LocalParts & { second: number } {
  const offset = steadyOffset(at, tz);
  if (offset === null) return partsFromIntl(at, tz);
  const d = new Date(at + offset);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

export function localParts(at: EpochMs, tz: string): LocalParts {
  const { year, month, day, hour, minute } = partsWithSeconds(at, tz);
  return { year, month, day, hour, minute };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

export function businessDate(at: EpochMs, tz: string): string {
  const p = localParts(at, tz);
  return `${pad4(p.year)}-${pad2(p.month)}-${pad2(p.day)}`;
}

export function monthKey(at: EpochMs, tz: string): string {
  const p = localParts(at, tz);
  return `${pad4(p.year)}-${pad2(p.month)}`;
}

function daysInMonthUtc(year: number, monthIndex: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * Calendar months in UTC, keeping the time of day. A day that the target month lacks is clamped to
 * its last day, so a lot earned on Jan 31 expires on Feb 28 (or 29) rather than spilling into March.
 * `months` is expected to be an integer.
 */
export function addMonthsUtc(at: EpochMs, months: number): EpochMs {
  const d = new Date(at);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonthUtc(year, monthIndex));
  return Date.UTC(
    year,
    monthIndex,
    day,
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** Local wall time minus UTC at this instant, in ms (to the second; sub-second offsets do not exist). */
function offsetAt(at: EpochMs, tz: string): number {
  return steadyOffset(at, tz) ?? intlOffset(at, tz);
}

/**
 * The UTC instant at which the local day containing `at` begins.
 * Offsets change around DST, so the offset is taken at the candidate instant itself, not at `at`.
 * Where local midnight does not exist (zones that spring forward at 00:00) the day begins at the
 * first instant that carries the new date, found by bisection.
 */
export function startOfLocalDay(at: EpochMs, tz: string): EpochMs {
  const { year, month, day } = localParts(at, tz);
  const date = businessDate(at, tz);
  const wall = Date.UTC(year, month - 1, day);

  const candidates: EpochMs[] = [];
  for (const probe of [wall - offsetAt(at, tz), wall - offsetAt(wall, tz)]) {
    const c = wall - offsetAt(probe, tz);
    const p = localParts(c, tz);
    if (businessDate(c, tz) === date && p.hour === 0 && p.minute === 0) candidates.push(c);
  }
  // Where midnight occurs twice (a fall-back at 00:00), the day starts at the earlier one.
  if (candidates.length > 0) return Math.min(...candidates);

  // No local midnight: bisect for the first instant whose local date is `date`.
  // Offsets on Earth lie within ±14 h, and `at` itself carries the date.
  let lo = wall - 15 * HOUR_MS;
  let hi = Math.min(at, wall + 15 * HOUR_MS);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (businessDate(mid, tz) < date) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** `count` month keys ending with the local month of `at`, oldest first. */
export function monthsBack(at: EpochMs, tz: string, count: number): string[] {
  const { year, month } = localParts(at, tz);
  const current = year * 12 + (month - 1);
  const keys: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const m = current - i;
    const y = Math.floor(m / 12);
    keys.push(`${pad4(y)}-${pad2(m - y * 12 + 1)}`);
  }
  return keys;
}

import { describe, expect, it } from 'vitest';
import {
  addMonthsUtc,
  businessDate,
  localParts,
  monthKey,
  monthsBack,
  startOfLocalDay,
} from '../../src/loyalty/time';

const t = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('localParts / businessDate / monthKey', () => {
  it.each([
    // The Shanghai/UTC date line: 17:00Z on Jan 31 is already 01:00 on Feb 1 in Shanghai.
    ['2026-01-31T17:00:00Z', 'Asia/Shanghai', { year: 2026, month: 2, day: 1, hour: 1, minute: 0 }, '2026-02-01', '2026-02'],
    ['2026-01-31T17:00:00Z', 'UTC', { year: 2026, month: 1, day: 31, hour: 17, minute: 0 }, '2026-01-31', '2026-01'],
    ['2026-01-31T15:59:00Z', 'Asia/Shanghai', { year: 2026, month: 1, day: 31, hour: 23, minute: 59 }, '2026-01-31', '2026-01'],
    ['2026-01-31T16:00:00Z', 'Asia/Shanghai', { year: 2026, month: 2, day: 1, hour: 0, minute: 0 }, '2026-02-01', '2026-02'],
    ['2025-12-31T16:30:00Z', 'Asia/Shanghai', { year: 2026, month: 1, day: 1, hour: 0, minute: 30 }, '2026-01-01', '2026-01'],
    ['2026-07-01T03:00:00Z', 'America/New_York', { year: 2026, month: 6, day: 30, hour: 23, minute: 0 }, '2026-06-30', '2026-06'],
  ])('%s in %s', (at, tz, parts, date, month) => {
    expect(localParts(t(at), tz)).toEqual(parts);
    expect(businessDate(t(at), tz)).toBe(date);
    expect(monthKey(t(at), tz)).toBe(month);
  });

  it('throws on an unknown zone (a configuration bug, not a refusal)', () => {
    expect(() => localParts(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('addMonthsUtc', () => {
  it.each([
    ['2026-01-31T10:20:30.400Z', 1, '2026-02-28T10:20:30.400Z'],
    ['2028-01-31T10:20:30.400Z', 1, '2028-02-29T10:20:30.400Z'], // leap year
    ['2028-02-29T08:00:00.000Z', 12, '2029-02-28T08:00:00.000Z'], // Feb 29 clamp
    ['2028-02-29T08:00:00.000Z', 48, '2032-02-29T08:00:00.000Z'],
    ['2026-03-31T00:00:00.000Z', -1, '2026-02-28T00:00:00.000Z'],
    ['2026-12-15T23:59:59.999Z', 1, '2027-01-15T23:59:59.999Z'],
    ['2026-01-15T00:00:00.000Z', -13, '2024-12-15T00:00:00.000Z'],
    ['2026-05-31T12:00:00.000Z', 1, '2026-06-30T12:00:00.000Z'],
    ['2026-05-31T12:00:00.000Z', 0, '2026-05-31T12:00:00.000Z'],
    ['2026-03-10T12:00:00.000Z', 12, '2027-03-10T12:00:00.000Z'],
  ])('%s %+d months → %s', (from, months, to) => {
    expect(iso(addMonthsUtc(t(from), months))).toBe(to);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    ['2026-03-08T10:00:00Z', 'Asia/Shanghai', '2026-03-07T16:00:00.000Z'],
    ['2026-03-07T16:00:00Z', 'Asia/Shanghai', '2026-03-07T16:00:00.000Z'], // exactly midnight
    ['2026-03-07T15:59:59Z', 'Asia/Shanghai', '2026-03-06T16:00:00.000Z'],
    ['2026-03-08T10:00:00Z', 'UTC', '2026-03-08T00:00:00.000Z'],
    // New York springs forward on 2026-03-08: midnight is still EST (−5), the afternoon is EDT (−4).
    ['2026-03-08T18:00:00Z', 'America/New_York', '2026-03-08T05:00:00.000Z'],
    ['2026-03-09T12:00:00Z', 'America/New_York', '2026-03-09T04:00:00.000Z'],
    ['2026-03-07T18:00:00Z', 'America/New_York', '2026-03-07T05:00:00.000Z'],
    // …and falls back on 2026-11-01: midnight is EDT (−4), the afternoon EST (−5).
    ['2026-11-01T20:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-11-01T04:00:00Z', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-11-01T03:59:59Z', 'America/New_York', '2026-10-31T04:00:00.000Z'],
    ['2026-11-02T12:00:00Z', 'America/New_York', '2026-11-02T05:00:00.000Z'],
    // Zones that spring forward at midnight have no 00:00: the day starts at 01:00.
    ['2026-09-06T15:00:00Z', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
    ['2026-03-29T12:00:00Z', 'Asia/Beirut', '2026-03-28T22:00:00.000Z'],
    // Havana falls back from 01:00 to 00:00: midnight occurs twice and the day starts at the first.
    ['2026-11-01T15:00:00Z', 'America/Havana', '2026-11-01T04:00:00.000Z'],
  ])('%s in %s → %s', (at, tz, start) => {
    expect(iso(startOfLocalDay(t(at), tz))).toBe(start);
  });

  it('is the first instant of the local date for every hour across both New York transitions', () => {
    const tz = 'America/New_York';
    for (const day of ['2026-03-08', '2026-11-01']) {
      for (let h = 0; h < 30; h++) {
        const at = t(`${day}T00:00:00Z`) + h * 3_600_000;
        const start = startOfLocalDay(at, tz);
        expect(businessDate(start, tz)).toBe(businessDate(at, tz));
        expect(businessDate(start - 1000, tz) < businessDate(at, tz)).toBe(true);
        expect(start).toBeLessThanOrEqual(at);
      }
    }
  });
});

describe('monthsBack', () => {
  it.each([
    ['2026-01-31T17:00:00Z', 'Asia/Shanghai', 3, ['2025-12', '2026-01', '2026-02']],
    ['2026-01-31T17:00:00Z', 'UTC', 3, ['2025-11', '2025-12', '2026-01']],
    ['2026-02-10T00:00:00Z', 'UTC', 1, ['2026-02']],
    ['2026-02-10T00:00:00Z', 'UTC', 0, []],
    [
      '2026-02-10T00:00:00Z',
      'UTC',
      12,
      ['2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02'],
    ],
  ])('%s in %s, %d months', (at, tz, count, keys) => {
    expect(monthsBack(t(at), tz, count)).toEqual(keys);
  });
});

// localParts answers from a cached zone offset between transitions (src/loyalty/time.ts); here it is
// held against Intl itself, instant by instant, in zones with DST, half- and quarter-hour offsets
// and 30-minute DST shifts, at random instants and right around every transition of a few years.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { localParts } from '../../src/loyalty/time';

const ZONES = ['Asia/Shanghai', 'Asia/Taipei', 'Asia/Hong_Kong', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Sao_Paulo', 'Asia/Kolkata'];

const formats = new Map<string, Intl.DateTimeFormat>();

function intlParts(at: number, tz: string) {
  let f = formats.get(tz);
  if (!f) formats.set(tz, (f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })));
  const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const p of f.formatToParts(at)) if (p.type in out) out[p.type as keyof typeof out] = Number(p.value);
  return out;
}

describe('localParts against Intl', () => {
  it('agrees at random instants from 1970 to 2100', () => {
    const rand = mulberry32(2026);
    for (let i = 0; i < 4_000; i++) {
      const tz = ZONES[i % ZONES.length]!;
      const at = Math.floor(rand() * 4_102_444_800_000);
      expect(localParts(at, tz), `${tz} ${at}`).toEqual(intlParts(at, tz));
    }
  });

  it('agrees minute by minute around every offset change of 2024–2027', () => {
    for (const tz of ZONES) {
      // Find transitions by stepping an hour at a time, then check each minute either side.
      let last = intlParts(Date.UTC(2024, 0, 1), tz);
      for (let at = Date.UTC(2024, 0, 1); at < Date.UTC(2028, 0, 1); at += 3_600_000) {
        const now = intlParts(at, tz);
        const expectedHour = (last.hour + 1) % 24;
        if (now.hour !== expectedHour || now.minute !== last.minute) {
          for (let m = at - 2 * 3_600_000; m <= at + 3_600_000; m += 60_000) {
            for (const s of [0, 1, 59_999]) expect(localParts(m + s, tz), `${tz} ${m + s}`).toEqual(intlParts(m + s, tz));
          }
        }
        last = now;
      }
    }
  });
});

// The demo members as plain data, generated deterministically for (seed, store month): the
// terminal's `seed` writes them into SQLite and `hq-admin seed-demo` uploads them to HQ, so both
// hold the same people. Pure apart from the hash that seeds the PRNG.
import { createHash } from 'node:crypto';
import { DEFAULT_RULES } from '../../loyalty/rules';
import { luhnDigit } from '../../loyalty/cardNumber';
import { lotExpiry } from '../../loyalty/points';
import { addMonthsUtc, DAY_MS, localParts, monthKey, startOfLocalDay } from '../../loyalty/time';
import type { TierCode } from '../../loyalty/types';
import { DEMO_STORE } from './catalog';

/** sfc32: a small, fast PRNG; seeded from SHA-256 so any seed string works. */
function prng(seed: string): () => number {
  const h = createHash('sha256').update(seed).digest();
  let a = h.readUInt32LE(0), b = h.readUInt32LE(4), c = h.readUInt32LE(8), d = h.readUInt32LE(12);
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞宇浩然子轩梓涵欣怡佳琪思远晨曦雨婷俊杰文博雅琳'];

export function memberIdFor(i: number): string {
  return `M${String(i).padStart(8, '0')}`;
}

/** 16-digit card number: 8860, the member number, a Luhn check digit (catches one mistyped digit). */
export function cardNoFor(i: number): string {
  const body = `8860${String(i).padStart(11, '0')}`;
  return body + luhnDigit(body);
}

const TIER_PROFILE: Record<TierCode, { visits: [number, number]; spendFen: [number, number] }> = {
  basic: { visits: [1, 3], spendFen: [5_000, 150_000] },
  advanced: { visits: [4, 6], spendFen: [100_000, 700_000] },
  core: { visits: [7, 10], spendFen: [500_000, 1_900_000] },
  premium: { visits: [11, 20], spendFen: [2_000_000, 6_000_000] },
};

export interface DemoMember {
  index: number;
  id: string;
  cardNo: string;
  name: string;
  phone: string;
  birthday: string;
  tier: TierCode;
  joinedAt: number;
  cardSerial: number;
  revoked: boolean;
  lastPurchaseAt: number;
  months: { month: string; visits: number; spendFen: number }[];
  lots: { earnedAt: number; expiresAt: number; points: number }[];
  grants: { benefitId: string; reason: string }[];
  /** What makes this member worth showing in a demo (card_serial_2plus, revoked, dormant, …). */
  note: string;
}

/** 10:00 local on the store-day of `at`: every instant of the demo is stable within a day. */
export function demoNow(at: number): number {
  return startOfLocalDay(at, DEMO_STORE.tz) + 10 * 3_600_000;
}

/** Calls `emit` for members 1..count, in order; the same (seed, month, count) gives the same people. */
export function generateDemoMembers(options: { seed: string; now: number; members: number }, emit: (m: DemoMember) => void): void {
  const { tz } = DEMO_STORE;
  const rand = prng(`${options.seed}|${monthKey(options.now, tz)}`);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const now = demoNow(options.now);
  const thisMonth = localParts(options.now, tz).month;
  // Month k back, as a key and an instant inside it (same day of month, so never across a month edge).
  const months = Array.from({ length: 24 }, (_, k) => {
    const at = k === 0 ? now - DAY_MS / 2 : addMonthsUtc(now, -k);
    return { key: monthKey(at, tz), at };
  });

  for (let i = 1; i <= options.members; i++) {
    const r = rand();
    const tier: TierCode = r < 0.5 ? 'basic' : r < 0.75 ? 'advanced' : r < 0.92 ? 'core' : 'premium';
    const dormant = rand() < 0.1;
    const birthdayThisMonth = rand() < 0.08;
    const month = birthdayThisMonth ? thisMonth : int(1, 12);
    const birthday = `${String(month).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
    const cs = rand() < 0.05 ? int(2, 3) : 1;
    const revoked = rand() < 0.005;
    const name = SURNAMES[int(0, SURNAMES.length - 1)]! + GIVEN[int(0, GIVEN.length - 1)]! + (rand() < 0.5 ? GIVEN[int(0, GIVEN.length - 1)]! : '');
    const phone = `1${int(3, 9)}${String(int(0, 999_999_999)).padStart(9, '0')}`;

    // Spread the tier's visits and spend over 1–4 distinct months of the window.
    const profile = TIER_PROFILE[tier];
    const visits = int(...profile.visits);
    const spend = int(...profile.spendFen);
    const first = dormant ? 4 : 0;
    const monthCount = Math.min(visits, int(1, 4));
    const picked = new Set<number>();
    while (picked.size < monthCount) picked.add(int(first, dormant ? 11 : 8));
    const ks = [...picked].sort((a, b) => b - a);
    const lastPurchaseAt = months[ks.at(-1)!]!.at;
    const joinedAt = now - int(400, 1500) * DAY_MS;
    let visitsLeft = visits;
    let spendLeft = spend;
    const activity = ks.map((k, n) => {
      const last = n === ks.length - 1;
      const v = last ? visitsLeft : Math.max(1, Math.floor(visits / ks.length));
      const s = last ? spendLeft : Math.floor(spend / ks.length);
      visitsLeft -= v;
      spendLeft -= s;
      return { month: months[k]!.key, visits: v, spendFen: s };
    });

    // 1–3 lots; about one member in five has points expiring within 30 days.
    const lotCount = int(1, 3);
    const lots: DemoMember['lots'] = [];
    for (let l = 0; l < lotCount; l++) {
      const expiringSoon = l === 0 && rand() < 0.2;
      const earnedAt = now - (expiringSoon ? int(336, 364) : int(1, 330)) * DAY_MS;
      const points = int(50, tier === 'premium' ? 6000 : 2500);
      lots.push({ earnedAt, expiresAt: lotExpiry(earnedAt, DEFAULT_RULES), points });
    }
    const grants: DemoMember['grants'] = [];
    if (tier === 'core' || tier === 'premium') {
      if (rand() < 0.3) grants.push({ benefitId: tier === 'core' ? 'B-WELCOME-CORE' : 'B-WELCOME-PREMIUM', reason: `tier:${tier}` });
    }
    if (rand() < 0.03) grants.push({ benefitId: 'B-REFERRAL', reason: 'referral' });

    const note =
      cs >= 2 ? 'card_serial_2plus' : revoked ? 'revoked' : dormant ? 'dormant' : birthdayThisMonth ? 'birthday_this_month' : `tier_${tier}`;
    emit({ index: i, id: memberIdFor(i), cardNo: cardNoFor(i), name, phone, birthday, tier, joinedAt, cardSerial: cs, revoked, lastPurchaseAt, months: activity, lots, grants, note });
  }
}

// Deterministic demo data for one terminal: members in every tier, birthdays this month, dormant
// members, points expiring soon, benefits of every type, a catalog with stock, staff and an HQ key.
// The same seed on the same store-day gives the same data; 1,000,000 members in well under a minute.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { DEFAULT_RULES } from '../loyalty/rules';
import { lotExpiry } from '../loyalty/points';
import { DAY_MS, localParts, monthKey, startOfLocalDay } from '../loyalty/time';
import { addMonthsUtc } from '../loyalty/time';
import type { TierCode } from '../loyalty/types';
import { upsertBenefit, grantBenefit } from '../store/benefits';
import { setMeta } from '../store/meta';
import type { Db } from '../store/open';
import { insertStaff } from '../store/staff';
import { upsertStore } from '../store/stores';
import { demoHqKey, type PrivateJwk } from '../scan/hqKeys';
import { DEMO_CATALOG, DEMO_OTHER_STORE, DEMO_STAFF, DEMO_STOCK, DEMO_STORE, DEMO_TERMINAL, demoBenefits } from './demoCatalog';
import { hashPin, storePinSalt } from './staffAuth';

export interface SeedOptions {
  members: number;
  seed: string;
  now: number;
  hqKeyFile: string;
}

export interface SeedSummary {
  members: number;
  benefits: number;
  catalog: number;
  hqKeyFile: string;
  hqKeyId: string;
  storeId: string;
  terminalId: string;
  sample: { mid: string; cs: number; tier: TierCode; cardNo: string; note: string }[];
  staff: { id: string; name: string; role: string; pin: string }[];
}

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
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let digit = Number(body[body.length - 1 - k]);
    if (k % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const TIER_PROFILE: Record<TierCode, { visits: [number, number]; spendFen: [number, number] }> = {
  basic: { visits: [1, 3], spendFen: [5_000, 150_000] },
  advanced: { visits: [4, 6], spendFen: [100_000, 700_000] },
  core: { visits: [7, 10], spendFen: [500_000, 1_900_000] },
  premium: { visits: [11, 20], spendFen: [2_000_000, 6_000_000] },
};

export function seedDemo(db: Db, options: SeedOptions): SeedSummary {
  const { tz } = DEMO_STORE;
  const rand = prng(`${options.seed}|${monthKey(options.now, tz)}`);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const now = startOfLocalDay(options.now, tz) + 10 * 3_600_000; // 10:00 local: stable within a day
  const thisMonth = localParts(options.now, tz).month;
  // Month k back, as a key and an instant inside it (same day of month, so never across a month edge).
  const months = Array.from({ length: 24 }, (_, k) => {
    const at = k === 0 ? now - DAY_MS / 2 : addMonthsUtc(now, -k);
    return { key: monthKey(at, tz), at };
  });

  const hqKey: PrivateJwk = demoHqKey(options.seed, `demo-${options.seed}`);
  writeFileSync(options.hqKeyFile, `${JSON.stringify(hqKey, null, 2)}\n`, { mode: 0o600 });

  const insMember = db.prepare(
    `INSERT INTO members(id, card_no, name, phone, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insMonth = db.prepare('INSERT INTO member_months(member_id, month, visits, spend_fen) VALUES (?, ?, ?, ?)');
  const insLot = db.prepare('INSERT INTO point_lots(member_id, earned_at, expires_at, points, remaining) VALUES (?, ?, ?, ?, ?)');
  const sample: SeedSummary['sample'] = [];

  db.transaction(() => {
    setMeta(db, 'store_id', DEMO_STORE.id);
    setMeta(db, 'terminal_id', DEMO_TERMINAL);
    setMeta(db, 'tz', tz);
    setMeta(db, 'rules_json', JSON.stringify(DEFAULT_RULES));
    setMeta(db, 'last_sync_at', String(now));
    setMeta(db, 'demo', '1');
    db.prepare('INSERT INTO trusted_keys(kid, x, valid_from, valid_to, updated_at) VALUES (?, ?, ?, NULL, ?)').run(hqKey.kid, hqKey.x, now - 365 * DAY_MS, now);
    for (const s of [DEMO_STORE, DEMO_OTHER_STORE]) upsertStore(db, { ...s, at: now });
    const salt = storePinSalt(db);
    for (const s of DEMO_STAFF) insertStaff(db, { id: s.id, storeId: DEMO_STORE.id, name: s.name, role: s.role, pinHash: hashPin(s.pin, salt), at: now });
    const benefits = demoBenefits(now);
    for (const b of benefits) upsertBenefit(db, b, now);
    const insItem = db.prepare(
      'INSERT INTO catalog_items(id, name_json, sku, points_cost, value_fen, tiers_json, active, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const c of DEMO_CATALOG) insItem.run(c.id, JSON.stringify(c.name), c.sku, c.pointsCost, c.valueFen, JSON.stringify(c.tiers), c.active ? 1 : 0, now);
    const insStock = db.prepare('INSERT INTO stock(store_id, sku, name_json, qty) VALUES (?, ?, ?, ?)');
    for (const s of DEMO_STOCK) insStock.run(DEMO_STORE.id, s.sku, JSON.stringify(s.name), s.qty);

    for (let i = 1; i <= options.members; i++) {
      const id = memberIdFor(i);
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
      const lastPurchase = months[ks.at(-1)!]!.at;
      const joined = now - int(400, 1500) * DAY_MS;
      insMember.run(id, cardNoFor(i), name, phone, birthday, tier, joined, cs, revoked ? 'revoked' : 'active', joined, lastPurchase, now);
      let visitsLeft = visits;
      let spendLeft = spend;
      ks.forEach((k, n) => {
        const last = n === ks.length - 1;
        const v = last ? visitsLeft : Math.max(1, Math.floor(visits / ks.length));
        const s = last ? spendLeft : Math.floor(spend / ks.length);
        visitsLeft -= v;
        spendLeft -= s;
        insMonth.run(id, months[k]!.key, v, s);
      });

      // 1–3 lots; about one member in five has points expiring within 30 days.
      const lotCount = int(1, 3);
      for (let l = 0; l < lotCount; l++) {
        const expiringSoon = l === 0 && rand() < 0.2;
        const earnedAt = now - (expiringSoon ? int(336, 364) : int(1, 330)) * DAY_MS;
        const points = int(50, tier === 'premium' ? 6000 : 2500);
        insLot.run(id, earnedAt, lotExpiry(earnedAt, DEFAULT_RULES), points, points);
      }
      if (tier === 'core' || tier === 'premium') {
        if (rand() < 0.3) grantBenefit(db, id, tier === 'core' ? 'B-WELCOME-CORE' : 'B-WELCOME-PREMIUM', now, `tier:${tier}`);
      }
      if (rand() < 0.03) grantBenefit(db, id, 'B-REFERRAL', now, 'referral');

      const note =
        cs >= 2 ? 'card_serial_2plus' : revoked ? 'revoked' : dormant ? 'dormant' : birthdayThisMonth ? 'birthday_this_month' : `tier_${tier}`;
      if (sample.length < 8 && !sample.some((s) => s.note === note)) sample.push({ mid: id, cs, tier, cardNo: cardNoFor(i), note });
    }
  }).immediate();

  return {
    members: options.members,
    benefits: demoBenefits(now).length,
    catalog: DEMO_CATALOG.length,
    hqKeyFile: options.hqKeyFile,
    hqKeyId: hqKey.kid,
    storeId: DEMO_STORE.id,
    terminalId: DEMO_TERMINAL,
    sample,
    staff: DEMO_STAFF.map((s) => ({ ...s })),
  };
}

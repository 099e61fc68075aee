// Deterministic demo data for one terminal: members in every tier, birthdays this month, dormant
// members, points expiring soon, benefits of every type, a catalog with stock, staff and an HQ key.
// The same seed on the same store-day gives the same data; 1,000,000 members in well under a minute.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { lastFour, normalizePhone, phoneHash } from '../../loyalty/phone';
import { setBrand } from '../../store/brand';
import { DEFAULT_RULES } from '../../loyalty/rules';
import { DAY_MS } from '../../loyalty/time';
import type { TierCode } from '../../loyalty/types';
import { upsertBenefit, grantBenefit } from '../../store/benefits';
import { setMeta } from '../../store/meta';
import type { Db } from '../../store/open';
import { insertStaff } from '../../store/staff';
import { upsertStore } from '../../store/stores';
import { demoHqKey, type PrivateJwk } from '../../scan/hqKeys';
import { DEMO_CATALOG, DEMO_OTHER_STORE, DEMO_STAFF, DEMO_STOCK, DEMO_STORE, DEMO_TERMINAL, demoBenefits } from './catalog';
import { demoNow, generateDemoMembers } from './members';
import { hashPin, storePinSalt } from '../operations/staffAuth';
import { setTerms } from '../../store/terms';
import { addCardBlock } from '../../store/cardBlocks';
import { DEMO_CARD_BLOCK, DEMO_TERMS } from './terms';

// Kept here too: callers import the demo's id and card-number scheme from the seed.
export { memberIdFor } from './members';

/** The demo brand's phone key: fixed by the seed, like everything else in the demo. */
export function demoPhoneKey(seed: string): string {
  return createHmac('sha256', 'loyalty-desk demo phone key').update(seed).digest('base64url');
}

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
  /** A few members of different kinds, with their demo phone numbers (the desk holds only a hash of them). */
  sample: { mid: string; cs: number; tier: TierCode; cardNo: string; phone: string; note: string }[];
  staff: { id: string; name: string; role: string; pin: string }[];
}

export function seedDemo(db: Db, options: SeedOptions): SeedSummary {
  const { tz } = DEMO_STORE;
  const now = demoNow(options.now); // 10:00 local: stable within a day

  const hqKey: PrivateJwk = demoHqKey(options.seed, `demo-${options.seed}`);
  const phoneKey = demoPhoneKey(options.seed);
  writeFileSync(options.hqKeyFile, `${JSON.stringify(hqKey, null, 2)}\n`, { mode: 0o600 });

  const insMember = db.prepare(
    `INSERT INTO members(id, card_no, name, phone_hash, phone_last4, birthday, tier, tier_since, card_serial, status, joined_at, last_purchase_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    setBrand(db, { phoneKey, nameDisplay: 'full' }, now);
    // Sign-up at the desk works in the demo too: terms to agree to and card numbers to issue.
    setTerms(db, { version: DEMO_TERMS.version, text: { ...DEMO_TERMS.text }, publishedAt: now - 30 * DAY_MS }, now);
    addCardBlock(db, DEMO_CARD_BLOCK, now);
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

    generateDemoMembers({ seed: options.seed, now: options.now, members: options.members }, (m) => {
      const e164 = normalizePhone(m.phone) ?? m.phone;
      insMember.run(m.id, m.cardNo, m.name, phoneHash(phoneKey, e164), lastFour(e164), m.birthday, m.tier, m.joinedAt, m.cardSerial, m.revoked ? 'revoked' : 'active', m.joinedAt, m.lastPurchaseAt, now);
      for (const a of m.months) insMonth.run(m.id, a.month, a.visits, a.spendFen);
      for (const l of m.lots) insLot.run(m.id, l.earnedAt, l.expiresAt, l.points, l.points);
      for (const g of m.grants) grantBenefit(db, m.id, g.benefitId, now, g.reason);
      if (sample.length < 8 && !sample.some((s) => s.note === m.note)) sample.push({ mid: m.id, cs: m.cardSerial, tier: m.tier, cardNo: m.cardNo, phone: m.phone, note: m.note });
    });
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

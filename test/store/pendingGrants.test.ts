// A member's grant of a benefit the terminal does not hold yet (its benefit comes in a later page
// of the feed) waits in pending_grants and becomes a real grant when the benefit arrives, on both
// the bulk path (new members) and the row-by-row path (held members).
import { afterEach, describe, expect, it } from 'vitest';
import { applyPage, type AnyChange } from '../../src/store/syncApply';
import { demoBenefits } from '../../src/terminal/demo/catalog';
import type { MemberData } from '../../src/sync/protocolEntities';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

const member = (grants: MemberData['grants']): MemberData => ({
  cardNo: '8860999999999990',
  name: '迟到',
  phoneHash: 'h'.repeat(43),
  phoneLast4: '0000',
  birthday: null,
  tier: 'basic',
  tierSince: NOW - 1_000,
  cardSerial: 1,
  status: 'active',
  joinedAt: NOW - 1_000,
  lastPurchaseAt: null,
  months: [],
  lots: [],
  grants,
});

function page(d: DemoTerminal, changes: AnyChange[]): void {
  d.db.transaction(() => {
    d.db.pragma('defer_foreign_keys = ON');
    applyPage(d.db, 'SH001', changes, NOW);
  })();
}

const grantsOf = (d: DemoTerminal, id: string) =>
  d.db.prepare('SELECT benefit_id, reason FROM benefit_grants WHERE member_id = ? ORDER BY benefit_id').all(id) as { benefit_id: string; reason: string }[];
const pendingOf = (d: DemoTerminal) => d.db.prepare('SELECT member_id, benefit_id FROM pending_grants ORDER BY member_id').all();

describe('grants that arrive before their benefit', () => {
  it('wait for the benefit, then count (a new member, then a held member updated by HQ)', () => {
    t = openDemoTerminal(50);
    const d = t;
    const late = { ...demoBenefits(NOW).find((b) => b.requiresGrant)!, id: 'B-LATE' };
    const known = demoBenefits(NOW).find((b) => b.requiresGrant)!.id;
    const grants = [
      { benefitId: 'B-LATE', grantedAt: NOW, reason: 'referral', usedOpId: null },
      { benefitId: known, grantedAt: NOW, reason: 'tier:core', usedOpId: null },
    ];
    page(d, [{ entity: 'member', id: 'M90000001', seq: 10, deleted: false, data: member(grants) } as AnyChange]);
    expect(grantsOf(d, 'M90000001')).toEqual([{ benefit_id: known, reason: 'tier:core' }]);
    expect(pendingOf(d)).toEqual([{ member_id: 'M90000001', benefit_id: 'B-LATE' }]);

    // HQ sends the member again (held now, no local operations): its pending grant is replaced, not doubled.
    page(d, [{ entity: 'member', id: 'M90000001', seq: 11, deleted: false, data: { ...member(grants), name: '迟到2' } } as AnyChange]);
    expect(pendingOf(d)).toEqual([{ member_id: 'M90000001', benefit_id: 'B-LATE' }]);

    page(d, [{ entity: 'benefit', id: 'B-LATE', seq: 12, deleted: false, data: late } as AnyChange]);
    expect(grantsOf(d, 'M90000001')).toEqual([
      { benefit_id: 'B-LATE', reason: 'referral' },
      { benefit_id: known, reason: 'tier:core' },
    ]);
    expect(pendingOf(d)).toEqual([]);
    // The grant counts: the member card offers the benefit as held.
    d.online.value = true;
    const card = d.service.memberCard({ memberId: 'M90000001' });
    expect(card.benefits.find((b) => b.id === 'B-LATE')).toBeDefined();
  });
});

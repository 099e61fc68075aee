// What HQ allows a redemption or an exchange for a member, whatever the terminal decided offline:
// the benefit's stores, validity, tiers, grant and time of the member, the catalog item's tiers and
// whether it is offered (docs/authority.md). A refusal is recorded as benefit_not_allowed.
import { awayLongEnough } from '../../loyalty/benefits';
import { isBirthdayMonth, isMemberDay } from '../../loyalty/points';
import type { BenefitParams } from '../../loyalty/types';
import type { BatchState, MemberState } from './applyOperation';
import type { HqOp } from './readEvent';
import { rulesInForce } from './rules';

/**
 * Why HQ's rules do not allow this redemption or exchange for this member, or null: the benefit's
 * stores, validity, tiers and grant, the catalog item's tiers and whether it is offered. The goods
 * may have left the store; the refusal keeps the ledger true and the manager sees it.
 */
export function notAllowed(state: BatchState, member: MemberState, op: HqOp): string | null {
  if (op.kind === 'redeem' && op.benefitId !== null) {
    const b = state.benefits.get(op.benefitId);
    if (!b) return null;
    if (b.stores.length > 0 && !b.stores.includes(op.storeId)) return 'store';
    if (op.at < b.validFrom || op.at >= b.validTo) return 'validity';
    if (b.tiers.length > 0 && !b.tiers.includes(member.tier)) return 'tier';
    if (b.requiresGrant && !member.grants.some((g) => g.benefitId === op.benefitId && g.usedOpId === null)) return 'grant';
    const when = b.params === null ? null : notInItsTime(state, member, b.params, op);
    if (when !== null) return when;
  }
  if (op.kind === 'exchange' && op.itemId !== null) {
    const item = state.facts.items.get(op.itemId);
    if (item && !item.active) return 'inactive';
    if (item && item.tiers.length > 0 && !item.tiers.includes(member.tier)) return 'tier';
  }
  return null;
}

/**
 * The benefits that hold only at a time of the member's: the birthday month, the brand's member day,
 * and the 回归礼 after the member has been away (since their last purchase as HQ knows it, or since
 * joining). The terminal checks the same (src/loyalty/benefits.ts) with what it knew offline; HQ
 * decides with what it knows, except where its one remembered purchase cannot tell (below).
 */
function notInItsTime(state: BatchState, member: MemberState, params: BenefitParams, op: HqOp): string | null {
  const { at } = op;
  switch (params.type) {
    case 'birthday_gift':
      return isBirthdayMonth(member.birthday, at, state.tz) ? null : 'not_birthday_month';
    case 'member_day':
      return isMemberDay(rulesInForce(state.rulesByVersion, state.rules, op), at, state.tz) ? null : 'not_member_day';
    case 'win_back': {
      // HQ keeps only the latest purchase: one after the redemption (at another store, pushed first)
      // hides whether the member had been away before it, so the terminal's check stands then.
      if (member.lastPurchaseAt !== null && member.lastPurchaseAt > at) return null;
      return awayLongEnough(params.dormantDays, member.lastPurchaseAt, member.joinedAt, at) ? null : 'not_dormant';
    }
    default:
      return null;
  }
}

// Redeem one benefit for a member: checked, then written as one transaction (see record.ts).
import { DeskError } from '../../contract/errors';
import { benefitSku, checkBenefit, checkStock } from '../../loyalty/benefits';
import { drawBlindBox } from '../../loyalty/draw';
import { getBenefit, openGrants, stockOf, useGrant, usageOf, adjustStock, stockName } from '../../store/benefits';
import { toMemberFacts } from '../../store/members';
import type { LedgerEntry } from '../../store/operations';
import type { ServiceDeps } from './deps';
import { operatingDay } from './businessDay';
import { enforceOfflineRisk, isOffline, refused } from './guards';
import { buildReceipt, pointsBalance, requireMember, requireStaff } from './lookups';
import { recordOperation } from './record';
import type { RedeemResult } from '../../contract/deskTypes';

export interface RedeemInput {
  memberId: string;
  benefitId: string;
  staffId: string;
  amountFen?: number | null;
}

export function redeemBenefit(deps: ServiceDeps, input: RedeemInput): RedeemResult {
  return deps.db.transaction((): RedeemResult => {
    const now = deps.clock();
    const { storeId, terminalId, tz } = deps.identity;
    const member = requireMember(deps, input.memberId);
    const staff = requireStaff(deps, input.staffId);
    const benefit = getBenefit(deps.db, input.benefitId);
    if (!benefit) throw new DeskError('UNKNOWN_BENEFIT', { ref: input.benefitId });

    const today = operatingDay(deps, now).date;
    const offline = isOffline(deps);
    const grants = openGrants(deps.db, member.id).get(benefit.id) ?? 0;
    const usage = { ...usageOf(deps.db, member.id, benefit.id, today), grantsAvailable: grants };
    const verdict = checkBenefit(deps.rules, benefit, toMemberFacts(member), usage, {
      now,
      tz,
      storeId,
      offline,
      purchaseAmountFen: input.amountFen ?? null,
    });
    if (!verdict.ok) refused(verdict);

    const opId = deps.newId();
    let valueFen = verdict.valueFen;
    let sku = benefitSku(benefit);
    let drawn: RedeemResult['drawn'] = null;
    if (benefit.params.type === 'blind_box') {
      const item = drawBlindBox(benefit.params.pool, opId, (s) => (stockOf(deps.db, storeId, s) ?? 0) > 0);
      if (!item) throw new DeskError('OUT_OF_STOCK', {});
      sku = item.sku;
      valueFen = item.valueFen;
      drawn = { sku: item.sku, name: item.name };
    } else if (sku !== null) {
      const stockRefusal = checkStock(stockOf(deps.db, storeId, sku));
      if (stockRefusal) refused(stockRefusal);
    }
    if (offline) enforceOfflineRisk(deps, member.id, { valueFen, pointsBurned: 0 }, now);

    const ledger: LedgerEntry[] = [{ account: 'benefit', delta: -1, valueFen, lotId: null, ref: benefit.id }];
    if (sku !== null && (stockOf(deps.db, storeId, sku) ?? null) !== null) {
      adjustStock(deps.db, storeId, sku, -1);
      ledger.push({ account: 'stock', delta: -1, valueFen, lotId: null, ref: sku });
    }
    if (benefit.requiresGrant && !useGrant(deps.db, member.id, benefit.id, opId)) {
      throw new DeskError('NO_GRANT', {});
    }

    const points = pointsBalance(deps, member.id, now);
    const subjectName = drawn ? (stockName(deps.db, storeId, drawn.sku) ?? drawn.name) : benefit.name;
    const receipt = buildReceipt(deps, {
      kind: 'redeem',
      opId,
      at: now,
      member,
      staff,
      subject: { id: drawn?.sku ?? benefit.id, name: subjectName },
      valueFen,
      amountFen: input.amountFen ?? null,
      pointsBefore: points,
      pointsAfter: points,
      offline,
    });
    const recorded = recordOperation(
      deps,
      {
        id: opId,
        kind: 'redeem',
        memberId: member.id,
        benefitId: benefit.id,
        itemId: null,
        targetOpId: null,
        staffId: staff.id,
        approvedBy: null,
        storeId,
        terminalId,
        at: now,
        businessDate: today,
        valueFen,
        points: 0,
        amountFen: input.amountFen ?? null,
        // The tier the member held when redeeming: the Z-report and KPIs count by it, not by today's tier.
        detail: { benefitType: benefit.params.type, tier: member.tier, ...(drawn ? { drawnSku: drawn.sku } : {}), ...(sku ? { sku } : {}) },
        offline,
      },
      ledger,
      receipt,
    );
    return { ...recorded, valueFen, drawn, offline };
  }).immediate();
}

// The sums an operation row shows, each with what it is: the purchase (or the part returned), and what
// the gift, benefit, deduction or donation is worth. An exchange's ¥39.00 under "金额" read as money
// the customer paid; an earn's row on 今日业务 showed points and no purchase at all.
import type { OpKind, SlipKind } from '../../src/contract/terminalApi';

export interface MoneyFact {
  /** An i18n key under ui.money. */
  key: string;
  fen: number;
  /** 'amount': money paid or given back; 'value': what something is worth. */
  is: 'amount' | 'value';
}

const VALUE_KINDS: ReadonlySet<string> = new Set(['exchange', 'redeem', 'cash', 'donate']);

export function moneyFacts(op: { kind: OpKind | SlipKind; amountFen: number | null; valueFen: number }): MoneyFact[] {
  const facts: MoneyFact[] = [];
  if (op.amountFen !== null) facts.push({ key: op.kind === 'return' ? 'ui.money.returned' : 'ui.money.amount', fen: op.amountFen, is: 'amount' });
  if (op.valueFen > 0) facts.push({ key: `ui.money.value.${VALUE_KINDS.has(op.kind) ? op.kind : 'other'}`, fen: op.valueFen, is: 'value' });
  return facts;
}

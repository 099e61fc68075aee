// The desk's operations from the command line: member, redeem, earn, exchange, cash, donate, void,
// reprint (each one TerminalApi call through the operator's session, src/cli/operator.ts), and outbox.
import { z } from 'zod';
import { categorySchema, cardNoSchema, entityIdSchema, memberIdSchema, opIdSchema, phoneTextSchema, purchaseLinesSchema } from '../../contract/inputs';
import { DeskError } from '../../contract/errors';
import { check, fenArg, intArg, type Flags } from '../args';
import { callAs, operatorOf, withTerminal } from '../operator';
import { printAfterCommit } from './print';

const str = (name: string, schema: z.ZodType<string, string>) => z.string({ error: `--${name} is required` }).pipe(schema);

/**
 * `member --id M | --card C | --phone P`: the member card. With --card or --id, --phone is the phone
 * check instead (the whole number against the keyed hash; exit 2 when it is not the member's).
 */
export async function memberCommand(flags: Flags) {
  const phone = flags.phone === undefined ? undefined : check(str('phone', phoneTextSchema), flags.phone);
  const ref =
    flags.card !== undefined
      ? { cardNo: check(str('card', cardNoSchema), flags.card) }
      : phone !== undefined && flags.id === undefined
        ? { phone }
        : { memberId: check(str('id', memberIdSchema), flags.id) };
  if (phone === undefined || 'phone' in ref) return callAs(flags, 'member.card', ref);
  return withTerminal(flags, async (t) => {
    const call = operatorOf(flags, t);
    const card = await call('member.card', ref);
    await call('member.confirmPhone', { memberId: card.member.id, phone });
    return { ...card, phoneCheck: 'match' as const };
  });
}

export async function redeemCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    benefitId: check(str('benefit', entityIdSchema), flags.benefit),
    amountFen: flags.amount === undefined ? null : check(fenArg('amount'), flags.amount),
  };
  return printAfterCommit(flags, await callAs(flags, 'benefit.redeem', input));
}

/**
 * --staff earns; above the rules' approval threshold a clerk needs --manager ID (accepted on any earn:
 * the approval is recorded and printed on the receipt).
 */
export async function earnCommand(flags: Flags) {
  const lines =
    flags.lines !== undefined
      ? check(purchaseLinesSchema, parseJson(String(flags.lines), '--lines'))
      : check(purchaseLinesSchema, [
          {
            category: check(z.string().default('general').pipe(categorySchema), flags.category),
            amountFen: check(fenArg('amount'), flags.amount),
          },
        ]);
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    lines,
  };
  return printAfterCommit(flags, await callAs(flags, 'points.earn', input));
}

/**
 * `join --phone P --name N [--birthday MM-DD] [--referrer ID_OR_PHONE] --consent --staff ID` (开卡):
 * --consent says the member read and agreed to the terms this terminal holds now (their version is
 * recorded); without it the answer is CONSENT_REQUIRED. The number is typed once here: the shell
 * history is the second copy the desk's form asks for.
 */
export async function joinCommand(flags: Flags) {
  const phone = check(str('phone', phoneTextSchema), flags.phone);
  const input = {
    phone,
    phoneAgain: phone,
    name: check(z.string({ error: '--name is required' }), flags.name),
    birthday: flags.birthday === undefined ? null : check(z.string(), flags.birthday),
    referrer: flags.referrer === undefined ? null : check(z.string(), flags.referrer),
  };
  return withTerminal(flags, async (t) => {
    const call = operatorOf(flags, t);
    const terms = flags.consent === true ? await call('terms.current', {}) : null;
    return call('member.join', { ...input, consentTermsVersion: terms?.version ?? null });
  });
}

export async function exchangeCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    itemId: check(str('item', entityIdSchema), flags.item),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.exchange', input));
}

export async function cashCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    points: check(intArg('points', 100_000_000), flags.points),
    amountFen: check(fenArg('amount'), flags.amount),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.cash', input));
}

export async function donateCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    points: check(intArg('points', 100_000_000), flags.points),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.donate', input));
}

/** --staff voids; a clerk needs --manager ID to approve (the core checks the approver is a manager). */
export async function voidCommand(flags: Flags) {
  return printAfterCommit(flags, await callAs(flags, 'operation.void', { opId: check(str('op', opIdSchema), flags.op) }));
}

/**
 * `card-replace --member ID --staff ID --manager ID` (挂失补卡): the member's next card from this
 * terminal's block; --manager approves (a manager's --staff alone may too). Prints the receipt when a printer is set.
 */
export async function cardReplaceCommand(flags: Flags) {
  return printAfterCommit(flags, await callAs(flags, 'member.replaceCard', { memberId: check(str('member', memberIdSchema), flags.member) }));
}

export async function reprintCommand(flags: Flags) {
  return printAfterCommit(flags, await callAs(flags, 'receipt.reprint', { opId: check(str('op', opIdSchema), flags.op) }));
}

export function outboxCommand(flags: Flags) {
  const limit = flags.limit === undefined ? 1000 : check(intArg('limit', 100_000), flags.limit);
  return withTerminal(flags, async (t) => ({ pending: t.service.pendingCount(), events: t.service.pendingOutbox(limit) }));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DeskError('INVALID_INPUT', { detail: `${what} is not JSON` });
  }
}

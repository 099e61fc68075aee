// The desk's operations from the command line: member, redeem, earn, exchange, cash, donate, void,
// reprint (each one TerminalApi call through the operator's session, src/cli/operator.ts), and outbox.
import { z } from 'zod';
import { categorySchema, cardNoSchema, entityIdSchema, memberIdSchema, opIdSchema, phoneTextSchema, purchaseLinesSchema } from '../../contract/inputs';
import { DeskError } from '../../contract/errors';
import { check, fenArg, intArg, type Flags } from '../args';
import { callAs, operatorOf, withTerminal } from '../operator';
import { printAfterCommit } from './print';

const str = (schema: z.ZodType<string, string>) => z.string().pipe(schema);

/**
 * `member --id M | --card C | --phone P`: the member card. With --card or --id, --phone is the phone
 * check instead (the whole number against the keyed hash; exit 2 when it is not the member's).
 */
export async function memberCommand(flags: Flags) {
  const phone = flags.phone === undefined ? undefined : check(str(phoneTextSchema), flags.phone, 'phone');
  const ref =
    flags.card !== undefined
      ? { cardNo: check(str(cardNoSchema), flags.card, 'card') }
      : phone !== undefined && flags.id === undefined
        ? { phone }
        : { memberId: check(str(memberIdSchema), flags.id, 'id') };
  if (phone === undefined || 'phone' in ref) return callAs(flags, 'member.card', ref);
  return withTerminal(flags, async (t) => {
    const call = operatorOf(flags, t);
    const card = await call('member.card', ref);
    await call('member.confirmPhone', { memberId: card.member.id, phone });
    return { ...card, phoneCheck: 'match' as const };
  });
}

/**
 * `history --member M`: the member's recent operations, this terminal's and — when the terminal is
 * enrolled and HQ answers within the timeout — every other terminal's (docs/history.md).
 */
export async function historyCommand(flags: Flags) {
  const memberId = check(str(memberIdSchema), flags.member, 'member');
  // Loaded here so `member` and the rest do not load the sync client.
  const { memberHistoryPort } = await import('../../syncClient/historyPort');
  return withTerminal(flags, (t) => operatorOf(flags, t, { history: memberHistoryPort(t.db) })('member.history', { memberId }));
}

export async function redeemCommand(flags: Flags) {
  const input = {
    memberId: check(str(memberIdSchema), flags.member, 'member'),
    benefitId: check(str(entityIdSchema), flags.benefit, 'benefit'),
    amountFen: flags.amount === undefined ? null : check(fenArg(), flags.amount, 'amount'),
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
      ? check(purchaseLinesSchema, parseJson(String(flags.lines), '--lines'), 'lines')
      : check(purchaseLinesSchema, [
          {
            category: check(z.string().default('general').pipe(categorySchema), flags.category, 'category'),
            amountFen: check(fenArg(), flags.amount, 'amount'),
          },
        ], 'amount');
  const input = {
    memberId: check(str(memberIdSchema), flags.member, 'member'),
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
  const phone = check(str(phoneTextSchema), flags.phone, 'phone');
  const input = {
    phone,
    phoneAgain: phone,
    name: check(z.string(), flags.name, 'name'),
    birthday: flags.birthday === undefined ? null : check(z.string(), flags.birthday, 'birthday'),
    referrer: flags.referrer === undefined ? null : check(z.string(), flags.referrer, 'referrer'),
  };
  const joined = await withTerminal(flags, async (t) => {
    const call = operatorOf(flags, t);
    const terms = flags.consent === true ? await call('terms.current', {}) : null;
    return call('member.join', { ...input, consentTermsVersion: terms?.version ?? null });
  });
  // The sign-up's slip, printed as every other receipt the CLI writes (--printer).
  return printAfterCommit(flags, joined);
}

export async function exchangeCommand(flags: Flags) {
  const input = {
    memberId: check(str(memberIdSchema), flags.member, 'member'),
    itemId: check(str(entityIdSchema), flags.item, 'item'),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.exchange', input));
}

export async function cashCommand(flags: Flags) {
  const input = {
    memberId: check(str(memberIdSchema), flags.member, 'member'),
    points: check(intArg(100_000_000), flags.points, 'points'),
    amountFen: check(fenArg(), flags.amount, 'amount'),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.cash', input));
}

export async function donateCommand(flags: Flags) {
  const input = {
    memberId: check(str(memberIdSchema), flags.member, 'member'),
    points: check(intArg(100_000_000), flags.points, 'points'),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.donate', input));
}

/** --staff voids; a clerk needs --manager ID to approve (the core checks the approver is a manager). */
export async function voidCommand(flags: Flags) {
  return printAfterCommit(flags, await callAs(flags, 'operation.void', { opId: check(str(opIdSchema), flags.op, 'op') }));
}

/**
 * `return --op OPID --staff ID [--amount FEN | --line CATEGORY:FEN …]`: a purchase returned on a later
 * day (docs/returns.md). Neither --amount nor --line returns whatever of the purchase is left.
 */
export async function returnCommand(flags: Flags) {
  const lineFlags = Array.isArray(flags.line) ? flags.line : [];
  if (flags.amount !== undefined && lineFlags.length > 0) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.oneOf', flag: '--amount', other: '--line' });
  const lines = lineFlags.length === 0 ? undefined : check(purchaseLinesSchema, lineFlags.map(parseLineArg), 'lines');
  const input = {
    opId: check(str(opIdSchema), flags.op, 'op'),
    ...(flags.amount !== undefined ? { amountFen: check(fenArg(), flags.amount, 'amount') } : {}),
    ...(lines ? { lines } : {}),
  };
  return printAfterCommit(flags, await callAs(flags, 'points.return', input));
}

/** CATEGORY:FEN, the fen plain digits like every amount on the command line. */
function parseLineArg(text: string): { category: string; amountFen: number } {
  const m = /^([^:]*):(.*)$/.exec(text);
  if (!m) throw new DeskError('INVALID_INPUT', { detailKey: 'flag.categoryFen', flag: '--line' });
  return { category: check(categorySchema, m[1], 'category'), amountFen: check(fenArg(), m[2], 'line') };
}

/**
 * `card-replace --member ID --staff ID --manager ID` (挂失补卡): the member's next card from this
 * terminal's block; --manager approves (a manager's --staff alone may too). Prints the receipt when a printer is set.
 */
export async function cardReplaceCommand(flags: Flags) {
  return printAfterCommit(flags, await callAs(flags, 'member.replaceCard', { memberId: check(str(memberIdSchema), flags.member, 'member') }));
}

export async function reprintCommand(flags: Flags) {
  return printAfterCommit(flags, await callAs(flags, 'receipt.reprint', { opId: check(str(opIdSchema), flags.op, 'op') }));
}

export function outboxCommand(flags: Flags) {
  const limit = flags.limit === undefined ? 1000 : check(intArg(100_000), flags.limit, 'limit');
  return withTerminal(flags, async (t) => ({ pending: t.service.pendingCount(), events: t.service.pendingOutbox(limit) }));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DeskError('INVALID_INPUT', { detailKey: 'flag.json', flag: what });
  }
}

// The desk's operations from the command line: member, redeem, earn, exchange, cash, donate, void, reprint, outbox.
import { z } from 'zod';
import { categorySchema, cardNoSchema, entityIdSchema, memberIdSchema, opIdSchema, purchaseLinesSchema } from '../../contract/inputs';
import { DeskError } from '../../contract/errors';
import { openTerminal, type OpenedTerminal } from '../../terminal/openTerminal';
import { check, clockFrom, dbPathFrom, fenArg, intArg, type Flags } from '../args';
import { printAfterCommit } from './print';

function withTerminal<T>(flags: Flags, fn: (t: OpenedTerminal) => T): T {
  const clock = clockFrom(flags);
  const terminal = openTerminal(dbPathFrom(flags), { quickCheck: 'after-crash', ...(clock ? { clock } : {}) });
  try {
    return fn(terminal);
  } finally {
    terminal.close();
  }
}

const str = (name: string, schema: z.ZodType<string, string>) => z.string({ error: `--${name} is required` }).pipe(schema);

export function memberCommand(flags: Flags) {
  const ref =
    flags.card !== undefined
      ? { cardNo: check(str('card', cardNoSchema), flags.card) }
      : { memberId: check(str('id', memberIdSchema), flags.id) };
  return withTerminal(flags, (t) => t.service.memberCard(ref));
}

export function redeemCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    benefitId: check(str('benefit', entityIdSchema), flags.benefit),
    staffId: check(str('staff', entityIdSchema), flags.staff),
    amountFen: flags.amount === undefined ? null : check(fenArg('amount'), flags.amount),
  };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.redeem(input)));
}

export function earnCommand(flags: Flags) {
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
    staffId: check(str('staff', entityIdSchema), flags.staff),
    lines,
  };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.earn(input)));
}

export function exchangeCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    staffId: check(str('staff', entityIdSchema), flags.staff),
    itemId: check(str('item', entityIdSchema), flags.item),
  };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.exchange(input)));
}

export function cashCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    staffId: check(str('staff', entityIdSchema), flags.staff),
    points: check(intArg('points', 100_000_000), flags.points),
    amountFen: check(fenArg('amount'), flags.amount),
  };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.cashDeduct(input)));
}

export function donateCommand(flags: Flags) {
  const input = {
    memberId: check(str('member', memberIdSchema), flags.member),
    staffId: check(str('staff', entityIdSchema), flags.staff),
    points: check(intArg('points', 100_000_000), flags.points),
  };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.donate(input)));
}

export function voidCommand(flags: Flags) {
  const staffId = check(str('staff', entityIdSchema), flags.staff);
  const input = {
    opId: check(str('op', opIdSchema), flags.op),
    staffId,
    approverId: flags.manager === undefined ? staffId : check(str('manager', entityIdSchema), flags.manager),
  };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.voidOperation(input)));
}

export function reprintCommand(flags: Flags) {
  const input = { opId: check(str('op', opIdSchema), flags.op), staffId: check(str('staff', entityIdSchema), flags.staff) };
  return printAfterCommit(flags, withTerminal(flags, (t) => t.service.reprint(input)));
}

export function outboxCommand(flags: Flags) {
  const limit = flags.limit === undefined ? 1000 : check(intArg('limit', 100_000), flags.limit);
  return withTerminal(flags, (t) => ({ pending: t.service.pendingCount(), events: t.service.pendingOutbox(limit) }));
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DeskError('INVALID_INPUT', { detail: `${what} is not JSON` });
  }
}

// TerminalApi: the one typed interface the UI uses. The Electron preload, the web host's client
// and tests are adapters over this handler map; every call returns a Result, never throws.
import type { z } from 'zod';
import type { CatalogItem } from '../loyalty/types';
import type { PrintJob } from '../store/printJobs';
import type { MemberCard, MemberSummary } from '../terminal/memberCard';
import type { EarnResult, PointsOpResult } from '../terminal/pointsOps';
import type { RedeemResult } from '../terminal/redeem';
import type { SignedInStaff } from '../terminal/staffAuth';
import type { VoidResult } from '../terminal/void';
import type { Result } from './errors';
import {
  cashInputSchema,
  donateInputSchema,
  earnInputSchema,
  emptyInputSchema,
  exchangeInputSchema,
  memberRefSchema,
  redeemInputSchema,
  reprintInputSchema,
  signInInputSchema,
  voidInputSchema,
} from './inputs';

export const terminalApiInputs = {
  'session.current': emptyInputSchema,
  'staff.signIn': signInInputSchema,
  'staff.signOut': emptyInputSchema,
  'member.lookup': memberRefSchema,
  'member.card': memberRefSchema,
  'benefit.redeem': redeemInputSchema,
  'points.earn': earnInputSchema,
  'points.exchange': exchangeInputSchema,
  'points.cash': cashInputSchema,
  'points.donate': donateInputSchema,
  'operation.void': voidInputSchema,
  'receipt.reprint': reprintInputSchema,
  'catalog.list': emptyInputSchema,
  'print.unprinted': emptyInputSchema,
} as const;

export type TerminalMethod = keyof typeof terminalApiInputs;
export type TerminalInput<M extends TerminalMethod> = z.infer<(typeof terminalApiInputs)[M]>;

export interface TerminalOutputs {
  'session.current': { staff: SignedInStaff | null; pendingSync: number };
  'staff.signIn': SignedInStaff;
  'staff.signOut': { ok: true };
  'member.lookup': MemberSummary;
  'member.card': MemberCard;
  'benefit.redeem': RedeemResult;
  'points.earn': EarnResult;
  'points.exchange': PointsOpResult;
  'points.cash': PointsOpResult;
  'points.donate': PointsOpResult;
  'operation.void': VoidResult;
  'receipt.reprint': { printJobId: number };
  'catalog.list': CatalogItem[];
  'print.unprinted': PrintJob[];
}

export type TerminalApi = {
  [M in TerminalMethod]: (input: TerminalInput<M>) => Promise<Result<TerminalOutputs[M]>>;
};

export const TERMINAL_METHODS = Object.keys(terminalApiInputs) as TerminalMethod[];

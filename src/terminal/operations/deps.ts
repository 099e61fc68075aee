// What the terminal service runs on. The clock, ids and connectivity come in from outside so
// tests and the crash harness can drive them.
import { v7 as uuidv7 } from 'uuid';
import type { LoyaltyRules } from '../../loyalty/types';
import type { TerminalIdentity } from '../../store/meta';
import type { Db } from '../../store/open';

export interface Connectivity {
  /** True when HQ answered recently. */
  online: boolean;
}

export interface ServiceDeps {
  db: Db;
  identity: TerminalIdentity;
  rules: LoyaltyRules;
  clock: () => number;
  newId: () => string;
  connectivity: () => Connectivity;
}

export const systemClock = (): number => Date.now();
export const newUuidV7 = (): string => uuidv7();
/** Until the sync client lands, a terminal knows no HQ and works offline within its risk limits. */
export const alwaysOffline = (): Connectivity => ({ online: false });

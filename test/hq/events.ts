// Operations as an enrolled terminal would push them, for the HQ tests that send hostile ones:
// an honest v2 payload to start from, and a push through the terminal's own client.
import { randomUUID } from 'node:crypto';
import { readIdentity } from '../../src/store/meta';
import { getSyncState } from '../../src/store/syncState';
import type { OperationRecordedV2 } from '../../src/sync/events';
import type { PushEvent } from '../../src/sync/protocol';
import { createHqClient } from '../../src/syncClient/hqClient';
import { NOW } from '../helpers/demoDb';
import { enrollNew, openAt, type TestHq } from './harness';

export interface Desk {
  dbPath: string;
  storeId: string;
  terminalId: string;
  credential: string;
  seq: number;
}

export interface Lot {
  remaining: number;
}

export async function enroll(hq: TestHq, dir: string, name: string, storeId?: string): Promise<Desk> {
  const dbPath = await enrollNew(hq.url, hq.admin, dir, name, storeId);
  const t = openAt(dbPath, { now: NOW });
  const credential = getSyncState(t.db, 'credential')!;
  // The terminal's own identity, not HQ's latest row: a test may have moved HQ's clock back.
  const identity = readIdentity(t.db)!;
  t.close();
  return { dbPath, storeId: identity.storeId, terminalId: identity.terminalId, credential, seq: 1_000 };
}

/** An operation as an honest v2 terminal records it; `extra` is what a hostile one changes. */
export function op(desk: Desk, kind: OperationRecordedV2['kind'], memberId: string, extra: Partial<OperationRecordedV2> = {}): OperationRecordedV2 {
  return {
    v: 2, opId: randomUUID(), kind, memberId, benefitId: null, itemId: null, targetOpId: null, staffId: desk.storeId === 'SH001' ? 'clerk-01' : 'bj-mgr-01',
    approvedBy: kind === 'void' ? (desk.storeId === 'SH001' ? 'mgr-01' : 'bj-mgr-01') : null, storeId: desk.storeId, terminalId: desk.terminalId, at: NOW,
    businessDate: '2026-11-23', dayClosed: false, valueFen: 0, points: 0, amountFen: null, lines: [], rulesVersion: 1, detail: {}, offline: false, lots: [], ...extra,
  };
}

export function earn(desk: Desk, memberId: string, amountFen: number, extra: Partial<OperationRecordedV2> = {}): OperationRecordedV2 {
  return op(desk, 'earn', memberId, { amountFen, lines: [{ category: 'apparel', amountFen }], points: Math.floor(amountFen / 100), ...extra });
}

export const eventsOf = (desk: Desk, payloads: unknown[]) => payloads.map((payload) => ({ seq: ++desk.seq, id: randomUUID(), type: 'operation.recorded', createdAt: NOW, payload }));

/** Through the terminal's own client; payloads a terminal would never write go through as they are. */
export async function push(hq: TestHq, desk: Desk, payloads: unknown[]) {
  return (await createHqClient({ url: hq.url, credential: desk.credential }).push(eventsOf(desk, payloads) as PushEvent[])).value;
}

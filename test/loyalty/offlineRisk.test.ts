import { describe, expect, it } from 'vitest';
import { checkOfflineRisk } from '../../src/loyalty/offlineRisk';
import { DEFAULT_RULES } from '../../src/loyalty/rules';

const L = DEFAULT_RULES.offline; // ¥500 per redemption, ¥5,000 unsynced, 5,000 points, 720 h
const NOW = Date.parse('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;

type Op = { valueFen: number; pointsBurned: number };
type State = { now: number; lastSyncAt: number | null; unsyncedValueFen: number; memberUnsyncedPoints: number };
const op = (o: Partial<Op> = {}): Op => ({ valueFen: 1_000, pointsBurned: 0, ...o });
const state = (s: Partial<State> = {}): State => ({
  now: NOW,
  lastSyncAt: NOW - HOUR,
  unsyncedValueFen: 0,
  memberUnsyncedPoints: 0,
  ...s,
});

describe('checkOfflineRisk', () => {
  it.each<[string, Op, State, unknown]>([
    ['well inside every limit', op(), state(), null],
    ['never synced', op(), state({ lastSyncAt: null }), { ok: false, reason: 'OFFLINE_SYNC_TOO_OLD', params: { hours: 720 } }],
    ['synced exactly 720 h ago', op(), state({ lastSyncAt: NOW - 720 * HOUR }), null],
    ['synced 720 h and 1 ms ago', op(), state({ lastSyncAt: NOW - 720 * HOUR - 1 }),
      { ok: false, reason: 'OFFLINE_SYNC_TOO_OLD', params: { hours: 720 } }],
    ['value exactly at the cap', op({ valueFen: 50_000 }), state(), null],
    ['value one fen over the cap', op({ valueFen: 50_001 }), state(), { ok: false, reason: 'OFFLINE_VALUE_CAP', params: { capFen: 50_000 } }],
    ['unsynced total reaches the cap exactly', op({ valueFen: 10_000 }), state({ unsyncedValueFen: 490_000 }), null],
    ['unsynced total one fen over', op({ valueFen: 10_001 }), state({ unsyncedValueFen: 490_000 }),
      { ok: false, reason: 'OFFLINE_TOTAL_CAP', params: { capFen: 500_000, unsyncedFen: 490_000 } }],
    ['member points reach the cap exactly', op({ valueFen: 0, pointsBurned: 1_000 }), state({ memberUnsyncedPoints: 4_000 }), null],
    ['member points one over', op({ valueFen: 0, pointsBurned: 1_001 }), state({ memberUnsyncedPoints: 4_000 }),
      { ok: false, reason: 'OFFLINE_POINTS_CAP', params: { cap: 5_000 } }],
    // precedence: the first failing check names the refusal
    ['stale sync beats every cap', op({ valueFen: 99_999, pointsBurned: 9_999 }),
      state({ lastSyncAt: null, unsyncedValueFen: 999_999, memberUnsyncedPoints: 9_999 }),
      { ok: false, reason: 'OFFLINE_SYNC_TOO_OLD', params: { hours: 720 } }],
    ['value cap beats total and points caps', op({ valueFen: 60_000, pointsBurned: 9_999 }), state({ unsyncedValueFen: 499_000 }),
      { ok: false, reason: 'OFFLINE_VALUE_CAP', params: { capFen: 50_000 } }],
    ['total cap beats points cap', op({ valueFen: 2_000, pointsBurned: 9_999 }), state({ unsyncedValueFen: 499_000 }),
      { ok: false, reason: 'OFFLINE_TOTAL_CAP', params: { capFen: 500_000, unsyncedFen: 499_000 } }],
  ])('%s', (_, o, s, expected) => {
    expect(checkOfflineRisk(L, o, s)).toEqual(expected);
  });
});

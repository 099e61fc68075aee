// `loyalty-desk history --member M` (docs/history.md) as an operator runs it: the real command in a
// child process on a seeded data folder with no HQ: this terminal's operations, with the reason HQ
// is not in them; a bad member id is refused in the operator's language (exit 2).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/demoDb';
import { cli } from '../helpers/cliChild';

const NOW_S = String(Date.UTC(2026, 10, 23, 2, 0, 0) / 1000);

let cleanup: () => void;
let db: string;
let mid: string;
beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = tempDir('ld-history-cli-'));
  db = join(dir, 'desk.db');
  const seeded = await cli('seed', '--db', db, '--members', '60', '--now', NOW_S);
  expect(seeded.code).toBe(0);
  mid = seeded.json.sample[0].mid;
}, 60_000);
afterAll(() => cleanup());

describe('loyalty-desk history', () => {
  it("lists this terminal's operations of the member and says HQ is not in them; a bad id is exit 2", async () => {
    const earned = await cli('earn', '--db', db, '--now', NOW_S, '--member', mid, '--staff', 'clerk-01', '--amount', '12300');
    expect(earned.code).toBe(0);
    const listed = await cli('history', '--db', db, '--now', NOW_S, '--member', mid);
    expect(listed.code).toBe(0);
    expect(listed.json).toMatchObject({ ok: true, memberId: mid, source: 'terminal-only', offline: { reason: 'no-hq' }, days: 90 });
    expect(listed.json.entries[0]).toMatchObject({ opId: earned.json.opId, kind: 'earn', amountFen: 12_300, here: true, hq: null, pendingSync: true });
    const bad = await cli('history', '--db', db, '--member', 'not an id!');
    expect(bad.code).toBe(2);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
    expect(bad.json.error.message).toContain('--member：');
  });
});

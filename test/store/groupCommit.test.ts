// Group commit against a real terminal database: operations queued together share one COMMIT, a
// refused one rolls back alone, and a failed COMMIT leaves nothing of the group and tells everyone.
import { openRaw } from '../../src/store/open';
import { afterEach, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createGroupCommit } from '../../src/store/groupCommit';
import { count, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

const memberIds = (d: DemoTerminal, n: number) =>
  d.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT ?").pluck().all(n) as string[];

const rowsOf = (d: DemoTerminal, opId: string) => ({
  operations: count(d, 'SELECT count(*) AS n FROM operations WHERE id = ?', opId),
  ledger: count(d, 'SELECT count(*) AS n FROM ledger WHERE op_id = ?', opId),
  outbox: count(d, 'SELECT count(*) AS n FROM outbox WHERE op_id = ?', opId),
  audit: count(d, 'SELECT count(*) AS n FROM audit WHERE ref = ?', opId),
  print: count(d, 'SELECT count(*) AS n FROM print_jobs WHERE op_id = ?', opId),
});

describe('group commit', () => {
  it('commits redemptions queued in one turn together, each exactly once', async () => {
    t = openDemoTerminal();
    const d = t;
    d.online.value = true;
    const commits = createGroupCommit(d.db);
    const ids = memberIds(d, 20);
    const results = await Promise.all(ids.map((memberId) => commits.run(() => d.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }))));
    expect(commits.stats()).toEqual({ commits: 1, works: 20, largestGroup: 20 });
    expect(new Set(results.map((r) => r.opId)).size).toBe(20);
    for (const r of results) expect(rowsOf(d, r.opId)).toEqual({ operations: 1, ledger: 1, outbox: 1, audit: 1, print: 1 });
    // A second database connection sees the group: it is in the file, not only in this connection.
    const other = openRaw(d.dbPath, { readonly: true });
    try {
      expect(other.prepare("SELECT count(*) FROM operations WHERE kind = 'redeem'").pluck().get()).toBe(20);
    } finally {
      other.close();
    }
  });

  it('splits a long queue into groups of at most maxGroup', async () => {
    t = openDemoTerminal();
    const d = t;
    d.online.value = true;
    const commits = createGroupCommit(d.db, { maxGroup: 4 });
    const ids = memberIds(d, 10);
    await Promise.all(ids.map((memberId) => commits.run(() => d.service.redeem({ memberId, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }))));
    expect(commits.stats()).toEqual({ commits: 3, works: 10, largestGroup: 4 });
  });

  it('a refused operation rolls back alone; the rest of its group commits', async () => {
    t = openDemoTerminal();
    const d = t;
    d.online.value = true;
    const commits = createGroupCommit(d.db);
    const [a, b] = memberIds(d, 2);
    const opsBefore = count(d, 'SELECT count(*) AS n FROM operations');
    const auditBefore = count(d, 'SELECT count(*) AS n FROM audit');
    const settled = await Promise.allSettled([
      commits.run(() => d.service.redeem({ memberId: a!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' })),
      commits.run(() => d.service.redeem({ memberId: a!, benefitId: 'B-NO-SUCH', staffId: 'clerk-01' })),
      commits.run(() => d.service.redeem({ memberId: b!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' })),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (settled[1] as PromiseRejectedResult).reason as unknown;
    expect(reason).toBeInstanceOf(DeskError);
    expect((reason as DeskError).code).toBe('UNKNOWN_BENEFIT');
    expect(commits.stats().commits).toBe(1);
    expect(count(d, 'SELECT count(*) AS n FROM operations')).toBe(opsBefore + 2);
    expect(count(d, 'SELECT count(*) AS n FROM audit')).toBe(auditBefore + 2);
  });

  it('when the COMMIT fails, every operation of the group is refused and none is in the file', async () => {
    t = openDemoTerminal();
    const d = t;
    d.online.value = true;
    const commits = createGroupCommit(d.db);
    const [a, b] = memberIds(d, 2);
    const opsBefore = count(d, 'SELECT count(*) AS n FROM operations');
    const outboxBefore = count(d, 'SELECT count(*) AS n FROM outbox');
    // A deferred foreign-key violation passes every savepoint and fails only at COMMIT.
    const poison = () => {
      d.db.pragma('defer_foreign_keys = ON');
      d.db.prepare("INSERT INTO ledger(op_id, member_id, at, account, delta, value_fen) VALUES ('no-such-op', ?, 0, 'points', 0, 0)").run(a);
    };
    const settled = await Promise.allSettled([
      commits.run(() => d.service.redeem({ memberId: a!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' })),
      commits.run(poison),
      commits.run(() => d.service.redeem({ memberId: b!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' })),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(count(d, 'SELECT count(*) AS n FROM operations')).toBe(opsBefore);
    expect(count(d, 'SELECT count(*) AS n FROM outbox')).toBe(outboxBefore);
    expect(d.db.inTransaction).toBe(false);
    // The connection is usable afterwards.
    const after = await commits.run(() => d.service.redeem({ memberId: b!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    expect(rowsOf(d, after.opId).operations).toBe(1);
  });

  it('close commits what is queued and refuses new work', async () => {
    t = openDemoTerminal();
    const d = t;
    d.online.value = true;
    const commits = createGroupCommit(d.db);
    const [a] = memberIds(d, 1);
    const pending = commits.run(() => d.service.redeem({ memberId: a!, benefitId: 'B-VOUCHER-20', staffId: 'clerk-01' }));
    await commits.close();
    expect(rowsOf(d, (await pending).opId).operations).toBe(1);
    await expect(commits.run(() => 1)).rejects.toThrow(/closed/);
  });
});

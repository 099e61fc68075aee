// After a restore, nothing doubled or lost (issue 19 item 3; docs/sync.md "After a restore"). A
// terminal works through a stream of redemptions and earns (real SQLite file, real HQ on loopback),
// a backup is taken in the middle, the work goes on and reaches HQ, then the PC is lost: the backup
// is restored on a new PC with the recovery key, more work is recorded there before it syncs, and
// the sync must leave HQ with every operation exactly once, the terminal with all of them as
// history, no seq reused and no audit conflict.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { doctorCommand } from '../../src/cli/commands/doctor';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { makeBackup } from '../../src/store/backup';
import { keyOfConnection } from '../../src/store/open';
import { issueRecoveryKey } from '../../src/store/recoveryKey';
import { restoreBackup } from '../../src/store/restore';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, tempDir } from '../helpers/demoDb';
import { hqAdminCommand } from '../../src/cli/commands/hqAdmin';
import { ADMIN_TOKEN, BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from '../hq/harness';

type Desk = ReturnType<typeof openAt>;

/** One step of the stream: a redemption (most) or an earn, for a member picked by the PRNG; refusals are fine. */
function work(t: Desk, rand: () => number, done: string[]): void {
  const member = `M${String(1 + Math.floor(rand() * 40)).padStart(8, '0')}`;
  try {
    const r =
      rand() < 0.6
        ? t.service.redeem({ memberId: member, benefitId: rand() < 0.5 ? 'B-VOUCHER-20' : 'B-SVC-WRAP', staffId: 'clerk-01' })
        : t.service.earn({ memberId: member, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 1_000 + Math.floor(rand() * 50_000) }] });
    done.push(r.opId);
  } catch (err) {
    if (!(err instanceof DeskError)) throw err;
  }
}

const ids = (t: Desk) => (t.db.prepare('SELECT id FROM operations ORDER BY id').all() as { id: string }[]).map((r) => r.id);

describe.each(BACKENDS)('after a restore, on %s', (backend) => {
  let hq: TestHq;
  const tmp = tempDir('ld-restore-');
  const clock = { now: NOW };

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
  });
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('a backup taken mid-stream, restored on a new PC, syncs with nothing doubled or lost and no seq reused', async () => {
    const rand = mulberry32(backend === 'pglite' ? 191 : 192);
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 'old-pc');
    const old = openAt(dbPath, clock, true);
    const done: string[] = [];
    let backup: string;
    let recoveryKey: string;
    const terminalId = (old.db.prepare("SELECT value FROM meta WHERE key = 'terminal_id'").get() as { value: string }).value;
    try {
      await syncOnce(old.db);
      recoveryKey = issueRecoveryKey(old.db, keyOfConnection(old.db), { actor: 'mgr-01', now: clock.now }).recoveryKey;
      for (let i = 0; i < 40; i++) {
        clock.now += 30_000;
        work(old, rand, done);
        if (i === 15) await syncOnce(old.db);
      }
      // Mid-stream: some work synced, some still in the outbox.
      expect(old.db.prepare('SELECT count(*) AS n FROM outbox').get()).not.toEqual({ n: 0 });
      backup = makeBackup(old.db, keyOfConnection(old.db), { kind: 'daily', now: clock.now }).path;
      for (let i = 0; i < 40; i++) {
        clock.now += 30_000;
        work(old, rand, done);
        if (i % 13 === 12) await syncOnce(old.db);
      }
      const s = await syncOnce(old.db);
      expect(s.pending).toBe(0);
    } finally {
      old.close();
    }
    const hqLastBefore = Number((await hq.db.query<{ last_seq: number }>('SELECT last_seq FROM terminals WHERE id = $1', [terminalId]))[0]!.last_seq);

    // The old PC is gone. A new PC, its key folder empty for this path, restores with the recovery key.
    const target = join(tmp.dir, 'new-pc', 'desk.db');
    const restored = restoreBackup({ from: backup, target, recoveryKey, replace: false, now: clock.now });
    expect(restored.terminalId).toBe(terminalId);
    const fresh = openAt(target, clock, true);
    try {
      // Work recorded before the first sync takes seqs the old PC already used.
      const after: string[] = [];
      for (let i = 0; i < 6; i++) {
        clock.now += 30_000;
        work(fresh, rand, after);
      }
      expect(after.length).toBeGreaterThan(0);
      const lowest = (fresh.db.prepare('SELECT min(seq) AS n FROM outbox').get() as { n: number }).n;
      expect(lowest).toBeLessThanOrEqual(hqLastBefore);

      const s = await syncOnce(fresh.db);
      expect(s.restore).toMatchObject({ hqLastSeq: hqLastBefore, skipped: 0 });
      expect(s.restore!.kept).toBeGreaterThan(0);
      expect(s.pending).toBe(0);
      expect(s.duplicates + s.pushed).toBeGreaterThanOrEqual(after.length);

      // HQ: every operation once, each of the new PC's under a seq above what the old PC used.
      const hqOps = await hq.db.query<{ id: string; n: number }>('SELECT id, count(*) AS n FROM operations WHERE terminal_id = $1 GROUP BY id', [terminalId]);
      expect(new Set(hqOps.map((r) => r.id))).toEqual(new Set([...done, ...after]));
      const seqs = await hq.db.query<{ seq: number; op_id: string }>('SELECT seq, op_id FROM events WHERE terminal_id = $1 ORDER BY seq', [terminalId]);
      for (const e of seqs.filter((x) => after.includes(x.op_id))) expect(Number(e.seq)).toBeGreaterThan(hqLastBefore);
      const lastSeq = Number((await hq.db.query<{ last_seq: number }>('SELECT last_seq FROM terminals WHERE id = $1', [terminalId]))[0]!.last_seq);
      expect(lastSeq).toBe(Math.max(...seqs.map((e) => Number(e.seq))));
      const audits = await hq.db.query("SELECT kind FROM conflicts WHERE terminal_id = $1 AND kind LIKE 'audit_%'", [terminalId]);
      expect(audits).toEqual([]);
      const [rec] = await hq.db.query<{ audit_seq: number; hq_last_seq: number }>('SELECT audit_seq, hq_last_seq FROM terminal_restores WHERE terminal_id = $1', [terminalId]);
      expect(Number(rec!.audit_seq)).toBe(restored.audit.seq);
      expect(Number(rec!.hq_last_seq)).toBe(hqLastBefore);
      // HQ's admin lists it (hq-admin restores): terminal, store, when, the backup's audit head.
      const storeId = (fresh.db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as { value: string }).value;
      const listed = (await hq.admin('GET', `/v1/admin/terminal-restores?storeId=${storeId}`)) as { restores: { terminalId: string; storeId: string; at: number; backupAt: number; audit: { seq: number; hash: string }; headKnown: boolean; headDiverges: boolean }[] };
      expect(listed.restores).toEqual([
        expect.objectContaining({ terminalId, storeId, backupAt: restored.backupAt, audit: restored.audit, headDiverges: false }),
      ]);
      expect(typeof listed.restores[0]!.at).toBe('number');
      expect(await hq.admin('GET', '/v1/admin/terminal-restores?storeId=NO-SUCH-STORE')).toEqual({ restores: [] });
      // The same list from the command line (the token from the environment, as an operator gives it).
      process.env.HQ_ADMIN_TOKEN = ADMIN_TOKEN;
      try {
        expect(await hqAdminCommand({ hq: hq.url, store: storeId }, ['restores'], clock.now, () => undefined)).toEqual(listed);
      } finally {
        delete process.env.HQ_ADMIN_TOKEN;
      }

      // The terminal: every operation once (the backup's, HQ's history, its own new ones), all synced.
      expect(ids(fresh)).toEqual([...done, ...after].sort());
      expect(fresh.db.prepare('SELECT count(*) AS n FROM operations WHERE synced = 0').get()).toEqual({ n: 0 });
      // A second sync sends nothing and takes nothing twice.
      const again = await syncOnce(fresh.db);
      expect(again).toMatchObject({ pushed: 0, duplicates: 0 });
      expect(again.restore).toBeUndefined();
      // The next new work goes on after every seq HQ holds.
      clock.now += 30_000;
      const more: string[] = [];
      for (let i = 0; i < 5 && more.length === 0; i++) work(fresh, rand, more);
      const next = (fresh.db.prepare('SELECT seq FROM outbox WHERE op_id = ?').get(more[0]) as { seq: number }).seq;
      expect(next).toBe(lastSeq + 1);
      await syncOnce(fresh.db);

      const report = await doctorCommand({ db: target }, createTranslator('en'), clock.now);
      if (!('findings' in report) || report.findings === undefined) throw new Error(`doctor could not open ${target}`);
      expect(report.findings.filter((f) => f.severity === 'problem')).toEqual([]);
      expect(report.healthy).toBe(true);
      expect(report.findings.map((f) => f.code)).toContain('RESTORED_FROM_BACKUP');
      expect(report.restored).toMatchObject({ audit: { seq: restored.audit.seq } });
      expect(report.restored?.reportedAt).not.toBeNull();
    } finally {
      fresh.close();
    }
  });
});

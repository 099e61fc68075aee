// The anchored audit chain (docs/authority.md): each push carries the terminal's audit head, HQ
// anchors it and signs it, and the terminal's checks then catch what its own chain walk cannot —
// entries deleted from the end, a rewrite with every later hash recomputed, an edited anchor, an
// operation that no longer says what its audit entry says. Real HQ on loopback, real SQLite files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/cli/commands/doctor';
import { createTranslator } from '../../src/i18n';
import { auditHash, GENESIS_HASH, verifyAuditChain } from '../../src/store/audit';
import { checkAuditAnchor, checkOperationsAgainstAudit } from '../../src/store/auditChecks';
import type { Db } from '../../src/store/open';
import { getSyncState, setSyncState } from '../../src/store/syncState';
import { syncOnce } from '../../src/syncClient/syncRun';
import { createHqClient } from '../../src/syncClient/hqClient';
import type { PushEvent } from '../../src/sync/protocol';
import { NOW, tempDir } from '../helpers/demoDb';
import { BACKENDS, enrollNew, openAt, seedHq, startTestHq, type TestHq } from '../hq/harness';
import { MAX_UNPROVEN_PUSHES } from '../../src/hq/services/auditAnchor';

/** Recomputes every hash from `fromSeq` on, as someone covering an edit would. */
function rechain(db: Db, fromSeq: number): void {
  const rows = db.prepare('SELECT seq, content_json FROM audit WHERE seq >= ? ORDER BY seq').all(fromSeq) as { seq: number; content_json: string }[];
  let prev = (db.prepare('SELECT hash FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT 1').get(fromSeq) as { hash: string } | undefined)?.hash ?? GENESIS_HASH;
  for (const r of rows) {
    const hash = auditHash(prev, r.content_json);
    db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r.seq);
    prev = hash;
  }
}

/** The outbox's operations as a push sends them (for a push made by hand, with a chosen audit claim). */
function outboxEvents(db: Db): PushEvent[] {
  const rows = db.prepare('SELECT seq, id, created_at AS createdAt, payload_json FROM outbox ORDER BY seq').all() as { seq: number; id: string; createdAt: number; payload_json: string }[];
  return rows.map((e) => ({ seq: e.seq, id: e.id, type: 'operation.recorded', createdAt: e.createdAt, payload: JSON.parse(e.payload_json) }) as PushEvent);
}

describe.each(BACKENDS)('anchored audit chain, on %s', (backend) => {
  let hq: TestHq;
  const tmp = tempDir('ld-anchor-');
  const clock = { now: NOW };

  beforeAll(async () => {
    hq = await startTestHq(backend);
    await seedHq(hq, tmp.dir);
  });
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  async function desk(name: string) {
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, name);
    const t = openAt(dbPath, clock, true);
    await syncOnce(t.db);
    for (let i = 0; i < 3; i++) t.service.earn({ memberId: `M0000003${i}`, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 10_000 + i }] });
    await syncOnce(t.db);
    return Object.assign(t, { dbPath });
  }

  const conflictKinds = async (terminalId: string) =>
    (await hq.db.query<{ kind: string }>("SELECT kind FROM conflicts WHERE terminal_id = $1 AND kind LIKE 'audit_%' ORDER BY id", [terminalId])).map((r) => r.kind);

  it('anchors the head at each push, signed by HQ; the receipt carries its audit mark', async () => {
    const t = await desk('anchored');
    try {
      const anchor = JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { seq: number; hash: string };
      const head = t.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      expect(anchor).toMatchObject({ seq: head.seq, hash: head.hash });
      expect(checkAuditAnchor(t.db)).toEqual({ anchor: expect.objectContaining({ seq: head.seq }), problem: null });
      expect(checkOperationsAgainstAudit(t.db)).toMatchObject({ checked: 3, mismatchedTotal: 0 });
      const job = t.db.prepare('SELECT payload_json FROM print_jobs ORDER BY id DESC LIMIT 1').get() as { payload_json: string };
      const receipt = JSON.parse(job.payload_json) as { opId: string; audit: { seq: number; mark: string } };
      const entry = t.db.prepare('SELECT seq, hash FROM audit WHERE ref = ?').get(receipt.opId) as { seq: number; hash: string };
      expect(receipt.audit).toEqual({ seq: entry.seq, mark: entry.hash.slice(0, 8) });
    } finally {
      t.close();
    }
  });

  it('reports entries deleted from the end: locally AUDIT_TRUNCATED, at HQ a conflict', async () => {
    const t = await desk('truncated');
    try {
      const { n } = t.db.prepare('SELECT max(seq) AS n FROM audit').get() as { n: number };
      t.db.prepare('DELETE FROM audit WHERE seq > ?').run(n - 2);
      expect(verifyAuditChain(t.db).ok).toBe(true); // the walk alone sees nothing wrong
      expect(checkAuditAnchor(t.db).problem).toBe('AUDIT_TRUNCATED');
      t.service.earn({ memberId: 'M00000031', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 500 }] });
      const s = await syncOnce(t.db);
      expect(s.pending).toBe(0); // the events still go through
      const terminalId = getSyncState(t.db, 'audit_anchor') && (JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { terminalId: string }).terminalId;
      expect(await conflictKinds(terminalId!)).toEqual(['audit_truncated']);
      // HQ keeps its anchor where it was: the terminal's check still fails after the sync, and doctor says so.
      expect(checkAuditAnchor(t.db).problem).toBe('AUDIT_TRUNCATED');
      const report = await doctorCommand({ db: t.dbPath }, createTranslator('en'), Date.now());
      expect(report.healthy).toBe(false);
      expect('findings' in report && report.findings).toContainEqual(expect.objectContaining({ code: 'AUDIT_TRUNCATED', severity: 'problem' }));
    } finally {
      t.close();
    }
  });

  it('reports an entry rewritten with every later hash recomputed: locally AUDIT_REWRITTEN, at HQ a conflict', async () => {
    const t = await desk('rewritten');
    try {
      const entry = t.db.prepare("SELECT seq, content_json FROM audit WHERE action = 'operation.earn' ORDER BY seq LIMIT 1").get() as { seq: number; content_json: string };
      const content = JSON.parse(entry.content_json) as { data: { points: number } };
      content.data.points = 99_999;
      t.db.prepare('UPDATE audit SET content_json = ? WHERE seq = ?').run(JSON.stringify(content), entry.seq);
      t.db.prepare("UPDATE operations SET points = 99999 WHERE id = (SELECT ref FROM audit WHERE seq = ?)").run(entry.seq);
      rechain(t.db, entry.seq);
      expect(verifyAuditChain(t.db).ok).toBe(true);
      expect(checkOperationsAgainstAudit(t.db).mismatchedTotal).toBe(0); // edited together, they agree
      expect(checkAuditAnchor(t.db).problem).toBe('AUDIT_REWRITTEN');
      t.service.earn({ memberId: 'M00000032', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 500 }] });
      await syncOnce(t.db);
      const terminalId = (JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { terminalId: string }).terminalId;
      expect(await conflictKinds(terminalId)).toEqual(['audit_rewritten']);
    } finally {
      t.close();
    }
  });

  it('names an operation edited without its audit entry, and an anchor edited by hand', async () => {
    const t = await desk('edited');
    try {
      const op = t.db.prepare("SELECT id FROM operations WHERE kind = 'earn' LIMIT 1").get() as { id: string };
      t.db.prepare('UPDATE operations SET points = points + 1000 WHERE id = ?').run(op.id);
      expect(checkOperationsAgainstAudit(t.db)).toMatchObject({ mismatchedTotal: 1, mismatched: [{ opId: op.id, problem: 'differs' }] });
      const anchor = JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { seq: number };
      setSyncState(t.db, 'audit_anchor', JSON.stringify({ ...anchor, seq: anchor.seq - 1 }));
      expect(checkAuditAnchor(t.db).problem).toBe('AUDIT_ANCHOR_INVALID');
      setSyncState(t.db, 'audit_anchor', 'not json');
      expect(checkAuditAnchor(t.db).problem).toBe('AUDIT_ANCHOR_INVALID');
    } finally {
      t.close();
    }
  });

  it('takes a head HQ anchored before, arriving after a later one (two syncs at once), as no truncation; after a break it anchors on and still sees the next', async () => {
    const t = await desk('overtaken');
    try {
      const first = JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { seq: number; hash: string; terminalId: string };
      t.service.earn({ memberId: 'M00000034', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 700 }] });
      await syncOnce(t.db);
      // The earlier head again, as a push overtaken by the one above would carry it.
      const client = createHqClient({ url: hq.url, credential: getSyncState(t.db, 'credential')! });
      t.service.earn({ memberId: 'M00000034', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 800 }] });
      const answer = await client.push(outboxEvents(t.db), { seq: first.seq, hash: first.hash, atAnchor: null });
      expect(answer.value.conflicts.filter((c) => c.kind.startsWith('audit'))).toEqual([]);
      expect(await conflictKinds(first.terminalId)).toEqual([]);
    } finally {
      t.close();
    }
  });

  it('gives a terminal that lost its anchor the one HQ holds, with no conflict, and anchors on from there', async () => {
    const t = await desk('lost');
    try {
      const held = getSyncState(t.db, 'audit_anchor')!;
      t.db.prepare("DELETE FROM sync_state WHERE key = 'audit_anchor'").run();
      t.service.earn({ memberId: 'M00000033', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 500 }] });
      await syncOnce(t.db);
      expect(getSyncState(t.db, 'audit_anchor')).toBe(held);
      t.service.earn({ memberId: 'M00000033', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 600 }] });
      await syncOnce(t.db);
      const now = JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { seq: number; terminalId: string };
      expect(now.seq).toBeGreaterThan((JSON.parse(held) as { seq: number }).seq);
      expect(checkAuditAnchor(t.db).problem).toBeNull();
      expect(await conflictKinds(now.terminalId)).toEqual([]);
    } finally {
      t.close();
    }
  });

  it(`records a chain rewritten behind a stored anchor deleted before every sync, after ${MAX_UNPROVEN_PUSHES} pushes that never prove the link`, async () => {
    const t = await desk('never-proves');
    try {
      const terminalId = (JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { terminalId: string }).terminalId;
      const entry = t.db.prepare("SELECT seq, content_json FROM audit WHERE action = 'operation.earn' ORDER BY seq LIMIT 1").get() as { seq: number; content_json: string };
      const content = JSON.parse(entry.content_json) as { data: { points: number } };
      content.data.points = 88_888;
      t.db.prepare('UPDATE audit SET content_json = ? WHERE seq = ?').run(JSON.stringify(content), entry.seq);
      rechain(t.db, entry.seq);
      for (let i = 1; i <= MAX_UNPROVEN_PUSHES; i++) {
        // The anchor that would give the rewrite away is gone before each sync: the push says it holds none.
        t.db.prepare("DELETE FROM sync_state WHERE key = 'audit_anchor'").run();
        t.service.earn({ memberId: 'M00000035', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 300 + i }] });
        await syncOnce(t.db);
        expect(await conflictKinds(terminalId), `after push ${i}`).toEqual(i < MAX_UNPROVEN_PUSHES ? [] : ['audit_rewritten']);
      }
      const [c] = await hq.db.query<{ detail: { unprovenPushes?: number } }>("SELECT detail FROM conflicts WHERE terminal_id = $1 AND kind = 'audit_rewritten'", [terminalId]);
      expect(c!.detail.unprovenPushes).toBe(MAX_UNPROVEN_PUSHES);
    } finally {
      t.close();
    }
  });

  it('takes an older anchor a push names (an answer lost on the way) only with the hash HQ anchored there', async () => {
    const t = await desk('older');
    try {
      const first = JSON.parse(getSyncState(t.db, 'audit_anchor')!) as { seq: number; hash: string; terminalId: string };
      t.service.earn({ memberId: 'M00000036', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 900 }] });
      await syncOnce(t.db);
      const client = createHqClient({ url: hq.url, credential: getSyncState(t.db, 'credential')! });
      const head = t.db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
      t.service.earn({ memberId: 'M00000036', staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 901 }] });
      // The honest lost-answer case: its own entry at the older anchor, as HQ anchored it. No conflict.
      const honest = await client.push(outboxEvents(t.db), { seq: head.seq + 1, hash: 'a'.repeat(64), atAnchor: { seq: first.seq, hash: first.hash } });
      expect(honest.value.conflicts.filter((c) => c.kind.startsWith('audit'))).toEqual([]);
      // Another hash there is a rewrite, at once.
      const forged = await client.push(outboxEvents(t.db), { seq: head.seq + 1, hash: 'b'.repeat(64), atAnchor: { seq: first.seq, hash: 'c'.repeat(64) } });
      expect(forged.value.conflicts.map((c) => c.kind)).toEqual(['audit_rewritten']);
    } finally {
      t.close();
    }
  });
});

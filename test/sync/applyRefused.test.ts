// No poison, the rows that parse: a pull row the schema takes but this database refuses — a lot
// whose key another member's lot holds (point_lots.hq_key is unique), a month named twice, a
// conflict whose id is not an integer — is set aside with SQLite's reason, and the rest of its page
// is applied. Before, the page's transaction failed: that sync threw (SqliteError) and, the row
// being sent again, every later one too — no revocation, key or staff change arrived again.
// Real HQ (PGlite) on loopback behind a proxy that adds generated rows to its pages.
import { mulberry32 } from '../../src/bench/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSyncState } from '../../src/store/syncState';
import { syncOnce } from '../../src/syncClient/syncRun';
import { changeSchema } from '../../src/sync/protocolEntities';
import { NOW, tempDir } from '../helpers/demoDb';
import { enrollNew, openAt, seedHq, startTestHq, type TestHq } from '../hq/harness';
import { startInjectProxy } from './injectProxy';

type MemberRow = { entity: 'member'; id: string; seq: number; deleted: false; data: Record<string, unknown> & { lots: { key: string }[]; months: { month: string }[] } };

describe('rows that parse but the database refuses', () => {
  const tmp = tempDir('ld-refused-');
  let hq: TestHq;
  beforeAll(async () => {
    hq = await startTestHq('pglite');
    await seedHq(hq, tmp.dir, 30);
  }, 60_000);
  afterAll(async () => {
    await hq?.stop();
    tmp.cleanup();
  });

  it('are set aside one by one; the good rows of their page are applied and the pull moves on (generated pages)', async () => {
    const proxy = await startInjectProxy(Number(new URL(hq.url).port));
    const t = openAt(await enrollNew(proxy.url, hq.admin, tmp.dir, 'refused'), { now: NOW });
    try {
      await syncOnce(t.db);
      const members = proxy.seen.filter((c) => c.entity === 'member' && c.deleted === false) as MemberRow[];
      const withLots = members.filter((m) => m.data.lots.length > 0);
      expect(withLots.length).toBeGreaterThan(3);
      const nameOf = (id: string) => (t.db.prepare('SELECT name FROM members WHERE id = ?').get(id) as { name: string }).name;
      const random = mulberry32(5);
      const rnd = (k: number): number => Math.floor(random() * k);
      let seq = 8_000_000;
      for (let page = 0; page < 8; page++) {
        const rows: unknown[] = [];
        const bad: string[] = [];
        const good: { id: string; name: string }[] = [];
        // Distinct members per page: one row each.
        const pool = [...members].sort(() => rnd(3) - 1).slice(0, 12);
        for (const [i, m] of pool.entries()) {
          const name = `改名${page}-${i}`;
          const kind = rnd(4);
          if (kind === 0) {
            // Another member's lot key.
            const other = withLots.find((o) => o.id !== m.id)!;
            rows.push({ ...m, seq: seq++, data: { ...m.data, name, lots: [...m.data.lots, { ...other.data.lots[0]! }] } });
            bad.push(m.id);
          } else if (kind === 1) {
            const month = { month: `2026-0${1 + rnd(9)}`, visits: 1, spendFen: 100 };
            rows.push({ ...m, seq: seq++, data: { ...m.data, name, months: [month, { ...month, visits: 2 }] } });
            bad.push(m.id);
          } else {
            rows.push({ ...m, seq: seq++, data: { ...m.data, name } });
            good.push({ id: m.id, name });
          }
        }
        const conflicts = 1 + rnd(3);
        for (let k = 0; k < conflicts; k++) {
          rows.push({ entity: 'conflict', id: `${1 + rnd(1000)}.5`, seq: seq++, deleted: false, data: { opId: 'x', terminalId: 't', memberId: pool[0]!.id, kind: 'malformed', decision: 'refused', detail: {}, at: NOW, decidedAt: NOW } });
        }
        for (const r of rows) expect(changeSchema.safeParse(r).success).toBe(true);
        const before = new Map(bad.map((id) => [id, nameOf(id)]));
        const asideBefore = (t.db.prepare('SELECT count(*) AS n FROM sync_set_aside').get() as { n: number }).n;
        proxy.inject = rows;
        const s = await syncOnce(t.db);
        proxy.inject = [];
        expect(s.setAside, `page ${page}`).toBe(bad.length + conflicts);
        const aside = t.db.prepare('SELECT entity, entity_id, reason FROM sync_set_aside WHERE id > ? ORDER BY id').all(asideBefore) as { entity: string; entity_id: string; reason: string }[];
        expect(aside.filter((a) => a.entity === 'member').map((a) => a.entity_id).sort()).toEqual([...bad].sort());
        expect(aside.every((a) => /^apply: SQLITE_(CONSTRAINT|MISMATCH)/.test(a.reason))).toBe(true);
        // Good rows of the page applied; a refused member row left nothing of itself behind.
        for (const g of good) expect(nameOf(g.id)).toBe(g.name);
        for (const [id, name] of before) expect(nameOf(id)).toBe(name);
        expect(getSyncState(t.db, 'cursor')).not.toBeNull();
      }
      // And an honest sync after them is plain.
      const last = await syncOnce(t.db);
      expect(last.setAside).toBe(0);
    } finally {
      t.close();
      await proxy.close();
    }
  }, 120_000);
});

// A server at HQ's address that answers pull pages without end (more: true), of rows the terminal
// sets aside or of valid rows it keeps, would fill the disk: measured, about 17 MB of database a
// 2,000-row page of junk, a second a page, until SQLite could write no redemption. The pull now
// stops before a page when the disk's free space is below the reserve (DISK_SPACE_LOW, worded in
// every language), keeping the pages before it with their cursor, and the desk still records an
// earn and its receipt. A loopback HTTP server plays HQ; the disk is one of the test's size (its
// free space is capacity minus the database's files), so no test fills a real disk.
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { createTranslator } from '../../src/i18n';
import { getSyncState, setSyncState } from '../../src/store/syncState';
import { syncOnce } from '../../src/syncClient/syncRun';
import { NOW, openDemoTerminal } from '../helpers/demoDb';

const MB = 1024 * 1024;
let mode: 'junk' | 'valid' = 'junk';
let served = 0;

describe('a pull that would fill the disk', () => {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.startsWith('/v2/sync/report')) return void res.end(JSON.stringify({ ok: true, received: 0, serverTime: NOW }));
    const changes = Array.from({ length: 500 }, () => {
      const n = ++served;
      return mode === 'junk'
        ? { entity: 'member', id: `J${n}`, seq: n, deleted: false, junk: 'x'.repeat(4000) }
        : {
            entity: 'member', id: `J${n}`, seq: n, deleted: false,
            data: { cardNo: String(7_000_000_000 + n), name: 'x'.repeat(80), phoneHash: 'h'.repeat(43), phoneLast4: '0000', birthday: null, tier: 'basic', tierSince: NOW, cardSerial: 1, status: 'active', joinedAt: NOW, lastPurchaseAt: null, months: [],
              lots: Array.from({ length: 40 }, (_, k) => ({ key: `L${n}-${k}`, earnedAt: NOW, expiresAt: NOW + 1e10, points: 1, remaining: 1 })), grants: [] },
          };
    });
    res.end(JSON.stringify({ ok: true, changes, cursor: `c${served}`, more: true, serverTime: NOW }));
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each(['junk', 'valid'] as const)('stops at the reserve, keeps whole pages, and the desk still records (%s rows)', async (m) => {
    mode = m;
    const t = openDemoTerminal(5);
    try {
      setSyncState(t.db, 'hq_url', url);
      setSyncState(t.db, 'credential', `ldt_${'C'.repeat(43)}`);
      const used = (): number => [t.dbPath, `${t.dbPath}-wal`].reduce((s, f) => s + (existsSync(f) ? statSync(f).size : 0), 0);
      const reserve = 8 * MB;
      const capacity = used() + reserve + 12 * MB;
      const err = await syncOnce(t.db, { maxPages: 25, reserveBytes: reserve, freeBytes: () => capacity - used() }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(DeskError);
      expect((err as DeskError).code).toBe('DISK_SPACE_LOW');
      // Never past the reserve by more than the one page written after the last check.
      expect(capacity - used()).toBeGreaterThan(0);
      expect(getSyncState(t.db, 'cursor')).toMatch(/^c\d+$/);
      const earned = t.service.earn({ memberId: 'M00000001', staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 5_000 }] });
      expect(earned.printJobId).toBeGreaterThan(0);
      for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
        const text = createTranslator(lang, 'Asia/Shanghai').error('DISK_SPACE_LOW', (err as DeskError).params);
        expect(text).toMatch(/\d+ MB/);
        expect(text).not.toContain('DISK_SPACE_LOW');
      }
    } finally {
      t.cleanup();
    }
  }, 60_000);
});

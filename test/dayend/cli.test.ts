// `loyalty-desk zreport`: the report as JSON, --close, --csv (with a BOM), and bad input — no
// manager named, a clerk, a bad date, a future day, a CSV path that cannot be written, a printer that
// is off — refused with a sentence and exit 2, the day left as it was. It goes through the same
// dispatcher and manager check as the desk: --staff names the manager, recorded as who closed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { openStore } from '../../src/store/open';
import { seedDemoDb } from '../helpers/demoDb';
import { allowPrinter } from '../helpers/printerConfig';
import { snapshot } from '../helpers/snapshot';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');
const NOW_S = String(Date.UTC(2026, 10, 23, 2, 0, 0) / 1000);

let seeded: ReturnType<typeof seedDemoDb>;
beforeAll(() => {
  seeded = seedDemoDb(120);
});
afterAll(() => seeded.cleanup());

async function cli(...args: string[]): Promise<{ code: number; json: Record<string, any> }> {
  const out: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: () => {}, now: () => Number(NOW_S) * 1000 });
  return { code, json: JSON.parse(out.join('')) };
}

function dbSnapshot(): Record<string, string> {
  const { db } = openStore(seeded.dbPath, { create: false });
  try {
    return snapshot(db);
  } finally {
    db.close();
  }
}

describe('loyalty-desk zreport', () => {
  it('refuses bad dates, a future day, an unwritable CSV path and a printer that is off, changing nothing', async () => {
    const before = dbSnapshot();
    const db = ['--db', seeded.dbPath, '--now', NOW_S, '--staff', 'mgr-01'];
    const nobody = ['--db', seeded.dbPath, '--now', NOW_S];
    expect(await cli('zreport', ...nobody, '--close', '--lang', 'en')).toMatchObject({ code: 2, json: { ok: false, error: { code: 'STAFF_REQUIRED', message: expect.stringContaining('--staff') } } });
    expect(await cli('zreport', ...nobody, '--close', '--staff', 'clerk-01')).toMatchObject({ code: 2, json: { ok: false, error: { code: 'NOT_MANAGER' } } });
    expect(await cli('zreport', ...nobody, '--close', '--staff', 'nobody-here')).toMatchObject({ code: 2, json: { ok: false, error: { code: 'UNKNOWN_STAFF' } } });
    expect(await cli('zreport', ...db, '--date', '2026-13-01')).toMatchObject({ code: 2, json: { ok: false, error: { code: 'DATE_INVALID' } } });
    expect(await cli('zreport', ...db, '--date', '23/11/2026', '--close')).toMatchObject({ code: 2, json: { error: { code: 'DATE_INVALID' } } });
    expect(await cli('zreport', ...db, '--date', '2026-11-24', '--close', '--lang', 'en')).toMatchObject({
      code: 2,
      json: { error: { code: 'DAY_IN_FUTURE', message: '2026-11-24 has not happened yet (today is 2026-11-23): pick today or an earlier day.' } },
    });
    const csv = await cli('zreport', ...db, '--close', '--csv', join(seeded.dir, 'no-such-dir', 'z.csv'));
    expect(csv).toMatchObject({ code: 2, json: { error: { code: 'FILE_WRITE_FAILED' } } });
    expect(csv.json.error.message).toContain('no-such-dir');
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
    // A port outside 9100–9109 is refused before any connection; listed in config.json (as IT would) it is tried.
    const refused = await cli('zreport', ...db, '--close', '--printer', `tcp://127.0.0.1:${port}`);
    expect(refused).toMatchObject({ code: 2, json: { error: { code: 'PRINTER_ADDRESS_REFUSED', params: { context: 'port' } } } });
    allowPrinter(seeded.dir, { ports: [port] });
    const off = await cli('zreport', ...db, '--close', '--printer', `tcp://127.0.0.1:${port}`);
    expect(off).toMatchObject({ code: 2, json: { error: { code: 'PRINTER_UNREACHABLE' } } });
    expect(dbSnapshot()).toEqual(before);
  });

  it('prints the open day as JSON, closes it with --close and writes the CSV with a BOM (real process)', async () => {
    const open = await cli('zreport', '--db', seeded.dbPath, '--now', NOW_S, '--staff', 'mgr-01');
    expect(open).toMatchObject({ code: 0, json: { ok: true, date: '2026-11-23', number: null, closed: false } });
    for (const key of ['date', 'number', 'closed', 'synced', 'redemptions', 'points', 'voids', 'byStaff', 'pending', 'conflicts']) expect(open.json).toHaveProperty(key);
    const csvPath = join(seeded.dir, 'z.csv');
    const { stdout } = await run(process.execPath, [BIN, 'zreport', '--db', seeded.dbPath, '--now', NOW_S, '--staff', 'mgr-01', '--close', '--csv', csvPath], { timeout: 30_000 });
    const closed = JSON.parse(stdout) as Record<string, any>;
    expect(closed).toMatchObject({ ok: true, date: '2026-11-23', number: 1, closed: true, closedBy: 'mgr-01', closedByName: '李娜', csvFile: csvPath });
    // Not enrolled: the day-end says it could not sync, as the desk's does, and closes locally.
    expect(closed.sync).toMatchObject({ ok: false, error: { code: 'NO_HQ_CREDENTIAL' } });
    const bytes = readFileSync(csvPath);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n日结报表,日结号,,1,,,\r\n');
    const again = await cli('zreport', '--db', seeded.dbPath, '--now', NOW_S, '--staff', 'mgr-01', '--close');
    expect(again.json.number).toBe(1);
    expect(again.json.closedAt).toBe(closed.closedAt);
  });
});

// HQ's staff admin holds names to the desk's rule (src/loyalty/staffName.ts, 80 characters at HQ):
// over real HTTP, generated names with control, bidi and invisible characters are refused
// (BAD_REQUEST naming STAFF_NAME_INVALID and the reason) and nothing is stored; an NFD name is kept
// NFC and trimmed, and that is what a terminal pulls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskError } from '../../src/contract/errors';
import { DEMO_STORE } from '../../src/terminal/demo/catalog';
import { syncOnce } from '../../src/syncClient/syncRun';
import { openStore } from '../../src/store/open';
import { tempDir } from '../helpers/demoDb';
import { enrollNew, seedHq, startTestHq, type TestHq } from './harness';

let hq: TestHq;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  tmp = tempDir('ld-hq-names-');
  hq = await startTestHq('pglite');
  await seedHq(hq, tmp.dir, 20);
});
afterAll(async () => {
  await hq.stop();
  tmp.cleanup();
});

const staff = (name: string, n: number) => ({ staff: [{ id: `s-names-${n}`, storeId: DEMO_STORE.id, name, role: 'clerk' as const, pin: String(700000 + n) }] });

async function refusal(name: string, n: number): Promise<string> {
  try {
    await hq.admin('POST', '/v1/admin/staff', staff(name, n));
  } catch (err) {
    expect(err).toBeInstanceOf(DeskError);
    const e = err as DeskError;
    expect(e.code).toBe('HQ_REFUSED');
    return String(e.params.detail);
  }
  throw new Error(`HQ accepted ${JSON.stringify(name)}`);
}

describe("HQ's staff admin", () => {
  it('refuses 120 generated names with control, bidi or invisible characters, and blank or too-long ones', async () => {
    let seed = 11;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const kinds = [
      ['control', ['\u0000', '\u0007', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u2028']],
      ['bidi', ['\u202e', '\u202d', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f']],
      ['invisible', ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u{e0061}']],
    ] as const;
    for (let i = 0; i < 120; i++) {
      const [kind, chars] = pick(kinds);
      const base = pick(['王芳', '陈磊', 'Alice', 'admin', '李娜']);
      const at = Math.floor(random() * (base.length + 1));
      const detail = await refusal(`${base.slice(0, at)}${pick(chars)}${base.slice(at)}`, i);
      expect(detail).toContain(`STAFF_NAME_INVALID (${kind})`);
    }
    expect(await refusal('   ', 200)).toContain('(blank)');
    expect(await refusal('\u200b\u200b', 201)).toContain('(invisible)');
    expect(await refusal('名'.repeat(81), 202)).toContain('(tooLong)');
  });

  it('keeps a name NFC and trimmed, and that is the name a terminal pulls', async () => {
    await hq.admin('POST', '/v1/admin/staff', staff('  Jose\u0301   Li  ', 300));
    const dbPath = await enrollNew(hq.url, hq.admin, tmp.dir, 't-names', DEMO_STORE.id);
    const { db } = openStore(dbPath, { create: false });
    try {
      await syncOnce(db);
      const row = db.prepare("SELECT name FROM staff WHERE id = 's-names-300'").get() as { name: string } | undefined;
      expect(row?.name).toBe('José Li');
      expect(row?.name).toBe('José Li'.normalize('NFC'));
      // None of the refused ones reached a terminal.
      expect(db.prepare("SELECT count(*) AS n FROM staff WHERE id LIKE 's-names-%'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});

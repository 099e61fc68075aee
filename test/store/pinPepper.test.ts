// Staff PIN hashes on a terminal are peppered with a key derived from the database key (kept outside
// the database): the table holds no scrypt hash a copied table could be searched with; sign-in, a
// PIN changed by the manager and staff synced from HQ all still match; hashes stored before peppering
// are peppered the next time the database opens.
import { afterEach, describe, expect, it } from 'vitest';
import { openRaw } from '../../src/store/open';
import { hashPin } from '../../src/terminal/operations/staffAuth';
import { openTerminal } from '../../src/terminal/operations/openTerminal';
import { DEMO_STAFF } from '../../src/terminal/demo/catalog';
import { getMeta } from '../../src/store/meta';
import { NOW, openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';
import { deskApi } from '../helpers/sessions';

let t: DemoTerminal | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

const stored = (db: DemoTerminal['db']) => db.prepare('SELECT id, pin_hash FROM staff ORDER BY id').all() as { id: string; pin_hash: string }[];

describe('peppered staff PIN hashes', () => {
  it('stores no scrypt hash, and every demo PIN still signs in', async () => {
    t = openDemoTerminal(50);
    const salt = getMeta(t.db, 'pin_salt')!;
    const scrypt = new Set(DEMO_STAFF.map((s) => hashPin(s.pin, salt)));
    const rows = stored(t.db);
    expect(rows.length).toBeGreaterThanOrEqual(DEMO_STAFF.length);
    for (const r of rows) {
      expect(r.pin_hash).toMatch(/^p1:[A-Za-z0-9_-]{43}$/);
      expect(scrypt.has(r.pin_hash)).toBe(false);
    }
    for (const s of DEMO_STAFF) {
      const api = deskApi(t.service);
      expect(await api['staff.signIn']({ pin: s.pin })).toMatchObject({ ok: true, value: { id: s.id } });
    }
    const wrong = await deskApi(t.service)['staff.signIn']({ pin: '0000' });
    expect(wrong.ok).toBe(false);
  });

  it('peppers hashes stored before peppering when the database next opens, and they still sign in', async () => {
    t = openDemoTerminal(50);
    const salt = getMeta(t.db, 'pin_salt')!;
    t.close();
    // As a database from before peppering holds them: the scrypt hash itself.
    const raw = openRaw(t.dbPath);
    for (const s of DEMO_STAFF) raw.prepare('UPDATE staff SET pin_hash = ? WHERE id = ?').run(hashPin(s.pin, salt), s.id);
    raw.close();
    const again = openTerminal(t.dbPath, { clock: () => NOW });
    try {
      for (const r of stored(again.db)) expect(r.pin_hash).toMatch(/^p1:/);
      const api = deskApi(again.service);
      expect(await api['staff.signIn']({ pin: DEMO_STAFF[0]!.pin })).toMatchObject({ ok: true, value: { id: DEMO_STAFF[0]!.id } });
    } finally {
      again.close();
    }
  });
});

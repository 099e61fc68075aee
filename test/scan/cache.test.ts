// Schema 25 and the scan cache's hot queries: each is an index lookup, never a scan of the table.
// Also: renderer/scan stays free of the core (it runs in the browser and in a Web Worker).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markSeen, pruneSeen } from '../../src/store/scanCache';
import { openDemoTerminal, type DemoTerminal } from '../helpers/demoDb';

let t: DemoTerminal;
beforeEach(() => {
  t = openDemoTerminal(50);
});
afterEach(() => t.cleanup());

const plan = (sql: string, ...params: unknown[]) =>
  (t.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('scan cache', () => {
  it('looks keys, revocations and seen codes up by index', () => {
    expect(plan('SELECT kid, x, valid_from, valid_to FROM trusted_keys WHERE kid = ? AND tombstone = 0', 'k')).toMatch(/USING INDEX sqlite_autoindex_trusted_keys_1/);
    expect(plan('SELECT 1 AS n FROM revocations WHERE member_id = ? AND card_serial IN (0, ?) AND tombstone = 0 LIMIT 1', 'M', 1)).toMatch(/USING PRIMARY KEY/);
    expect(plan('DELETE FROM seen_codes WHERE step < ?', 5)).toMatch(/USING COVERING INDEX seen_codes_step|USING INDEX seen_codes_step/);
  });

  it('records a (member, step) once and prunes old steps only', () => {
    expect(markSeen(t.db, 'M1', 100, 0)).toBe(true);
    expect(markSeen(t.db, 'M1', 100, 1)).toBe(false);
    expect(markSeen(t.db, 'M1', 101, 1)).toBe(true);
    expect(markSeen(t.db, 'M2', 100, 1)).toBe(true);
    expect(pruneSeen(t.db, 101)).toBe(2);
    expect(markSeen(t.db, 'M1', 101, 2)).toBe(false);
  });
});

describe('renderer/scan', () => {
  // The reader's JavaScript and its WebAssembly file (bundled as an asset of our own build), nothing
  // else of zxing-wasm (its full build carries a writer too) and no other package.
  it('imports only zxing-wasm\'s reader, its wasm file as a URL, and its own files', () => {
    const dir = join(import.meta.dirname, '../../renderer/scan');
    const bad = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/^import\s(?!type\s)[^'"]*from\s+['"]([^'"]+)['"]/gm)]
        .map((m) => m[1]!)
        .filter((i) => !(i.startsWith('./') || i === 'zxing-wasm/reader' || i === 'zxing-wasm/reader/zxing_reader.wasm?url'))
        .map((i) => `${f} → ${i}`),
    );
    expect(bad).toEqual([]);
  });
});

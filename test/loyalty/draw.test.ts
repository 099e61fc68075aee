import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { drawBlindBox } from '../../src/loyalty/draw';
import type { BlindBoxItem } from '../../src/loyalty/types';

const item = (sku: string, weight: number): BlindBoxItem => ({
  sku,
  weight,
  valueFen: weight * 100,
  name: { 'zh-CN': sku, 'zh-TW': sku, en: sku },
});
const POOL = [item('A', 1), item('B', 3), item('C', 6)];
const all = (): boolean => true;
const except = (...skus: string[]) => (sku: string): boolean => !skus.includes(sku);

describe('drawBlindBox', () => {
  // Expected values computed outside the code under test:
  //   printf %s "$ID" | sha256sum | cut -c1-12  → hex of the first 6 bytes, then mod the total weight.
  it.each([
    ['redemption-1', all, 'B'], // 0x92ce4e66a411 mod 10 = 3
    ['redemption-2', all, 'B'], // 0x18e913a1c0f7 mod 10 = 1
    ['redemption-3', all, 'C'], // 0x751a460dd771 mod 10 = 9
    ['兑换-甲', all, 'B'], // UTF-8 id: 0x076820a67204 mod 10 = 2
    ['redemption-1', except('C'), 'B'], // mod 4 = 1
    ['redemption-2', except('C'), 'B'], // mod 4 = 3
    ['兑换-甲', except('C'), 'A'], // mod 4 = 0
    ['redemption-1', except('A'), 'C'], // mod 9 = 8
    ['redemption-1', except('A', 'B'), 'C'],
    ['redemption-1', except('A', 'B', 'C'), null],
  ] as [string, (sku: string) => boolean, string | null][])('%s → %s', (id, inStock, sku) => {
    expect(drawBlindBox(POOL, id, inStock)?.sku ?? null).toBe(sku);
  });

  it('returns null for an empty pool or a pool of zero weights', () => {
    expect(drawBlindBox([], 'x', all)).toBeNull();
    expect(drawBlindBox([item('Z', 0)], 'x', all)).toBeNull();
  });

  it('never draws a zero-weight item', () => {
    const pool = [item('Z', 0), item('A', 1)];
    for (let i = 0; i < 500; i++) expect(drawBlindBox(pool, `id-${i}`, all)?.sku).toBe('A');
  });

  it('is deterministic: the same id always draws the same item', () => {
    for (let i = 0; i < 200; i++) {
      const id = `0190f0a2-${i}`;
      const first = drawBlindBox(POOL, id, all);
      expect(drawBlindBox(POOL, id, all)).toBe(first);
      expect(drawBlindBox([...POOL], id, all)?.sku).toBe(first?.sku);
    }
  });

  it('matches the documented algorithm, reimplemented from the hex digest', () => {
    for (let i = 0; i < 500; i++) {
      const id = `audit-${i}`;
      const n = BigInt('0x' + createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 12));
      let r = Number(n % 10n);
      const expected = POOL.find((p) => (r -= p.weight) < 0)!;
      expect(drawBlindBox(POOL, id, all)?.sku).toBe(expected.sku);
    }
  });

  it('roughly follows the weights over 10,000 ids', () => {
    const counts: Record<string, number> = { A: 0, B: 0, C: 0 };
    for (let i = 0; i < 10_000; i++) {
      const sku = drawBlindBox(POOL, `R-${i}`, all)!.sku;
      counts[sku] = (counts[sku] ?? 0) + 1;
    }
    // Expected 1,000 / 3,000 / 6,000; ±150 is about five standard deviations.
    expect(Math.abs(counts['A']! - 1_000)).toBeLessThan(150);
    expect(Math.abs(counts['B']! - 3_000)).toBeLessThan(150);
    expect(Math.abs(counts['C']! - 6_000)).toBeLessThan(150);
  });

  it('never draws an out-of-stock item and rebalances among the rest', () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const sku = drawBlindBox(POOL, `R-${i}`, except('C'))!.sku;
      counts[sku] = (counts[sku] ?? 0) + 1;
    }
    expect(counts['C']).toBeUndefined();
    expect(Math.abs(counts['A']! - 2_500)).toBeLessThan(200);
    expect(Math.abs(counts['B']! - 7_500)).toBeLessThan(200);
  });
});

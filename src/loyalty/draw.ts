// The blind-box draw. It must be random to the member yet reproducible by an auditor from the
// redemption id alone, so it is a pure function of (pool, redemption id, stock) with no RNG.
import { createHash } from 'node:crypto';
import type { BlindBoxItem } from './types';

/**
 * Algorithm (reproduce it to audit a draw):
 *   1. Candidates = the pool items, in pool order, that are in stock and have weight > 0.
 *      If there are none, nothing is drawn (null).
 *   2. total = the sum of the candidates' weights (integers).
 *   3. h = SHA-256 of the redemption id encoded as UTF-8; n = its first 6 bytes read as an unsigned
 *      big-endian integer (0 … 2^48 − 1; 48 bits stay exact in a double).
 *   4. r = n mod total.
 *   5. Walk the candidates accumulating weights; the first candidate whose cumulative weight is
 *      greater than r is drawn.
 * Example check in a shell: printf %s "$ID" | sha256sum | cut -c1-12  → n in hex.
 * The modulo bias is below total / 2^48, negligible for any real pool.
 */
export function drawBlindBox(
  pool: BlindBoxItem[],
  redemptionId: string,
  inStock: (sku: string) => boolean,
): BlindBoxItem | null {
  const candidates = pool.filter((item) => Number.isFinite(item.weight) && item.weight > 0 && inStock(item.sku));
  const total = candidates.reduce((sum, item) => sum + item.weight, 0);
  if (candidates.length === 0 || total <= 0) return null;

  const n = createHash('sha256').update(redemptionId, 'utf8').digest().readUIntBE(0, 6);
  const r = n % total;
  let cumulative = 0;
  for (const item of candidates) {
    cumulative += item.weight;
    if (r < cumulative) return item;
  }
  // Only reachable with fractional weights whose sum rounds; the last candidate is then the fair pick.
  return candidates[candidates.length - 1] ?? null;
}

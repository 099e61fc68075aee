// The shared pieces: PIN scheme identical at both ends, backoff bounds, the OpenAPI document.
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/hq/openapi';
import { ROUTES } from '../../src/hq/server';
import { hashStaffPin, newPinSalt } from '../../src/sync/pinScheme';
import { backoffDelay } from '../../src/syncClient/syncLoop';
import { clockSkew } from '../../src/syncClient/hqClient';
import { hashPin } from '../../src/terminal/operations/staffAuth';

describe('sync protocol pieces', () => {
  it('HQ hashes PINs exactly as the terminal checks them', () => {
    const salt = newPinSalt();
    expect(hashStaffPin('2468', salt)).toBe(hashPin('2468', salt));
    expect(hashStaffPin('2468', salt)).not.toBe(hashStaffPin('2469', salt));
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(1, 1_000, 60_000, () => 0.999)).toBeLessThan(2_000);
    expect(backoffDelay(3, 1_000, 60_000, () => 0.999)).toBeGreaterThan(7_000);
    expect(backoffDelay(40, 1_000, 60_000, () => 0.999)).toBeLessThan(60_000);
    expect(backoffDelay(5, 1_000, 60_000, () => 0)).toBe(0);
  });

  it('reads clock skew at the middle of the round trip', () => {
    expect(clockSkew(10_000 + 180_000, 10_000 - 50, 10_000 + 50)).toBe(180_000);
  });

  it('describes every route in the OpenAPI document', () => {
    const doc = openApiDocument(ROUTES) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    for (const r of ROUTES) expect(doc.paths[r.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()]).toBeDefined();
    expect(doc.paths['/v1/sync/push']?.post?.requestBody).toBeDefined();
  });
});

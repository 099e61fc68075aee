// HQ's card-code signer (src/sync/cardCode.ts) lives apart from the terminal's scan code (HQ may not
// import it): it must make exactly the code the terminal's own minting makes, one its parser reads
// and the published schema admits.
import { describe, expect, it } from 'vitest';
import { parseCode } from '../../src/scan/codeFormat';
import { demoHqKey } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { cardCodeSchema, signCardCode } from '../../src/sync/cardCode';

describe("HQ's static card code", () => {
  it.each([['M00000001', 2], ['M-9', 17]] as const)('for %s serial %i is the terminal minting’s, byte for byte', (mid, cs) => {
    const key = demoHqKey('card-code-test', 'hq-k1');
    const at = Date.UTC(2026, 10, 24, 3, 0, 0);
    const code = signCardCode(key, { mid, cs, iatMs: at });
    expect(code).toBe(mintCardCode(key, { mid, cs, iat: Math.floor(at / 1000) }));
    expect(cardCodeSchema.safeParse(code).success).toBe(true);
    const parsed = parseCode(code);
    expect(parsed.kind === 'static' && parsed.payload).toEqual({ v: 1, kid: 'hq-k1', mid, cs, iat: Math.floor(at / 1000) });
  });
});

// The loyalty layer's promises that the type checker cannot see: no I/O, no clock, no randomness,
// no imports from the rest of the app, extensionless relative imports, and everything re-exported.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as loyalty from '../../src/loyalty';
import { LOYALTY_REASONS } from '../../src/loyalty/refusal';

const dir = join(import.meta.dirname, '../../src/loyalty');
const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
// Strip comments so the documentation may mention what the code must not do.
const code = (f: string): string =>
  readFileSync(join(dir, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

describe('src/loyalty purity', () => {
  it.each(files)('%s reads no clock or random source', (f) => {
    const src = code(f);
    expect(src).not.toMatch(/Date\.now\s*\(/);
    expect(src).not.toMatch(/new Date\s*\(\s*\)/);
    expect(src).not.toMatch(/Math\.random/);
    expect(src).not.toMatch(/performance\.now/);
  });

  it.each(files)('%s imports only itself, zod and node:crypto', (f) => {
    const specs = [...code(f).matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    for (const s of specs) {
      if (s.startsWith('.')) {
        expect(s).toMatch(/^\.\/[A-Za-z]+$/); // same folder, no extension
      } else {
        expect(['zod', 'node:crypto']).toContain(s);
      }
    }
  });

  it('re-exports the whole layer from index', () => {
    for (const name of [
      'localParts', 'businessDate', 'monthKey', 'addMonthsUtc', 'startOfLocalDay', 'monthsBack',
      'DEFAULT_RULES', 'loyaltyRulesSchema',
      'tierRule', 'tierRank', 'rollingActivity', 'evaluateTier', 'tierProgress', 'decideTierChange', 'discountedPriceFen',
      'lotExpiry', 'isBirthdayMonth', 'isMemberDay', 'earnPoints', 'availablePoints', 'planBurn', 'expiringSoon', 'expiredLots',
      'drawBlindBox', 'checkBenefit', 'benefitSku', 'checkStock',
      'checkExchange', 'checkCashDeduction', 'checkDonation', 'checkOfflineRisk',
      'refuse', 'LOYALTY_REASONS', 'TIER_CODES', 'BENEFIT_TYPES',
    ]) {
      expect(loyalty).toHaveProperty(name);
    }
  });

  it('every reason code is produced somewhere in the layer', () => {
    const all = files.filter((f) => f !== 'refusal.ts').map(code).join('\n');
    const unused = LOYALTY_REASONS.filter((r) => !all.includes(`'${r}'`));
    expect(unused).toEqual([]);
  });
});

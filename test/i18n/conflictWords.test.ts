// Every conflict the manager's 冲突 tab can show is worded in every language: each kind of
// CONFLICT_KINDS, each decision of CONFLICT_DECISIONS and each reason HQ gives (CONFLICT_REASONS,
// src/contract/conflictReason.ts), non-empty, and the Chinese ones without a Latin letter outside
// {{placeholders}} ("card_replace_refused" once showed raw inside the Chinese tab). The reason read
// from a detail: a known one is its sentence with its values, anything else (a newer HQ's reason,
// values that do not parse) the generic sentence, never HQ's code; no reason, no sentence.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFLICT_REASON_KEYS, CONFLICT_REASONS, conflictReason } from '../../src/contract/conflictReason';
import { createTranslator, resources } from '../../src/i18n';
import { conflictReasonParams } from '../../src/i18n/format';
import { LANGS } from '../../src/loyalty/types';
import { CONFLICT_DECISIONS, CONFLICT_KINDS } from '../../src/sync/protocolEntities';

/** The text at a dotted path of a catalog, or undefined. */
function at(catalog: object, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), catalog);
}

/** What is wrong with one catalog text. */
function problems(text: unknown, lang: string): string[] {
  if (typeof text !== 'string' || text.trim() === '') return ['no words'];
  if (lang === 'en') return /[\u3400-\u9fff]/u.test(text) ? ['Chinese in English'] : [];
  const latin = text.replace(/\{\{\s*\w+\s*\}\}/gu, '').match(/[A-Za-z]+/gu);
  return latin ? [`Latin letters: ${latin.join(' ')}`] : [];
}

function missing(paths: string[]): string[] {
  return LANGS.flatMap((lang) =>
    paths.flatMap((path) => problems(at(resources[lang].translation, path), lang).map((p) => `${lang} ${path}: ${p}`)),
  );
}

describe('conflict words', () => {
  it('the check catches a missing text, a blank one, English inside Chinese and Chinese inside English', () => {
    expect(problems(undefined, 'zh-CN')).toEqual(['no words']);
    expect(problems(' ', 'en')).toEqual(['no words']);
    expect(problems('card_replace_refused', 'zh-TW')).toEqual(['Latin letters: card replace refused']);
    expect(problems('卡号 {{cardNo}} 已作废。', 'zh-CN')).toEqual([]);
    expect(problems('总部 HQ 拒绝', 'zh-CN')).toEqual(['Latin letters: HQ']);
    expect(problems('Card 作废', 'en')).toEqual(['Chinese in English']);
  });

  it('words every conflict kind and every decision in zh-CN, zh-TW and en', () => {
    expect(missing(CONFLICT_KINDS.map((k) => `manager.conflictKind.${k}`))).toEqual([]);
    expect(missing(CONFLICT_DECISIONS.map((d) => `manager.decision.${d}`))).toEqual([]);
  });

  it('words every reason HQ gives, and the generic one, in zh-CN, zh-TW and en', () => {
    for (const kind of Object.keys(CONFLICT_REASONS)) expect(CONFLICT_KINDS as readonly string[]).toContain(kind);
    // The two caps HQ is adding (a terminal's sign-ups and replacements in 24 hours) are known here first.
    expect(CONFLICT_REASONS.signup_refused).toContain('signup_cap');
    expect(CONFLICT_REASONS.card_replace_refused).toContain('replace_cap');
    expect(CONFLICT_REASON_KEYS).toContain('unknown');
    expect(missing(CONFLICT_REASON_KEYS.map((k) => `manager.conflictReason.${k}`))).toEqual([]);
  });

  it('knows every reason code HQ writes in its refusals (src/hq/services)', () => {
    const literals = (file: string, pattern: RegExp) => [...readFileSync(new URL(`../../src/hq/services/${file}`, import.meta.url), 'utf8').matchAll(pattern)].map((m) => m[1]!);
    const reasonLiteral = /reason: '([A-Za-z_]+)'/gu;
    const known = (kind: keyof typeof CONFLICT_REASONS) => CONFLICT_REASONS[kind] as readonly string[];
    const unknown = [
      ...literals('eventChecks.ts', reasonLiteral).filter((r) => !known('earn_refused').includes(r)),
      ...literals('applyJoin.ts', reasonLiteral).filter((r) => !known('signup_refused').includes(r)),
      ...literals('applyCardReplace.ts', reasonLiteral).filter((r) => !known('card_replace_refused').includes(r)),
      ...literals('allowedUse.ts', /return '([A-Za-z_]+)'/gu).filter((r) => !known('benefit_not_allowed').includes(r)),
    ];
    expect(literals('applyCardReplace.ts', reasonLiteral).length).toBeGreaterThan(5);
    expect(unknown).toEqual([]);
  });

  it.each(LANGS)('makes every reason a whole sentence with its values in %s', (lang) => {
    const tr = createTranslator(lang);
    const values = { amountFen: 258_000_000, capFen: 100_000_000, thresholdFen: 2_000_000, limit: 1_200, cardNo: '8800000000123', currentCardNo: '8800000000456', retiredCardNo: '8800000000789' };
    for (const key of CONFLICT_REASON_KEYS) {
      const text = tr.t(`manager.conflictReason.${key}`, conflictReasonParams(values));
      expect(text, key).not.toMatch(/\{\{|\}\}|manager\./u);
      expect(text, key).toMatch(lang === 'en' ? /[.]$/u : /。$/u);
    }
    const capped = conflictReason('earn_refused', { reason: 'amount_cap', amountFen: 258_000_000, capFen: 100_000_000 })!;
    const said = tr.t(`manager.conflictReason.${capped.key}`, conflictReasonParams(capped.values));
    expect(said).toContain('¥2,580,000.00');
    expect(said).toContain('¥1,000,000.00');
    const cap = conflictReason('card_replace_refused', { reason: 'replace_cap', limit: 20 })!;
    expect(tr.t(`manager.conflictReason.${cap.key}`, conflictReasonParams(cap.values))).toContain('20');
  });

  it('reads a known reason with its values, and anything else as the generic sentence', () => {
    expect(conflictReason('earn_refused', { reason: 'amount_cap', amountFen: 300, capFen: 200 })).toEqual({ code: 'amount_cap', key: 'earn_refused.amount_cap', values: { amountFen: 300, capFen: 200 } });
    expect(conflictReason('earn_refused', { reason: 'no_purchase', amountFen: 0 })).toEqual({ code: 'no_purchase', key: 'earn_refused.no_purchase', values: {} });
    expect(conflictReason('signup_refused', { reason: 'signup_cap', limit: 50 })).toEqual({ code: 'signup_cap', key: 'signup_refused.signup_cap', values: { limit: 50 } });
    expect(conflictReason('card_replace_refused', { reason: 'card_not_current', cardNo: '8800000000123', currentCardNo: '8800000000456', retiredCardNo: '8800000000789' })).toMatchObject({
      key: 'card_replace_refused.card_not_current_retired',
      values: { currentCardNo: '8800000000456', retiredCardNo: '8800000000789' },
    });
    expect(conflictReason('card_replace_refused', { reason: 'card_not_current', cardNo: '8800000000123' })).toMatchObject({ key: 'card_replace_refused.card_not_current', values: { cardNo: '8800000000123' } });
    // A newer HQ's reason, a known reason on a kind that has none here, values that do not parse.
    expect(conflictReason('earn_refused', { reason: 'velocity_cap', limit: 3 })).toEqual({ code: 'velocity_cap', key: 'unknown', values: {} });
    expect(conflictReason('points_sign', { reason: 'amount_cap' })).toMatchObject({ key: 'unknown' });
    expect(conflictReason('earn_refused', { reason: 'amount_cap', amountFen: '300', capFen: 200 })).toMatchObject({ key: 'unknown' });
    expect(conflictReason('card_replace_refused', { reason: 'card_taken', cardNo: '<b>x</b>' })).toMatchObject({ key: 'unknown' });
    expect(conflictReason('earn_refused', { reason: 'toString' })).toMatchObject({ key: 'unknown' });
    expect(conflictReason('__proto__', { reason: 'amount_cap' })).toMatchObject({ key: 'unknown' });
    // No reason: no sentence.
    for (const detail of [{}, { benefitId: 'B-1' }, { reason: '' }, { reason: 7 }, null, 'amount_cap', [], undefined]) expect(conflictReason('earn_refused', detail)).toBeNull();
  });
});

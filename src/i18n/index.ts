// One message catalog (i18next resources, zh-CN default, zh-TW, en) for the CLI and the UI.
import i18next, { type TFunction } from 'i18next';
import { backupFailureCauseSchema } from '../contract/backupFailure';
import { isIoReason } from '../contract/ioReason';
import type { RefusalParams } from '../loyalty/refusal';
import type { Lang, TierCode } from '../loyalty/types';
import { en } from './en';
import { formatInstant, formatYuan } from './format';
import { zhCN } from './zh-CN';
import { zhTW } from './zh-TW';

export { formatInstant, formatYuan, isLang } from './format';

export const DEFAULT_LANG: Lang = 'zh-CN';

/**
 * What a void moved, for the Z-report (screen, paper, CSV): money where its operation moved money,
 * otherwise the points it moved, signed ("-2,580,000 积分" for a voided earn) — never "¥0.00".
 */
export function voidAmount(v: { valueFen: number; points: number }, t: (key: string, params?: Record<string, unknown>) => string): string {
  if (v.valueFen !== 0 || v.points === 0) return formatYuan(v.valueFen);
  return t('zreport.pointsMoved', { points: `${v.points > 0 ? '+' : ''}${v.points.toLocaleString('en-US')}` });
}
export const resources = {
  'zh-CN': { translation: zhCN },
  'zh-TW': { translation: zhTW },
  en: { translation: en },
} as const;

export interface Translator {
  lang: Lang;
  t: TFunction;
  /** The sentence for an error or refusal code, its parameters made readable. */
  error(code: string, params?: RefusalParams): string;
  tier(code: TierCode): string;
  /**
   * Why the background sync keeps failing, in a few words from a closed list (`syncFailure.*`): what
   * doctor's SYNC_FAILING says. No HQ address and none of HQ's words: those are in the log for IT.
   */
  syncFailure(code: string, params?: RefusalParams): string;
}

/** Codes whose sentence says why a connection or a write failed (`{{why}}`). */
const WHY_CODES = new Set(['HQ_UNREACHABLE', 'PRINTER_UNREACHABLE', 'PRINTER_WRITE_FAILED', 'FILE_WRITE_FAILED']);
const INSTANT_PARAMS = new Set(['validFrom', 'validTo', 'until', 'at']);
// Counts of points a person compares ("需要 12,000，可用 8,500"): grouped by thousands like the screen shows them.
const POINT_PARAMS = new Set(['needed', 'available', 'cap', 'earned', 'points', 'balance']);

export function createTranslator(lang: Lang = DEFAULT_LANG, tz = 'Asia/Shanghai'): Translator {
  const instance = i18next.createInstance();
  void instance.init({
    lng: lang,
    fallbackLng: 'en',
    resources,
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  const t = instance.t.bind(instance) as TFunction;
  const tier = (code: TierCode): string => t(`tier.${code}`);

  function readable(params: RefusalParams): Record<string, string | number> {
    const out: Record<string, string | number> = { ...params };
    for (const [key, value] of Object.entries(params)) {
      if (key.endsWith('Fen') && typeof value === 'number') out[`${key.slice(0, -3)}Yuan`] = formatYuan(value);
      if (INSTANT_PARAMS.has(key) && typeof value === 'number') out[key] = formatInstant(value, tz);
      if (POINT_PARAMS.has(key) && typeof value === 'number') out[key] = value.toLocaleString('en-US');
      if (key === 'tiers' && typeof value === 'string') {
        const sep = lang === 'en' ? ', ' : '、';
        out.tiersText = value.split(',').filter(Boolean).map((c) => tier(c as TierCode)).join(sep);
      }
      if (key === 'kind' && typeof value === 'string') out.kind = t(`opKind.${value}`, { defaultValue: value });
      // A backup's failure is one of a closed list (src/contract/backupFailure.ts): never the raw cause.
      // Why a connection or a write failed: one of a closed list (src/contract/ioReason.ts), never a raw code.
      if (key === 'why') out.why = t(`ioWhy.${isIoReason(value) ? value : 'other'}`);
      // What HQ refused, by its refusal code: one of a closed list (src/sync/protocol.ts), never the code or HQ's English.
      if (key === 'hqCode') out.hqWhy = t(`hqRefusal.${typeof value === 'string' && /^[A-Z_]+$/.test(value) && instance.exists(`hqRefusal.${value}`) ? value : 'UNKNOWN'}`);
      if (key === 'cause') out.cause = t(`backupCause.${backupFailureCauseSchema.safeParse(value).success ? String(value) : 'other'}`);
    }
    return out;
  }

  function inputSentence(params: RefusalParams): string {
    const field = typeof params.field === 'string' ? t(`input.field.${params.field}`, { defaultValue: t('input.field._') }) : '';
    const named = params.line === undefined ? field : t('input.inLine', { field, line: params.line });
    const why = typeof params.why === 'string' ? { why: t(`ioWhy.${isIoReason(params.why) ? params.why : 'other'}`) } : {};
    const sentence = t(`input.${String(params.detailKey)}`, { ...params, field: named, ...why });
    // A command-line flag's value: the flag as typed, then the sentence about the field ("--points：积分须为整数。").
    const flagged = typeof params.flag === 'string' && !String(params.detailKey).startsWith('flag.');
    return flagged ? `${params.flag}${lang === 'en' ? ': ' : '：'}${sentence}` : sentence;
  }

  // A settings file's mistake (src/i18n/configIssues.ts): the setting in words and by its key as
  // written, then what is wrong with it; never the parser's or zod's English.
  function configProblem(params: RefusalParams): string {
    const asked = typeof params.problem === 'string' ? params.problem : 'invalid';
    const problem = instance.exists(`configFile.problem.${asked}`) ? asked : 'invalid';
    const id = typeof params.setting === 'string' ? params.setting : '';
    const written = typeof params.key === 'string' ? params.key : '';
    const nameKey = `configFile.setting.${id.replaceAll('.', '_')}`;
    let setting: string;
    if (id !== '' && instance.exists(nameKey)) setting = written ? t('configFile.named', { name: t(nameKey), written }) : t(nameKey);
    else if (written !== '') setting = t('configFile.unnamed', { written });
    else setting = t(id === '' && problem !== 'unknownKey' && 'problem' in params ? 'configFile.wholeFile' : 'configFile.someSetting');
    return t(`configFile.problem.${problem}`, { line: params.line, column: params.column, limit: params.limit, setting });
  }

  return {
    lang,
    t,
    tier,
    error(code, params = {}) {
      if (code === 'CONFIG_INVALID') return t('error.CONFIG_INVALID', { path: params.path ?? '', problem: configProblem(params) });
      // A refused input carries what was wrong as data (src/i18n/inputIssues.ts): one sentence naming
      // the field in words, in place of the generic "not valid" with a detail.
      if (code === 'INVALID_INPUT' && typeof params.detailKey === 'string' && instance.exists(`input.${params.detailKey}`)) return inputSentence(params);
      const key = `error.${code}`;
      // A failed backup is always said with a cause from the closed list, `other` when none came.
      if (code === 'BACKUP_FAILED' && params.cause === undefined) params = { ...params, cause: 'other' };
      if (WHY_CODES.has(code) && params.why === undefined) params = { ...params, why: 'other' };
      if (code === 'HQ_REFUSED' && params.hqCode === undefined) params = { ...params, hqCode: 'UNKNOWN' };
      // An unexpected error shows the reference IT finds in the log (src/terminal/session/results.ts),
      // said in the sentence's own words; the Chinese sentences carry no other detail (English text).
      const ref = code === 'INTERNAL' ? /^ref ([0-9A-F]{6})$/.exec(String(params.detail ?? '')) : null;
      if (ref) return t('error.INTERNAL_ref', { ref: ref[1] });
      if (!instance.exists(key)) return t('error.INTERNAL', { detail: code });
      return t(key, readable(params));
    },
    syncFailure(code, params = {}) {
      const known = /^[A-Z_]+$/.test(code) && instance.exists(`syncFailure.${code}`) ? code : 'other';
      const words = readable({ why: params.why ?? 'other', hqCode: params.hqCode ?? 'UNKNOWN' });
      return t(`syncFailure.${known}`, { why: words.why, hqWhy: words.hqWhy });
    },
  };
}

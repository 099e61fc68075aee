// zod's own message catalogs for the UI languages: an input the desk refuses is explained in the
// language the clerk reads (zod ships zh-CN and zh-TW translations of every issue kind).
import { locales, type core, type ZodError } from 'zod';
import type { Lang } from '../loyalty/types';

const maps: Record<Lang, () => { localeError: core.$ZodErrorMap }> = { 'zh-CN': locales.zhCN, 'zh-TW': locales.zhTW, en: locales.en };
const cache = new Map<Lang, core.$ZodErrorMap>();

export function zodErrorMap(lang: Lang): core.$ZodErrorMap {
  let map = cache.get(lang);
  if (!map) cache.set(lang, (map = maps[lang]().localeError));
  return map;
}

/** The first few issues of a refused input as one line: the field path, then zod's sentence. */
export function describeZodError(err: ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

// One translator per (language, zone), made once: i18next instances are too slow to build per receipt.
import { createTranslator, type Translator } from '../i18n';
import type { Lang } from '../loyalty/types';

const cache = new Map<string, Translator>();

export function translatorFor(lang: Lang, tz: string): Translator {
  const key = `${lang}|${tz}`;
  let tr = cache.get(key);
  if (!tr) {
    tr = createTranslator(lang, tz);
    cache.set(key, tr);
  }
  return tr;
}

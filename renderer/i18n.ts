// react-i18next over the shared catalog (src/i18n): the same sentences the core uses, zh-CN first.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from '../src/i18n/en';
import { zhCN } from '../src/i18n/zh-CN';
import { zhTW } from '../src/i18n/zh-TW';
import type { Lang, LocalizedText } from '../src/contract/terminalApi';

export const LANGS: Lang[] = ['zh-CN', 'zh-TW', 'en'];

export function initI18n(lang: Lang): typeof i18next {
  void i18next.use(initReactI18next).init({
    lng: lang,
    fallbackLng: 'en',
    resources: { 'zh-CN': { translation: zhCN }, 'zh-TW': { translation: zhTW }, en: { translation: en } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  });
  document.documentElement.lang = lang;
  return i18next;
}

export function pick(text: LocalizedText | null | undefined, lang: Lang): string {
  if (!text) return '';
  return text[lang] || text['zh-CN'] || text.en;
}

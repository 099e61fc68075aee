// What `start` and the build line speak before anything else is known: --lang, else the system's
// language from LC_ALL / LC_MESSAGES / LANG or the runtime's locale, and zh-CN when it is none of
// the three (issue 18 item 13). Generated locale names, so every spelling is covered.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/bench/prng';
import { builtLine, startLang } from '../../src/cli/startLang.mjs';

describe('the start-up language', () => {
  it('takes --lang first, then the system, and zh-CN for any other system language', () => {
    expect(startLang(['start', '--lang', 'en'], { LANG: 'zh_TW.UTF-8' })).toBe('en');
    expect(startLang(['--lang=zh-TW'], {})).toBe('zh-TW');
    expect(startLang([], { LANG: 'C.UTF-8' }, 'en-US')).toBe('zh-CN');
    expect(startLang([], {}, 'en-US')).toBe('en');
    expect(startLang([], { LC_ALL: 'en_GB.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    const rand = mulberry32(13);
    const cases: [string, string][] = [['zh_CN', 'zh-CN'], ['zh_SG', 'zh-CN'], ['zh_TW', 'zh-TW'], ['zh_HK', 'zh-TW'], ['zh-Hant-TW', 'zh-TW'], ['en_US', 'en'], ['en_AU', 'en'], ['fr_FR', 'zh-CN'], ['ja_JP', 'zh-CN'], ['POSIX', 'zh-CN']];
    for (let i = 0; i < 200; i++) {
      const [locale, lang] = cases[Math.floor(rand() * cases.length)]!;
      const spelled = `${locale}${['', '.UTF-8', '.utf8', '@euro'][Math.floor(rand() * 4)]}`;
      const key = ['LC_ALL', 'LC_MESSAGES', 'LANG'][Math.floor(rand() * 3)]!;
      expect(startLang([], { [key]: spelled }, 'en-US'), `${key}=${spelled}`).toBe(lang);
    }
  });

  it('says the build in that language', () => {
    expect(builtLine('zh-CN', 3727)).toBe('loyalty-desk：已构建程序（3.7 秒）。');
    expect(builtLine('en', 3727)).toBe('loyalty-desk: program built (3.7 s).');
  });
});

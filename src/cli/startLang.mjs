// The language of what the command says before it knows any more (the build line at start, `start`'s
// lines when no --lang is given): --lang if given, else the system's (LC_ALL, LC_MESSAGES, LANG, then
// the runtime's locale), and zh-CN when the system's is none of zh-CN, zh-TW and en (issue 18 item 13).
// Plain JavaScript: bin.mjs uses it before anything is built.

/** zh_TW, zh_HK, zh-Hant… → zh-TW; other zh → zh-CN; en… → en; anything else (C, POSIX, fr_FR) → null. */
function fromLocale(locale) {
  const l = String(locale).toLowerCase().replace('_', '-');
  if (/^zh-(tw|hk|mo)\b|^zh-hant\b/.test(l)) return 'zh-TW';
  if (/^zh\b/.test(l)) return 'zh-CN';
  if (/^en\b/.test(l)) return 'en';
  return null;
}

export function startLang(argv = process.argv.slice(2), env = process.env, runtimeLocale = Intl.DateTimeFormat().resolvedOptions().locale) {
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const given = i < 0 ? undefined : argv[i].startsWith('--lang=') ? argv[i].slice(7) : argv[i + 1];
  if (given === 'zh-CN' || given === 'zh-TW' || given === 'en') return given;
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  return fromLocale(fromEnv || runtimeLocale) ?? 'zh-CN';
}

const BUILT = {
  'zh-CN': (s) => `loyalty-desk：已构建程序（${s} 秒）。`,
  'zh-TW': (s) => `loyalty-desk：已建置程式（${s} 秒）。`,
  en: (s) => `loyalty-desk: program built (${s} s).`,
};

/** The line said after the command's own build. */
export function builtLine(lang, ms) {
  return BUILT[lang]((ms / 1000).toFixed(1));
}

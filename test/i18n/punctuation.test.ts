// Chinese sentences use full-width punctuation (？！：，；) — a half-width "?" after 撤销这笔业务 reads as
// a typo to a Chinese clerk. Every zh-CN and zh-TW message is checked: an ASCII ? ! : , ; next to a
// Chinese character (spaces between allowed) fails, naming the key. Half-width punctuation between
// Latin text, digits or placeholders ("12:30", "{{a}}, {{b}}", "http://") is left alone. The check
// itself is tested on generated texts, so it can fail.
import { describe, expect, it } from 'vitest';
import { resources } from '../../src/i18n';
import { mulberry32 } from '../../src/bench/prng';

const HAN = '[\\u3400-\\u9fff\\uf900-\\ufaff\\u3000-\\u303f\\uff00-\\uffef]';
const HALF = '[?!:,;]';
// A half-width mark with a Chinese character (or full-width mark) right before it, or right after it.
const MIXED = new RegExp(`${HAN}\\s*${HALF}|${HALF}\\s*${HAN}`, 'u');

// Addresses keep their own punctuation: "tcp://主机:9100", "::1", "::ffff:…".
const ADDRESS = /[a-z]+:\/\/[^\s、，。）]*|[0-9a-f]*::[0-9a-f:…/]*/giu;

function halfWidthInChinese(text: string): boolean {
  return MIXED.test(text.replace(ADDRESS, 'ADDR'));
}

function strings(obj: object, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : strings(v as object, `${prefix}${k}.`)));
}

describe('punctuation in Chinese messages', () => {
  it.each(['zh-CN', 'zh-TW'] as const)('is full-width in every %s message', (lang) => {
    const bad = strings(resources[lang].translation).filter(([, text]) => halfWidthInChinese(text));
    expect(bad.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('catches a half-width mark inside Chinese and leaves Latin text alone (generated texts)', () => {
    const rnd = mulberry32(18);
    const han = ['撤销', '这笔', '业务', '打印机', '會員', '點數'];
    const latin = ['PIN', '12', 'ABC', '{{name}}', 'http', '¥12.00'];
    const pick = <T,>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    for (let i = 0; i < 500; i++) {
      const mark = pick(['?', '!', ':', ',', ';']);
      const full = { '?': '？', '!': '！', ':': '：', ',': '，', ';': '；' }[mark];
      const space = pick(['', ' ']);
      expect(halfWidthInChinese(`${pick(han)}${space}${mark}${space}${pick(latin)}`)).toBe(true);
      expect(halfWidthInChinese(`${pick(latin)}${space}${mark}${space}${pick(han)}`)).toBe(true);
      expect(halfWidthInChinese(`${pick(han)}${full}${pick(latin)}`)).toBe(false);
      expect(halfWidthInChinese(`${pick(latin)}${mark}${pick(latin)}`)).toBe(false);
    }
  });
});

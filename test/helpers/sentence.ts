// Whether a message shown to a person is a sentence in their language: no schema path or
// identifier ("lines.0", "amountFen"), none of a parser's own wording, no English word inside a
// Chinese sentence (a flag as typed, PIN, App, QR and JSON excepted), no Chinese in English.
import type { Lang } from '../../src/loyalty/types';

const HAN = /[\u3400-\u9fff]/;
// Words a Chinese sentence may carry as they are: the PIN, a flag as typed (--points), an app.
const ALLOWED_LATIN = /--[a-z-]+|\bPIN\b|\bApp\b|\bQR\b|zh-CN|zh-TW|\ben\b|JSON/g;
const ZOD_WORDING = /expected|received|Invalid|Too (big|small)|期望|预期|預期|无效输入|無效輸入|Unrecognized|Unknown option|ambiguous|argument missing/i;
const IDENTIFIER = /\b[a-z]+[A-Z]\w*\b|\b[A-Za-z_]\w*\.\d+\b/;

/** What is wrong with one refusal's message; empty when it is a proper sentence. */
export function sentenceProblems(message: string, lang: Lang): string[] {
  const out: string[] = [];
  if (ZOD_WORDING.test(message)) out.push('parser wording');
  if (IDENTIFIER.test(message.replace(/--[a-z-]+/g, ''))) out.push('an identifier or path');
  if (lang === 'en') {
    if (HAN.test(message)) out.push('Chinese in English');
  } else {
    if (/[A-Za-z]{2,}/.test(message.replace(ALLOWED_LATIN, ''))) out.push('English inside Chinese');
    if (!HAN.test(message)) out.push('no Chinese');
  }
  return out;
}


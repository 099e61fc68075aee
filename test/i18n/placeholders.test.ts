// What a field shows before anything is typed, and how the desk asks for a date, in the UI's words.
// The Z-report's date box showed "YYYY-MM-DD" inside Chinese (a clerk's first day, docs/ui.md) and its
// refusal said the same: a pattern of format letters is no word of zh-CN, zh-TW or en, an example
// date is. Checked here: no message of any catalog writes a date or time as format letters (YYYY,
// MM-DD, HH:mm); every placeholder in renderer/ comes from the catalog or is language-neutral (digits,
// a device path); a Chinese placeholder carries no English word (addresses and sample codes, which
// are typed as they are, excepted). The checks are run on made-up texts too, so they can fail.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTranslator, resources } from '../../src/i18n';
import { LANGS } from '../../src/loyalty/types';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RENDERER = join(REPO_ROOT, 'renderer');

function strings(obj: object, prefix = ''): [string, string][] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : strings(v as object, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : []));
}

/** A date or time written as its format's letters: YYYY-MM-DD, MM-DD, YYYY/MM, HH:mm. */
const FORMAT_LETTERS = /(?<![A-Za-z])(?:Y{2,4}|M{2}|D{2}|H{2})(?:[-/.:](?:Y{2,4}|M{2}|D{2}|H{2}|m{2}|s{2}))+(?![A-Za-z])/u;

/** Written as typed whatever the language: addresses (tcp://…, serial:/dev/…, https://…), sample codes (ABCD-EFGH), a PIN. */
const TYPED_AS_IS = /[a-z]+:\/?\/?[^\s、，。）]*|\b[A-Z0-9]{4}(?:-[A-Z0-9]{4})+\b|\bPIN\b/gu;
const HAN = /[\u3400-\u9fff]/u;

function englishInChinese(text: string): boolean {
  return HAN.test(text) && /[A-Za-z]{2,}/u.test(text.replace(TYPED_AS_IS, ''));
}

/** Every placeholder of renderer/: a literal as written, or the catalog key it is looked up by. */
function placeholders(): { where: string; literal?: string; key?: string }[] {
  const out: { where: string; literal?: string; key?: string }[] = [];
  for (const file of sources(RENDERER)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(REPO_ROOT, file);
    for (const m of text.matchAll(/placeholder(?:=|:\s*)(?:"([^"]*)"|\{?\s*'([^']*)'|\{?\s*t\('([^']+)'[,)])/gu)) {
      if (m[3] !== undefined) out.push({ where, key: m[3] });
      else out.push({ where, literal: m[1] ?? m[2] ?? '' });
    }
  }
  return out;
}

/** Language-neutral: no letters but those of a device path (/dev/ttyACM0). */
const neutral = (literal: string) => /^\/dev\/\w+$/u.test(literal) || !/[A-Za-z]/u.test(literal);

describe('placeholders and dates in the UI language', () => {
  it.each(LANGS)('no %s message writes a date as format letters', (lang) => {
    const bad = strings(resources[lang].translation).filter(([, text]) => FORMAT_LETTERS.test(text));
    expect(bad.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('every placeholder in renderer/ comes from the catalog or is language-neutral', () => {
    const found = placeholders();
    // The scan reads the forms it should: the scan screen's card field and the devices tab's port.
    expect(found.map((p) => p.key ?? p.literal)).toEqual(expect.arrayContaining(['ui.scan.cardPlaceholder', '/dev/ttyACM0']));
    expect(found.filter((p) => p.literal !== undefined && !neutral(p.literal)).map((p) => `${p.where}: "${p.literal}"`)).toEqual([]);
  });

  it.each(['zh-CN', 'zh-TW'] as const)('every catalog placeholder reads as %s, without English inside', (lang) => {
    const tr = createTranslator(lang);
    const keys = [...new Set(placeholders().flatMap((p) => (p.key ? [p.key] : [])))];
    expect(keys.length).toBeGreaterThan(5);
    const bad = keys.map((key) => [key, tr.t(key)] as const).filter(([key, text]) => text === key || englishInChinese(text) || FORMAT_LETTERS.test(text));
    expect(bad.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  it('the checks catch what they are for (made-up texts)', () => {
    for (const yes of ['YYYY-MM-DD', '请按 YYYY-MM-DD 填写', 'MM-DD, e.g. 03-08', '时间 HH:mm', 'YYYY/MM']) expect(FORMAT_LETTERS.test(yes), yes).toBe(true);
    for (const no of ['例如 2026-12-07', 'e.g. 2026-12-07', 'MMS', 'ADD-ON', '月-日，例如 03-08', 'DDL']) expect(FORMAT_LETTERS.test(no), no).toBe(false);
    for (const yes of ['卡号 or 手机号', '例如 hello', '请输入 name']) expect(englishInChinese(yes), yes).toBe(true);
    for (const no of ['例如 tcp://192.168.1.50:9100、serial:/dev/ttyUSB0?baud=115200', 'ABCD-EFGH-JKLM', '店长 PIN', '如 258 或 258.50', 'https://hq.example.com']) expect(englishInChinese(no), no).toBe(false);
    expect(neutral('YYYY-MM-DD')).toBe(false);
    expect(neutral('192.168.1.50')).toBe(true);
  });
});

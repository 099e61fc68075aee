// Keystroke timings as a browser reports them (key, ms since the previous keydown), written down
// from a USB wedge scanner (Honeywell-style, USB HID, ~4–15 ms a key, Shift pressed for capitals)
// and from people at a desk keyboard.
import { SCANNER_GAPS } from '../../src/bench/wedgeScanner';

export type Keystroke = [key: string, gapMs: number];

/** The keydowns a wedge scanner sends for `text` then Enter: Shift before every capital. */
export function scannerBurst(text: string, firstGap = 900): Keystroke[] {
  const out: Keystroke[] = [];
  let i = 0;
  const gap = () => SCANNER_GAPS[i++ % SCANNER_GAPS.length]!;
  for (const [n, ch] of [...text].entries()) {
    if (/[A-Z]/.test(ch)) out.push(['Shift', n === 0 ? firstGap : gap()], [ch, 1]);
    else out.push([ch, n === 0 ? firstGap : gap()]);
  }
  out.push(['Enter', gap()]);
  return out;
}

/** A clerk typing a card number into the search field, reading it off a card. */
export const CLERK_TYPES_CARD_NO: Keystroke[] = [
  ['8', 1200], ['8', 212], ['6', 187], ['0', 243], ['0', 301], ['0', 156], ['0', 172], ['0', 190],
  ['0', 264], ['0', 148], ['0', 139], ['0', 201], ['0', 188], ['0', 233], ['1', 290], ['0', 176], ['Enter', 410],
];

/** A fast typist (≈ 90 wpm) with key rollover: several pairs closer than 35 ms. */
export const FAST_TYPIST: Keystroke[] = [
  ['S', 800], ['h', 96], ['e', 31], [' ', 88], ['w', 104], ['a', 27], ['n', 64], ['t', 22], ['s', 118],
  [' ', 70], ['g', 95], ['i', 29], ['f', 81], ['t', 33], [' ', 90], ['w', 120], ['r', 62], ['a', 18],
  ['p', 75], ['Backspace', 240], ['p', 130], ['i', 34], ['n', 30], ['g', 25], ['Enter', 160],
];

/** A clerk typing a note, a scanner read in the middle of it, the clerk carrying on. */
export function burstIntoField(code: string): Keystroke[] {
  return [
    ['n', 500], ['o', 140], ['t', 160], ['e', 120], [':', 210], [' ', 150],
    ...scannerBurst(code, 700),
    ['o', 1500], ['k', 130],
  ];
}

/** Digits for a PIN pad, typed quickly by someone who knows it, then Enter. */
export const QUICK_PIN: Keystroke[] = [['1', 600], ['2', 40], ['3', 33], ['4', 45], ['Enter', 60]];

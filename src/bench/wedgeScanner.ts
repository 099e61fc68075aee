// The keyboard-wedge scanner of the browser walks and of the UI benches: the one place a code is
// typed into Chromium as a scanner types it. playwright's keyboard.type sends one key, waits for the page to take it, then sends the next,
// and Chromium stamps each key with the time it got the command: on a loaded 2-core box the keys of a
// "burst" came 100 ms and more apart, the page (renderer/scan/wedgeDetector.ts, which judges by
// KeyboardEvent.timeStamp) rightly took them for a person, and the scan never happened. A scanner's
// keys carry the times it pressed them, however late the machine delivers them: so each key goes out
// over CDP's Input.dispatchKeyEvent with the `timestamp` a USB scanner would give it (its recorded
// gaps, SCANNER_GAPS below), Shift pressed for capitals, the burst ending as it is sent (a
// scan that has just happened), all sent at once and then awaited. A busy machine can make the page
// get them late, but not make them look typed.
import type { CDPSession, Page } from 'playwright-core';

/** Gaps (ms) a USB wedge scanner left between keydowns, in the order they came (test/scan/wedgeFixtures.ts replays them too). */
export const SCANNER_GAPS = [4, 6, 3, 5, 8, 4, 12, 5, 3, 9, 6, 15, 4, 7, 5, 4, 11, 3, 6, 8, 5, 13, 4, 6, 3];

interface KeyDescription {
  key: string;
  code: string;
  keyCode: number;
  text: string;
  shift: boolean;
}

/** US layout, as a wedge scanner is set up: [unshifted, shifted, code, Windows virtual key code]. */
const SYMBOL_KEYS: readonly [string, string, string, number][] = [
  ['`', '~', 'Backquote', 192], ['-', '_', 'Minus', 189], ['=', '+', 'Equal', 187], ['[', '{', 'BracketLeft', 219],
  [']', '}', 'BracketRight', 221], ['\\', '|', 'Backslash', 220], [';', ':', 'Semicolon', 186], ["'", '"', 'Quote', 222],
  [',', '<', 'Comma', 188], ['.', '>', 'Period', 190], ['/', '?', 'Slash', 191], [' ', ' ', 'Space', 32],
];
const SHIFTED_DIGITS = ')!@#$%^&*(';

function describeKey(ch: string): KeyDescription {
  if (/^[a-z]$/i.test(ch)) {
    const upper = ch.toUpperCase();
    return { key: ch, code: `Key${upper}`, keyCode: upper.charCodeAt(0), text: ch, shift: ch === upper };
  }
  if (/^[0-9]$/.test(ch)) return { key: ch, code: `Digit${ch}`, keyCode: ch.charCodeAt(0), text: ch, shift: false };
  const shiftedDigit = SHIFTED_DIGITS.indexOf(ch);
  if (shiftedDigit >= 0) return { key: ch, code: `Digit${shiftedDigit}`, keyCode: 48 + shiftedDigit, text: ch, shift: true };
  for (const [plain, shifted, code, keyCode] of SYMBOL_KEYS) {
    if (ch === plain) return { key: ch, code, keyCode, text: ch, shift: false };
    if (ch === shifted) return { key: ch, code, keyCode, text: ch, shift: true };
  }
  throw new Error(`a wedge scanner types printable ASCII only, not ${JSON.stringify(ch)}`);
}

const SHIFT = { key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, location: 1 };
const SHIFT_MASK = 8;
const ENTER: KeyDescription = { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r', shift: false };

const sessions = new WeakMap<Page, Promise<CDPSession>>();
function cdp(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) sessions.set(page, (session = page.context().newCDPSession(page)));
  return session;
}

type KeyEvent = Record<string, unknown> & { type: 'keyDown' | 'rawKeyDown' | 'keyUp'; timestamp: number };

/** The key events a USB wedge scanner sends for `code` then Enter, timed from `startMs` (epoch ms). */
function scannerKeyEvents(code: string, startMs: number): KeyEvent[] {
  const events: KeyEvent[] = [];
  let at = startMs;
  let gaps = 0;
  const stamp = () => at / 1000; // CDP: seconds since the epoch
  for (const d of [...[...code].map(describeKey), ENTER]) {
    if (events.length > 0) at += SCANNER_GAPS[gaps++ % SCANNER_GAPS.length]!;
    const modifiers = d.shift ? SHIFT_MASK : 0;
    if (d.shift) {
      events.push({ type: 'rawKeyDown', ...SHIFT, modifiers, timestamp: stamp() });
      at += 1;
    }
    const key = { key: d.key, code: d.code, windowsVirtualKeyCode: d.keyCode, modifiers };
    events.push({ type: 'keyDown', ...key, text: d.text, unmodifiedText: d.text, timestamp: stamp() });
    at += 1;
    events.push({ type: 'keyUp', ...key, timestamp: stamp() });
    if (d.shift) events.push({ type: 'keyUp', ...SHIFT, modifiers: 0, timestamp: stamp() });
  }
  return events;
}

/** A keyboard-wedge scanner reads `code`: its keystrokes, then Enter, into whatever has focus. */
export async function scanWedge(page: Page, code: string): Promise<void> {
  const session = await cdp(page);
  const events = scannerKeyEvents(code, 0);
  // The scanner sent its Enter just now: no keystroke is stamped later than the page could get it.
  const start = Date.now() - events.at(-1)!.timestamp * 1000;
  // Chromium handles one target's commands in order: the page gets the keys in order.
  await Promise.all(scannerKeyEvents(code, start).map((e) => session.send('Input.dispatchKeyEvent', e)));
}

/**
 * scanWedge on a page whose clock is playwright's (page.clock.install): the clock held still while
 * the keys go in. Playwright's fake clock replaces Event.timeStamp with when the page read the key,
 * not when it was pressed, so a page stalled mid-burst would see the scanner's keys as typing (the
 * kiosk walk failed CI so); held still, every key has the same time, as close as a scanner's. On
 * the real clock, scanWedge itself.
 */
export async function scanWedgeClockHeld(page: Page, code: string): Promise<void> {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1000);
  // Each key is dispatched and handled before its command answers: the Enter has been read here.
  await scanWedge(page, code);
  await page.clock.resume();
}

// Keyboard-wedge scanners type a code as a burst of keystrokes a few ms apart, ending in Enter.
// People type 80–300 ms apart. Every printable keystroke is held back for up to maxInterKeyMs: if
// the next one comes sooner it may be a burst, otherwise the held text is given back to whatever
// had focus (typing lags by at most maxInterKeyMs, which nobody notices). Once a burst has started
// (BURST_STARTED keystrokes each within maxInterKeyMs: no person types like that), a busy machine may
// deliver the rest late: slower keystrokes up to Enter still belong to it, within burstGapMs (issue
// 18: on a loaded 2-core machine bursts arrived cut short). Two clocks: whether keystrokes belong
// together is judged by when they were pressed (the event's time), but "nothing followed in time" by
// how long the page has waited since the last one reached it — a busy machine may hand the page a
// keystroke long after it was pressed, and the next one is then just as late, not missing. Nor
// evenly late: a keystroke that reached the page L ms after it was pressed says the machine is
// behind, and the next may come up to L later still (seen: the first key of a burst alone, 0.3–1.6 s
// late, the rest 70 ms after it: given back as typing, it cut the code's head off). So the wait is
// maxInterKeyMs plus how late the last keystroke was, capped at burstGapMs; on a machine that keeps
// up (L ≈ 0) typing lags by maxInterKeyMs as before.
// A burst can still be cut (the page stalled longer than that): its keys go back as typing, and the
// rest, too short to be a code, would end in an Enter that presses whatever has focus — a dialog's
// confirm button (points exchanged by a scan). An Enter while the scanner is still typing (its burst
// was given back, and it and each key since were pressed within the gap of the one before) is
// swallowed: no scan, no press.
// Pure and DOM-free: attachWedge puts it on a window.

export interface WedgeOptions {
  /** Keystrokes closer than this may belong to a scanner burst (config.scanner.wedge.maxInterKeyMs). */
  maxInterKeyMs: number;
  /** A burst shorter than this is typing (config.scanner.wedge.minLength). */
  minLength: number;
  /** A burst longer than this is not a code; it is given back as typing. */
  maxLength?: number;
  /** Once a burst has started, the longest gap that still continues it (default max(8 × maxInterKeyMs, 250)). */
  burstGapMs?: number;
}

/** Keystrokes in a row, each within maxInterKeyMs, after which the burst is a scanner's. */
const BURST_STARTED = 4;

export interface WedgeKey {
  key: string;
  /** Event time in ms (KeyboardEvent.timeStamp): when the key was pressed. */
  time: number;
  /** When the page got the key, on the clock expire() and pendingFor() are given (the event time if not said). */
  arrivedAt?: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  /** An IME is composing: the key is not ours to take. */
  isComposing?: boolean;
}

/** What to do with one keystroke. `release` is held text to give back to the page first ('' if none). */
export type WedgeDecision =
  /** Take the key away from the page for now (preventDefault + stop): it may be part of a burst. */
  | { action: 'hold'; release: string }
  /** Let the key through. */
  | { action: 'pass'; release: string }
  /** The burst and its Enter are a scan: take the Enter away too. */
  | { action: 'scan'; release: ''; code: string }
  /** The Enter of a burst that was cut and given back: take it away, and scan nothing. */
  | { action: 'swallow'; release: string };

const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph', 'NumLock', 'Fn']);

export class WedgeDetector {
  private held = '';
  private lastAt = -Infinity;
  /** When the last keystroke of the burst reached the page: silence is counted from here. */
  private lastArrivedAt = -Infinity;
  /** How long after it was pressed the last keystroke reached the page. */
  private lastLateMs = 0;
  private overlong = false;
  /** BURST_STARTED fast keystrokes in a row were held: a scanner's, however late the rest comes. */
  private started = false;
  /** Every keystroke held so far came within maxInterKeyMs of the one before. */
  private quick = true;
  /**
   * A quick run given back for want of the next key (a cut burst, maybe): keys pressed up to `until`
   * (moved on by `step` with each key that close) are still the scanner's; `length` is the run given
   * back, `keys` how many of the scanner's keys came since.
   */
  private cut: { until: number; step: number; length: number; keys: number } | null = null;
  private readonly maxLength: number;
  private readonly burstGapMs: number;

  constructor(private readonly options: WedgeOptions) {
    this.maxLength = options.maxLength ?? 4096;
    this.burstGapMs = options.burstGapMs ?? Math.max(8 * options.maxInterKeyMs, 250);
  }

  /** The gap that still continues what is held now. */
  private gap(): number {
    return this.started ? this.burstGapMs : this.options.maxInterKeyMs;
  }

  /** How long the page waits, from the last keystroke's arrival, for the next: the gap, plus how late that keystroke came (capped). */
  private patience(): number {
    return this.gap() + Math.min(this.lastLateMs, this.burstGapMs);
  }

  /** Held text to give back when nothing followed in time (call it from a timer). */
  expire(now: number): string {
    if (this.held === '' || now - this.silentSince() <= this.patience()) return '';
    // Given back because the page heard nothing in time. A person's next key is pressed after that
    // wait (it is at least the gap), a stalled scanner's was pressed before it: only a scanner's
    // keys fall inside this window. (An Enter or a slow key that ends a run arms nothing: the run
    // ended, nothing was cut.)
    if (this.quick && this.held.length >= 2) this.cut = { until: this.lastAt + this.gap(), step: this.gap(), length: this.held.length, keys: 0 };
    return this.release();
  }

  /** How long until expire() has something to give back, or null when nothing is held. */
  pendingFor(now: number): number | null {
    return this.held === '' ? null : Math.max(0, this.patience() + 1 - (now - this.silentSince()));
  }

  /** The page has heard nothing since the last keystroke arrived (or was pressed, if that is later). */
  private silentSince(): number {
    return Math.max(this.lastAt, this.lastArrivedAt);
  }

  key(e: WedgeKey): WedgeDecision {
    // Scanners press Shift for capitals: modifiers neither end nor extend a burst.
    if (MODIFIERS.has(e.key)) {
      // Inside a started burst a late Shift is the scanner's too: the next key's gap counts from it.
      if (this.started && e.time - this.lastAt <= this.burstGapMs) {
        this.arrived(e);
      }
      return { action: this.held === '' ? 'pass' : 'hold', release: '' };
    }
    const cut = this.cut !== null && e.time <= this.cut.until ? this.cut : null;
    this.cut = cut;
    if (cut) cut.until = e.time + cut.step;
    const gap = e.time - this.lastAt;
    const fast = gap <= this.gap();
    const printable = e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey && !e.isComposing;

    if (e.key === 'Enter' && fast && !this.overlong && this.held.length >= this.options.minLength) {
      const code = this.held;
      this.reset();
      return { action: 'scan', release: '', code };
    }
    // The Enter right after the give-back, nothing between: a whole code given back (cut only before
    // its Enter) is the scanner's; a run shorter than a code (a PIN typed fast, its Enter late on a busy
    // machine) is typing, and its Enter is the person's.
    if (e.key === 'Enter' && cut && (cut.keys > 0 || cut.length >= this.options.minLength)) {
      this.cut = null;
      return { action: 'swallow', release: this.release() };
    }
    if (cut) cut.keys++;
    if (!printable) return { action: 'pass', release: this.release() };
    // A slow keystroke: what was held is typing, given back before this key, which starts anew.
    const release = fast ? '' : this.release();
    if (this.held.length >= this.maxLength) this.overlong = true;
    else this.held += e.key;
    if (this.held.length === 1) this.quick = true;
    else if (gap > this.options.maxInterKeyMs) this.quick = false;
    if (this.quick && this.held.length >= BURST_STARTED) this.started = true;
    this.arrived(e);
    return { action: 'hold', release };
  }

  private arrived(e: WedgeKey): void {
    this.lastAt = e.time;
    this.lastArrivedAt = e.arrivedAt ?? e.time;
    this.lastLateMs = Math.max(0, this.lastArrivedAt - e.time);
  }

  private release(): string {
    const text = this.held;
    this.reset();
    return text;
  }

  private reset(): void {
    this.held = '';
    this.overlong = false;
    this.started = false;
    this.quick = true;
    this.lastAt = -Infinity;
    this.lastArrivedAt = -Infinity;
    this.lastLateMs = 0;
  }
}

type TextField = HTMLInputElement | HTMLTextAreaElement;
const TEXT_INPUTS = /^(text|search|tel|url|email|password|number)$/;

function textField(el: Element | null): TextField | null {
  if (el?.tagName === 'TEXTAREA') return el as HTMLTextAreaElement;
  if (el?.tagName === 'INPUT' && TEXT_INPUTS.test((el as HTMLInputElement).type)) return el as HTMLInputElement;
  return null;
}

function isEditable(el: Element | null): boolean {
  const field = textField(el);
  if (field) return !field.readOnly && !field.disabled;
  return (el as HTMLElement | null)?.isContentEditable === true;
}

/** Puts typing that was held back where it would have gone, as if it had been typed. */
function giveBack(win: Window, text: string): void {
  if (text === '') return;
  const el = win.document.activeElement;
  if (isEditable(el)) {
    // execCommand keeps undo and fires the input events React listens to.
    if (win.document.execCommand('insertText', false, text)) return;
    const field = textField(el);
    if (field) {
      try {
        field.setRangeText(text, field.selectionStart ?? field.value.length, field.selectionEnd ?? field.value.length, 'end');
      } catch {
        field.value += text; // <input type=number> has no selection API
      }
      field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    }
    return;
  }
  // Nothing editable has focus: page shortcuts (a PIN pad, say) still get the keys, as synthetic ones.
  const target = el ?? win.document.body;
  for (const key of text) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
}

/**
 * Watches every keystroke of the window, before any field sees it: a burst is handed to onScan and
 * never lands in a focused input; anything else reaches the page as typed. Returns a detach function.
 */
export function attachWedge(win: Window, detector: WedgeDetector, onScan: (code: string) => void): () => void {
  let timer: number | undefined;
  const schedule = () => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
    const wait = detector.pendingFor(win.performance.now());
    if (wait !== null) timer = win.setTimeout(() => {
      timer = undefined;
      giveBack(win, detector.expire(win.performance.now()));
      schedule();
    }, wait);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!e.isTrusted) return; // our own give-back keys
    const d = detector.key({ key: e.key, time: e.timeStamp, arrivedAt: win.performance.now(), ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, isComposing: e.isComposing });
    giveBack(win, d.release);
    if (d.action !== 'pass') {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
    if (d.action === 'scan') onScan(d.code);
    schedule();
  };
  const onBlur = () => giveBack(win, detector.expire(Infinity));
  win.addEventListener('keydown', onKeyDown, { capture: true });
  win.addEventListener('blur', onBlur);
  return () => {
    win.removeEventListener('keydown', onKeyDown, { capture: true });
    win.removeEventListener('blur', onBlur);
    if (timer !== undefined) win.clearTimeout(timer);
  };
}

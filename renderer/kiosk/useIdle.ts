// The kiosk's privacy clock: `closeMs` after the last touch (or scan) `onIdle` runs, and for the last
// `warnMs` of it the member is asked whether they are still there. The warning sits inside the
// configured time, not after it, so a member's page is never on screen longer than the kiosk's
// owner set. Any touch, the Stay button's included, starts the clock again.
import { useCallback, useEffect, useRef, useState } from 'react';

const EVENTS = ['pointerdown', 'touchstart', 'wheel', 'scroll', 'keydown'] as const;

/** WCAG 2.2.1 ("timing adjustable") asks for 20 s at least to keep a session with one tap. */
const FULL_WARNING_MS = 20_000;
/** A page is first shown this long undisturbed before the warning takes a shorter idle time's share. */
const QUIET_MS = 10_000;
/** A short idle time still warns this long (or for half of it, when it is shorter still). */
const MIN_WARNING_MS = 5_000;

/**
 * How long before a member's page closes the "still there?" warning shows: 20 s when the idle time
 * leaves room for it and for a quiet first look; a short idle time shortens the warning (5 s at
 * least, half the idle time below 10 s) rather than keep the page open past the configured time.
 */
export function timeoutWarningMs(idleMs: number): number {
  return Math.min(FULL_WARNING_MS, Math.max(Math.min(MIN_WARNING_MS, idleMs / 2), idleMs - QUIET_MS));
}

export interface Idle {
  /** Whole seconds left while the warning shows, else null. */
  warnLeft: number | null;
  /** Keeps the session: the clock starts again from now. */
  stay(): void;
}

export function useIdle(active: boolean, closeMs: number, onIdle: () => void, resetKey: unknown, warnMs = 0): Idle {
  const [warnLeft, setWarnLeft] = useState<number | null>(null);
  const lastTouch = useRef(performance.now());
  const idle = useRef(onIdle);
  idle.current = onIdle;

  const stay = useCallback(() => {
    lastTouch.current = performance.now();
    setWarnLeft(null);
  }, []);

  useEffect(() => {
    stay();
    if (!active) return;
    for (const e of EVENTS) window.addEventListener(e, stay, { capture: true, passive: true });
    const tick = window.setInterval(() => {
      const elapsed = performance.now() - lastTouch.current;
      if (elapsed >= closeMs) {
        window.clearInterval(tick);
        idle.current();
      } else setWarnLeft(elapsed >= closeMs - warnMs ? Math.ceil((closeMs - elapsed) / 1000) : null);
    }, 250);
    return () => {
      window.clearInterval(tick);
      for (const e of EVENTS) window.removeEventListener(e, stay, { capture: true });
    };
  }, [active, closeMs, warnMs, resetKey, stay]);

  return { warnLeft, stay };
}

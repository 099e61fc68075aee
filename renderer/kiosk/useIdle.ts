// The kiosk's privacy clock: after `idleMs` without a touch (or a scan) the member is asked whether
// they are still there, and `warnMs` later (at least 20 s on a member's page: WCAG 2.2.1, "timing
// adjustable") `onIdle` runs. Any touch, the Stay button's included, starts the clock again.
import { useCallback, useEffect, useRef, useState } from 'react';

const EVENTS = ['pointerdown', 'touchstart', 'wheel', 'scroll', 'keydown'] as const;

export interface Idle {
  /** Whole seconds left while the warning shows, else null. */
  warnLeft: number | null;
  /** Keeps the session: the clock starts again from now. */
  stay(): void;
}

export function useIdle(active: boolean, idleMs: number, onIdle: () => void, resetKey: unknown, warnMs = 0): Idle {
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
      if (elapsed >= idleMs + warnMs) {
        window.clearInterval(tick);
        idle.current();
      } else setWarnLeft(elapsed >= idleMs ? Math.ceil((idleMs + warnMs - elapsed) / 1000) : null);
    }, 250);
    return () => {
      window.clearInterval(tick);
      for (const e of EVENTS) window.removeEventListener(e, stay, { capture: true });
    };
  }, [active, idleMs, warnMs, resetKey, stay]);

  return { warnLeft, stay };
}

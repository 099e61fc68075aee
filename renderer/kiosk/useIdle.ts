// The kiosk's privacy clock: after `idleMs` without a touch (or a scan), `onIdle` runs. `left` counts
// down the last seconds so the member can keep the page with a touch.
import { useEffect, useRef, useState } from 'react';

const EVENTS = ['pointerdown', 'touchstart', 'wheel', 'scroll', 'keydown'] as const;
const WARN_MS = 10_000;

export function useIdle(active: boolean, idleMs: number, onIdle: () => void, resetKey: unknown): number | null {
  const [left, setLeft] = useState<number | null>(null);
  const lastTouch = useRef(performance.now());
  const idle = useRef(onIdle);
  idle.current = onIdle;

  useEffect(() => {
    lastTouch.current = performance.now();
    setLeft(null);
    if (!active) return;
    const touched = () => {
      lastTouch.current = performance.now();
      setLeft(null);
    };
    for (const e of EVENTS) window.addEventListener(e, touched, { capture: true, passive: true });
    const tick = window.setInterval(() => {
      const remaining = idleMs - (performance.now() - lastTouch.current);
      if (remaining <= 0) {
        window.clearInterval(tick);
        idle.current();
      } else setLeft(remaining <= Math.min(WARN_MS, idleMs / 2) ? Math.ceil(remaining / 1000) : null);
    }, Math.min(250, Math.max(50, idleMs / 10)));
    return () => {
      window.clearInterval(tick);
      for (const e of EVENTS) window.removeEventListener(e, touched, { capture: true });
    };
  }, [active, idleMs, resetKey]);

  return left;
}

// A list that scrolls inside its own panel (the screen around it stays put) and says so: while part of
// it is below the panel's edge, a cue under the panel reads "more below". Scrollbars alone are no cue —
// touch screens and some systems hide them.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export function ScrollPanel(props: { className: string; children: ReactNode; as?: 'div' | 'ul'; testId?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement | null>(null);
  const [more, setMore] = useState(false);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setMore(el.scrollTop + el.clientHeight < el.scrollHeight - 2);
    measure();
    const resized = new ResizeObserver(measure);
    resized.observe(el);
    for (const child of el.children) resized.observe(child);
    const changed = new MutationObserver(measure);
    changed.observe(el, { childList: true, subtree: true, characterData: true });
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      resized.disconnect();
      changed.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, []);

  const Tag = props.as ?? 'div';
  return (
    <>
      <Tag
        ref={(el: HTMLElement | null) => {
          ref.current = el;
        }}
        className={`scroll-panel ${props.className}`}
        data-scroll-panel=""
        data-testid={props.testId}
        tabIndex={0}
      >
        {props.children}
      </Tag>
      {more && (
        <div className="scroll-cue" data-testid="scroll-cue" aria-hidden="true">
          ↓ {t('ui.common.scrollMore')}
        </div>
      )}
    </>
  );
}

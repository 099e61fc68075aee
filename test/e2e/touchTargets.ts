// Touch targets of at least 44×44 CSS px (issue 18; WCAG 2.5.5's size, stricter than 2.5.8's 24 px):
// every visible button, link, field, select and tab on the screen as drawn now. A checkbox or radio
// counts with its label (the label is what a finger hits). Exceptions, each with its reason:
// - a link inside a sentence (WCAG 2.5.8's inline exception: its size is set by the line of text);
// - an element the page hides from touch (pointer-events: none, inert, aria-hidden) or draws 0 px wide.
import type { Page } from 'playwright-core';

export const MIN_TARGET_PX = 44;

/** One line per target smaller than 44×44 px: its name and its size. Empty when every target is big enough. */
export async function smallTargets(page: Page, where: string): Promise<string[]> {
  const found = await page.evaluate((min) => {
    const out: string[] = [];
    const selector = 'button, a[href], input:not([type="hidden"]), select, textarea, [role="button"], [role="tab"], [role="link"], [role="checkbox"], [role="radio"], summary';
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const cs = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2 || cs.visibility === 'hidden' || cs.display === 'none' || cs.pointerEvents === 'none') continue;
      if (el.closest('[inert], [aria-hidden="true"]')) continue;
      // Inline link in running text (WCAG 2.5.8 exception "inline").
      if (el.tagName === 'A' && cs.display === 'inline' && el.parentElement && (el.parentElement.textContent ?? '').trim().length > (el.textContent ?? '').trim().length + 10) continue;
      let box = r;
      const input = el as HTMLInputElement;
      if (el.tagName === 'INPUT' && (input.type === 'checkbox' || input.type === 'radio')) {
        const label = el.closest('label') ?? (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null);
        if (label) box = label.getBoundingClientRect();
      }
      if (box.width + 0.5 < min || box.height + 0.5 < min) {
        const tid = el.dataset.testid ? `[${el.dataset.testid}]` : '';
        const text = (el.textContent || el.getAttribute('aria-label') || input.value || '').trim().slice(0, 24);
        out.push(`${el.tagName.toLowerCase()}${tid} "${text}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return out;
  }, MIN_TARGET_PX);
  return found.map((f) => `${where}: ${f}`);
}

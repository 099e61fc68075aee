// What is wrong with the desk as it is drawn now (test/e2e/layout.test.ts and the issue-18 walks):
// bars one line, every button inside the window, clear of the status bar and hit at its centre, a
// dialog's title and actions on screen, nothing below the fold of a panel that shows no cue.
import type { Page } from 'playwright-core';
import type { Lang } from '../../src/loyalty/types';

/** The two screens every walk is checked at: the smallest a store desk has, and the common laptop. */
export const VIEWPORTS = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
] as const;

/** The desk's languages, the default first. */
export const LANGS: Lang[] = ['zh-CN', 'zh-TW', 'en'];

/** Each of those screens in each of the desk's languages. */
export const LANG_WALKS = VIEWPORTS.flatMap((vp) => LANGS.map((lang) => ({ ...vp, lang })));

/** What is wrong with the screen as it is drawn now; an empty list when nothing is. */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${(el as HTMLElement).dataset.testid ? `[${(el as HTMLElement).dataset.testid}]` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    };
    const inside = (r: DOMRect, box: { left: number; top: number; right: number; bottom: number }) =>
      r.left >= box.left - 0.5 && r.top >= box.top - 0.5 && r.right <= box.right + 0.5 && r.bottom <= box.bottom + 0.5;
    const viewport = { left: 0, top: 0, right: vw, bottom: vh };

    // The bars: each one line, the status bar at the bottom of the window.
    const bar = document.querySelector('[data-testid="statusbar"]');
    if (!bar) return ['no status bar'];
    const barBox = bar.getBoundingClientRect();
    if (Math.abs(barBox.bottom - vh) > 1) problems.push(`status bar ends at ${barBox.bottom}, not at the window's bottom ${vh}`);
    // Two lines at most: the pills wrap rather than being cut (a cut pill hides what it says).
    if (barBox.height > 84) problems.push(`status bar is ${Math.round(barBox.height)} px tall (more than two lines)`);
    const tops = new Set([...bar.children].filter(shown).map((c) => Math.round(c.getBoundingClientRect().top)));
    if (tops.size > 2) problems.push(`status bar items on ${tops.size} lines`);
    for (const pill of [...bar.children].filter(shown)) {
      const el = pill as HTMLElement;
      if (el.scrollWidth > el.clientWidth + 1 && !(el.classList.contains('store') && el.title)) problems.push(`status bar item ${name(el)} is cut`);
    }
    const top = document.querySelector('.topbar');
    if (top) {
      for (const b of top.querySelectorAll('button')) {
        if (shown(b) && b.getBoundingClientRect().height > 50) problems.push(`top bar ${name(b)} wraps (${Math.round(b.getBoundingClientRect().height)} px)`);
      }
      if (top.getBoundingClientRect().height > 72) problems.push(`top bar is ${Math.round(top.getBoundingClientRect().height)} px tall`);
    }

    // With a dialog up only the dialog can be tapped; otherwise the screen.
    const dialog = document.querySelector('[role="dialog"]');
    const scope: Element = dialog ?? document.body;
    if (dialog) {
      const box = dialog.getBoundingClientRect();
      if (!inside(box, viewport)) problems.push(`dialog ${name(dialog)} reaches outside the window (${Math.round(box.top)}..${Math.round(box.bottom)})`);
      const title = dialog.querySelector('h2');
      if (!title || !inside(title.getBoundingClientRect(), viewport)) problems.push('dialog title is off screen');
    }
    // A panel may scroll its own list (data-scroll-panel) if it says there is more; the screen
    // itself must not hide anything below the fold.
    const main = document.querySelector('main[data-screen]');
    if (main && main.scrollHeight > main.clientHeight + 1) problems.push(`screen ${name(main).slice(0, 40)} hides ${main.scrollHeight - main.clientHeight} px below the fold`);
    for (const panel of scope.querySelectorAll('[data-scroll-panel]')) {
      const more = panel.scrollHeight > panel.clientHeight + 1;
      const cue = panel.parentElement?.querySelector('[data-testid="scroll-cue"]');
      if (more && !(cue && shown(cue))) problems.push(`panel ${name(panel).slice(0, 40)} scrolls without a cue`);
    }

    for (const b of scope.querySelectorAll('button')) {
      if (!shown(b)) continue;
      const r = b.getBoundingClientRect();
      const panel = b.closest('[data-scroll-panel]');
      // Scrolled out of its own list (which shows its cue): not on screen yet, and not expected to be.
      if (panel && !inside(r, panel.getBoundingClientRect())) continue;
      if (!inside(r, viewport)) {
        problems.push(`${name(b)} outside the window (${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)})`);
        continue;
      }
      if (r.bottom > barBox.top + 0.5 && r.top < barBox.bottom - 0.5) problems.push(`${name(b)} under the status bar`);
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!hit || !(hit === b || b.contains(hit))) problems.push(`${name(b)} covered by ${hit ? name(hit) : 'nothing'}`);
    }
    if (dialog) {
      for (const b of dialog.querySelectorAll('.dialog-actions button')) {
        if (!inside(b.getBoundingClientRect(), viewport)) problems.push(`dialog action ${name(b)} is off screen`);
      }
    }
    return problems;
  });
}


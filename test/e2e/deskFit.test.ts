// What a new clerk's first day found crowded or cut (docs/ui.md, "Fitting the window"), in
// Chromium against the real web host at 1024×768 and 1280×800, in zh-CN, zh-TW and en:
// - the manager's approval line wraps only where the sentence allows: the parenthetical
//   （操作记在 王芳 名下） and each name stay on one line, and nothing overflows;
// - the Z-report's date box and its refusal give an example date in the UI's words, never YYYY-MM-DD;
// - after the day is closed (its status pill takes the bar's second line), a member found by phone, or
//   just signed up (a card number), unverified and offline, still shows at least one whole benefit in the list under the
//   notices, and the screen passes the layout check;
// - the earn dialog keeps its width when a wrong manager PIN's error shows.
// Screenshots: test-output/e2e/deskfit-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import type { Lang } from '../../src/loyalty/types';
import { sentenceProblems } from '../helpers/sentence';
import { presentMember, signIn, startWalk, type Walk } from './deskWalk';
import { LANG_WALKS, LANGS, layoutProblems, VIEWPORTS } from './layoutCheck';

const WALKS = LANG_WALKS;

let walk: Walk;

beforeAll(async () => {
  walk = await startWalk('deskfit', { viewport: VIEWPORTS[0] });
}, 120_000);
afterAll(async () => walk?.close());

async function settle(): Promise<void> {
  await walk.page.waitForSelector('[data-testid="statusbar"] [data-testid="status-printer"]');
  await walk.page.evaluate(() => document.fonts.ready);
}

async function setLang(lang: Lang): Promise<void> {
  await walk.page.selectOption('[data-testid="lang"]', lang);
  await walk.page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

async function pin(digits: string): Promise<void> {
  await walk.page.keyboard.type(digits);
  await walk.page.keyboard.press('Enter');
}

describe('what a new clerk found crowded, at 1024×768 and 1280×800', () => {
  it('the approval line wraps whole: the parenthetical and the names on one line each, nothing overflowing', async () => {
    const { page } = walk;
    await signIn(walk, '1234'); // 王芳, a clerk
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await pin('9999'); // 李娜, the manager
    await page.waitForSelector('[data-testid="approved-by"]');
    // On the Z-report, as the clerk saw it. Their window showed a scrollbar beside the long report
    // (this headless one hides it), so the row was narrower than 1024 px: the widths from 1000 px up to
    // where the note gets a line of its own are walked, each a few pixels apart.
    await page.click('[data-testid="tab-zReport"]');
    await page.waitForSelector('[data-testid="zreport"]');
    const widths = [...Array.from({ length: 31 }, (_, k) => 1000 + 6 * k), 1280];
    for (const lang of LANGS) {
      await setLang(lang);
      const tr = createTranslator(lang);
      const text = tr.t('manager.approvedBy', { manager: '李娜', clerk: '王芳' });
      expect(await page.textContent('[data-testid="approved-by"]')).toBe(text);
      // Each run of text that must not break: the names, and the bracketed part from its bracket on.
      const bracket = text.search(/[（(]/);
      expect(bracket, text).toBeGreaterThan(0);
      // In English the room beside eight tabs at 1024 px holds a word or two: there each word stays whole.
      const units = ['李娜', '王芳', ...(lang === 'en' ? text.split(/\s+/).filter((w) => w !== '') : [text.slice(bracket)])];
      for (const width of widths) {
        await page.setViewportSize({ width, height: 768 });
        await settle();
        const found = await page.evaluate((units) => {
          const note = document.querySelector('[data-testid="approved-by"]') as HTMLElement;
          const whole = note.textContent ?? '';
          const lines = (start: number, end: number) => {
            // The characters' boxes, walked across the note's text nodes.
            const tops = new Set<number>();
            let at = 0;
            const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
            for (let n = walker.nextNode(); n; n = walker.nextNode()) {
              const len = n.textContent!.length;
              for (let i = Math.max(start, at); i < Math.min(end, at + len); i++) {
                if (/\s/.test(whole[i]!)) continue;
                const r = document.createRange();
                r.setStart(n, i - at);
                r.setEnd(n, i - at + 1);
                const box = r.getBoundingClientRect();
                tops.add(Math.round(box.top + box.height / 2));
              }
              at += len;
            }
            // Characters on one line share a middle within a few pixels (mixed scripts sit a little apart).
            const sorted = [...tops].sort((a, b) => a - b);
            return sorted.length === 0 ? 0 : sorted.filter((t, i) => i === 0 || t - sorted[i - 1]! > 6).length;
          };
          const box = note.getBoundingClientRect();
          const nav = note.parentElement!.getBoundingClientRect();
          return {
            lines: units.map((u) => [u, lines(whole.indexOf(u), whole.indexOf(u) + u.length)] as const),
            overflow: note.scrollWidth > note.clientWidth + 1 || box.right > nav.right + 0.5 || box.right > window.innerWidth,
          };
        }, units);
        for (const [unit, n] of found.lines) expect(n, `${width} px ${lang}: “${unit}” in “${text}”`).toBe(1);
        expect(found.overflow, `${width} px ${lang}`).toBe(false);
      }
      for (const vp of VIEWPORTS) {
        await page.setViewportSize(vp);
        await settle();
        const label = `deskfit-approval-${lang}`;
        await walk.shot(label);
        // The report itself runs below the fold, and the screen scrolls for it (docs/ui.md).
        expect((await layoutProblems(page)).filter((p) => !/hides \d+ px below the fold/.test(p)), label).toEqual([]);
      }
    }
    await setLang('zh-CN');
  });

  it('the Z-report date box and its refusal give an example date in the UI language, not YYYY-MM-DD', async () => {
    const { page } = walk;
    await page.setViewportSize(VIEWPORTS[0]);
    await page.waitForSelector('[data-testid="z-date-input"]');
    for (const lang of LANGS) {
      await setLang(lang);
      const tr = createTranslator(lang);
      const placeholder = (await page.getAttribute('[data-testid="z-date-input"]', 'placeholder'))!;
      expect(placeholder).toBe(tr.t('manager.z.datePlaceholder'));
      await page.fill('[data-testid="z-date-input"]', '2026-13-40');
      await page.click('[data-testid="z-show"]');
      await expect.poll(() => page.textContent('[data-testid="zreport-tab"] [data-testid="error"]')).toBe(tr.error('DATE_INVALID', { date: '2026-13-40' }));
      const error = (await page.textContent('[data-testid="zreport-tab"] [data-testid="error"]'))!;
      await walk.shot(`deskfit-zreport-${lang}`);
      for (const words of [placeholder, error]) {
        // A pattern of format letters is no word of any of the three languages; a date is.
        expect(words).not.toMatch(/Y{2,}|M{2}|D{2}/);
        expect(words).toMatch(/\d{4}-\d{2}-\d{2}/);
        expect(sentenceProblems(words, lang), words).toEqual([]);
      }
      await page.fill('[data-testid="z-date-input"]', '');
      await page.click('[data-testid="z-show"]');
      await page.waitForSelector('[data-testid="zreport"]');
    }
    await setLang('zh-CN');
  });

  it('closes the day from the manager area, as the clerk did', async () => {
    const { page } = walk;
    await page.click('[data-testid="tab-dayEnd"]');
    await page.click('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-confirm"]');
    await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 30_000 });
    await page.click('[data-testid="manager-back"]');
    await page.waitForSelector('[data-screen="scan"]');
    await page.waitForSelector('[data-testid="status-day"]');
  });

  // Members with the most benefits: their list is longer than any room left under the notices.
  const crowded = () =>
    walk.desk.terminal.db.prepare("SELECT id FROM members WHERE status = 'active' AND tier = 'premium' ORDER BY id LIMIT ?").all(WALKS.length) as { id: string }[];

  it.each(WALKS.map((w, i) => [`${w.width}x${w.height}`, w.lang, i] as const))(
    'at %s in %s, after the day-end, a member found by phone, or just signed up, still shows a whole benefit',
    async (size, lang, i) => {
      const { page } = walk;
      const { width, height } = WALKS[i]!;
      await page.setViewportSize({ width, height });
      await setLang(lang);
      const members = crowded();
      expect(members.length).toBe(WALKS.length);

      for (const how of ['phone', 'join'] as const) {
        await page.click('[data-testid="nav-next"]');
        await page.waitForSelector('[data-screen="scan"]');
        if (how === 'phone') {
          // Found by phone: unverified, offline, with the day closed — the clerk's screen.
          await page.fill('[data-testid="card-input"]', walk.phones.get(members[i]!.id)!);
          await page.click('[data-testid="card-submit"]');
        } else {
          // Just signed up: 开卡成功 above the card too, and 核对手机号 beside 扫描会员码 (a card number).
          await page.click('[data-testid="join-open"]');
          const phone = `1351234${String(1000 + i)}`;
          await page.fill('[data-testid="join-phone"]', phone);
          await page.fill('[data-testid="join-phoneAgain"]', phone);
          await page.fill('[data-testid="join-name"]', '吴十');
          await page.click('[data-testid="join-submit"]');
          await page.click('[data-testid="terms-agree"]');
          await page.waitForSelector('[data-screen="member"] [data-testid="joined"]');
          await page.waitForSelector('[data-testid="needs-code-phone"]');
        }
        await page.waitForSelector('[data-screen="member"] [data-testid="needs-code"]');
        await page.waitForSelector('[data-screen="member"] .benefit-list > li, [data-screen="member"] [data-testid="empty"]');
        await page.waitForSelector('[data-testid="status-day"]');
        await settle();
        const label = `deskfit-member-${how}-${lang}`;
        await walk.shot(label);
        const fit = await page.evaluate(() => {
          const list = document.querySelector('[data-screen="member"] .benefit-list') as HTMLElement | null;
          if (!list) return null;
          list.scrollTop = 0;
          const box = list.getBoundingClientRect();
          const first = list.firstElementChild!.getBoundingClientRect();
          return { list: Math.round(box.height), first: Math.round(first.height), whole: first.top >= box.top - 0.5 && first.bottom <= box.bottom + 0.5 };
        });
        // The member found by phone has benefits enough to fill any room; a new member may have none.
        if (how === 'phone') expect(fit, 'a benefit list').not.toBeNull();
        if (fit) expect(fit.whole, `${size} ${lang} by ${how}: the list is ${fit.list} px, its first benefit ${fit.first} px`).toBe(true);
        expect(await layoutProblems(page), label).toEqual([]);
      }
    },
  );

  it.each(LANGS)('the earn dialog keeps its width when a wrong manager PIN is refused (%s)', async (lang) => {
    const { page } = walk;
    await page.setViewportSize(VIEWPORTS[0]);
    await setLang(lang);
    walk.desk.terminal.db.prepare("DELETE FROM lockouts WHERE scope = 'terminal'").run();
    const m = walk.desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'basic' ORDER BY id LIMIT 1 OFFSET ?").get(LANGS.indexOf(lang)) as {
      id: string;
      card_serial: number;
    };
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await presentMember(walk, m);
    await page.click('[data-testid="go-earn"]');
    await page.fill('[data-testid="earn-amount"]', '30000');
    await page.click('[data-testid="earn-submit"]');
    await page.waitForSelector('[data-testid="earn-dialog"] [data-testid="earn-manager-pin"]');
    await settle();
    const width = () => page.evaluate(() => document.querySelector('[data-testid="earn-dialog"]')!.getBoundingClientRect().width);
    const before = await width();
    await pin('0000');
    await page.waitForSelector('[data-testid="earn-dialog"] [data-testid="error"]');
    await walk.shot(`deskfit-earn-wrong-pin-${lang}`);
    expect(await width()).toBe(before);
    expect(await layoutProblems(page), lang).toEqual([]);
    await page.click('[data-testid="cancel-earn"]');
    await page.waitForSelector('[data-testid="earn-dialog"]', { state: 'detached' });
  });
});

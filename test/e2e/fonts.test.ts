// The Chinese faces ship with the app (issue 18 item 13): in Chromium against the real web host, the
// desk's Chinese text is drawn with the bundled Noto Sans SC (zh-CN) and Noto Sans TC (zh-TW) — web
// fonts, not whatever the machine has installed — served by our host as 'self' under the page's CSP;
// only a few of the unicode-range subsets load (the ones the page's characters need); and nothing is
// fetched from outside loopback; the KPI charts' SVG text uses the same face. The kiosk's page is
// checked in test/e2e/kioskDay.test.ts.
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedFaces } from './fontCheck';
import { signIn, startWalk, type Walk } from './deskWalk';

let walk: Walk;
const requests: Request[] = [];
const failed: string[] = [];
const cspViolations: string[] = [];

beforeAll(async () => {
  walk = await startWalk('fonts', { members: 20, viewport: { width: 1024, height: 768 } });
  walk.page.on('request', (r) => requests.push(r));
  walk.page.on('requestfailed', (r) => failed.push(r.url()));
  walk.page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text().slice(0, 160));
  });
}, 120_000);
afterAll(async () => walk?.close());

function fontRequests(): Request[] {
  return requests.filter((r) => r.resourceType() === 'font');
}

async function faceOf(page: Page, selector: string): Promise<{ familyName: string; isCustomFont: boolean }[]> {
  await page.evaluate(() => document.fonts.ready);
  return renderedFaces(page, selector);
}

describe('the bundled Chinese font in Chromium', () => {
  it('draws the desk in zh-CN with the bundled Noto Sans SC, served by our host, loading only the subsets it needs', async () => {
    const { page } = walk;
    await signIn(walk, '1234');
    const faces = await faceOf(page, '[data-screen="scan"] h1');
    expect(faces.find((f) => f.isCustomFont)?.familyName).toMatch(/^Noto Sans SC\b/);
    expect(faces.every((f) => f.isCustomFont)).toBe(true);
    expect(await page.evaluate(() => document.fonts.check('16px "Noto Sans SC"', '会员服务台'))).toBe(true);

    const fonts = fontRequests();
    expect(fonts.length).toBeGreaterThan(0);
    const origin = new URL(page.url()).origin;
    for (const r of fonts) {
      expect(r.url().startsWith(`${origin}/assets/`), r.url()).toBe(true);
      expect(r.url()).toMatch(/noto-sans-sc-.*\.woff2$/);
      const res = await r.response();
      expect(res?.status(), r.url()).toBe(200);
      expect(res?.headers()['content-type']).toMatch(/font\/woff2/);
    }
    // unicode-range: a screen's characters need a handful of the 200 subsets of the two weights.
    expect(fonts.length).toBeLessThan(40);
    await walk.shot('fonts-zh-CN');
  });

  it('draws zh-TW with the bundled Noto Sans TC, and nothing ever leaves loopback', async () => {
    const { page } = walk;
    await page.selectOption('[data-testid="lang"]', 'zh-TW');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');
    const faces = await faceOf(page, '[data-screen="scan"] h1');
    expect(faces.find((f) => f.isCustomFont)?.familyName).toMatch(/^Noto Sans TC\b/);
    expect(fontRequests().some((r) => /noto-sans-tc-.*\.woff2$/.test(r.url()))).toBe(true);
    await walk.shot('fonts-zh-TW');

    const outside = requests.map((r) => new URL(r.url())).filter((u) => !['data:', 'blob:'].includes(u.protocol) && u.hostname !== '127.0.0.1');
    expect(outside.map((u) => u.href)).toEqual([]);
    expect(failed.filter((u) => /\.woff2$/.test(u))).toEqual([]);
    expect(cspViolations).toEqual([]);
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
  });

  it('draws English punctuation narrow (a Latin face first), Chinese quotes full width, and Chinese names in English in the bundled face', async () => {
    const { page } = walk;
    /** The width of `text` in the page's UI font, in ems. */
    const ems = (text: string) =>
      page.evaluate(async (t) => {
        await document.fonts.ready;
        const span = document.createElement('span');
        span.textContent = t;
        document.body.append(span);
        await document.fonts.load(`${getComputedStyle(span).fontSize} ${getComputedStyle(span).fontFamily}`, t);
        const width = span.getBoundingClientRect().width / parseFloat(getComputedStyle(span).fontSize);
        span.remove();
        return width;
      }, text);
    // Chinese typography sets its quotes full width.
    expect(await ems('’')).toBeGreaterThan(0.8);
    await page.selectOption('[data-testid="lang"]', 'en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    for (const mark of ['’', '“', '”']) expect(await ems(mark), mark).toBeLessThan(0.45);
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<p data-probe="name-en">魏**</p>'));
    const faces = await faceOf(page, '[data-probe="name-en"]');
    expect(faces.find((f) => f.isCustomFont)?.familyName).toMatch(/^Noto Sans SC\b/);
    await page.evaluate(() => document.querySelector('[data-probe="name-en"]')?.remove());
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
  });

  it("draws the KPI charts' Chinese (SVG text) in the bundled face too", async () => {
    const { page } = walk;
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    await page.click('[data-testid="tab-kpis"]');
    // The legend names the series in Chinese.
    const text = page.locator('[data-testid^="chart-"] svg text', { hasText: /[\u4e00-\u9fff]/ }).first();
    await text.waitFor();
    await text.evaluate((el) => el.setAttribute('data-probe', '1'));
    const faces = await faceOf(page, '[data-probe="1"]');
    expect(faces[0]?.familyName).toMatch(/^Noto Sans SC\b/);
    expect(faces[0]?.isCustomFont).toBe(true);
    await walk.shot('fonts-kpis');
    expect(cspViolations).toEqual([]);
  });
});

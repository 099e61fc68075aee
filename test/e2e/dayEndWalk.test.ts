// A new manager's walk (zh-CN, 1024×768 and 1280×800) in Debian's Chromium against the real web host
// and a demo desk not enrolled with HQ (screenshots test-output/e2e/walk-*.png): the manager's
// approval note is whole in the void and earn dialogs; the day-end's bar is full when it says 完成,
// and it says the day closed here and nothing goes to HQ until setup; afterwards every status-bar
// pill shows all of itself; the Z-report counts what waits for HQ as the status bar does, with
// thousands separators; a page asked for without a session is styled under the CSP, in the desk's
// language.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { businessDate } from '../../src/loyalty/time';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { appendOutbox } from '../../src/store/outbox';
import { tempDir } from '../helpers/demoDb';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { layoutProblems } from './layoutCheck';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
] as const;
const zh = createTranslator('zh-CN');

let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `walk-${name}.png`) });

async function pin(digits: string): Promise<void> {
  await page.keyboard.type(digits);
  await page.keyboard.press('Enter');
}

async function signIn(digits: string): Promise<void> {
  await page.goto(desk.host.launchUrl());
  await page.waitForSelector('[data-screen="sign-in"]');
  await pin(digits);
  await page.waitForSelector('[data-screen="scan"]');
}

async function scanMember(offset: number): Promise<string> {
  const m = desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'core' ORDER BY id LIMIT 1 OFFSET ?").get(offset) as { id: string; card_serial: number };
  const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
  await scanWedge(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
  await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
  return m.id;
}

/**
 * What of an element is not shown: cut by an ancestor that hides overflow (a dialog, a panel), cut
 * inside itself (ellipsis), or outside the window. An empty list when all of it is on screen.
 */
async function cutOff(selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const r = el.getBoundingClientRect();
      const name = `${sel} "${(el.textContent ?? '').trim().slice(0, 24)}"`;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${name} is cut inside (${el.scrollWidth} > ${el.clientWidth})`);
      if (r.left < -0.5 || r.top < -0.5 || r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5) out.push(`${name} reaches outside the window`);
      for (let a = el.parentElement; a; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
        const b = a.getBoundingClientRect();
        if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5 || r.left < b.left - 0.5 || r.right > b.right + 0.5) {
          out.push(`${name} is cut by ${a.tagName.toLowerCase()}.${a.className} (${Math.round(r.top)}..${Math.round(r.bottom)} in ${Math.round(b.top)}..${Math.round(b.bottom)})`);
        }
      }
    }
    return out;
  }, selector);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-walk-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 60, seed: 'e2e-walk' });
  desk = await launchDesk({ dataDir, printerUri: null });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: SIZES[0] });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  tmp?.cleanup();
});

describe('the manager’s approval note', () => {
  it('shows whole in the earn and the void dialogs at both sizes', async () => {
    await page.setViewportSize(SIZES[0]);
    await signIn('1234'); // 王芳, a clerk
    await scanMember(0);
    await page.click('[data-testid="go-earn"]');
    await page.fill('[data-testid="earn-amount"]', '30000');
    await page.click('[data-testid="earn-submit"]');
    await page.waitForSelector('[data-testid="earn-dialog"] [data-testid="earn-manager-pin"]');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      expect(await cutOff('[data-testid="earn-approval-note"]'), `earn ${size.width}`).toEqual([]);
      await shot(`${size.width}x${size.height}-earn-approval`);
    }
    await page.click('[data-testid="cancel-earn"]');

    // An earn to void, recorded at this desk.
    const member = desk.terminal.db.prepare("SELECT id FROM members WHERE status = 'active' AND tier = 'core' ORDER BY id LIMIT 1").get() as { id: string };
    const earned = desk.terminal.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 12_300 }] });
    await page.click('[data-testid="nav-ops"]');
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      // The language is chosen with no dialog open: the top bar is inert under one.
      await page.selectOption('[data-testid="lang"]', lang);
      await page.click(`[data-testid="op-${earned.opId}"] [data-testid="op-void"]`);
      await page.waitForSelector('[data-testid="void-dialog"]');
      // With a wrong PIN's complaint under it, the note is still whole (the dialog is at its tallest).
      await pin('0000');
      await page.waitForSelector('[data-testid="void-dialog"] [data-testid="error"]');
      for (const size of SIZES) {
        await page.setViewportSize(size);
        expect(await cutOff('[data-testid="void-approver"]'), `void ${lang} ${size.width}`).toEqual([]);
        expect(await cutOff('[data-testid="void-dialog"] [data-testid="error"]'), `void error ${lang} ${size.width}`).toEqual([]);
        await shot(`${size.width}x${size.height}-${lang}-void-approval`);
      }
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="void-dialog"]', { state: 'detached' });
    }
    await page.selectOption('[data-testid="lang"]', 'zh-CN');

    // The manager area opened by a clerk with the manager's PIN: "店长 李娜 已批准（操作记在 王芳 名下）".
    await signIn('1234');
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await pin('9999');
    await page.waitForSelector('[data-testid="approved-by"]');
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      await page.selectOption('[data-testid="lang"]', lang);
      for (const size of SIZES) {
        await page.setViewportSize(size);
        expect(await cutOff('[data-testid="approved-by"]'), `manager area ${lang} ${size.width}`).toEqual([]);
        expect(await layoutProblems(page), `manager area ${lang} ${size.width}`).toEqual([]);
        await shot(`${size.width}x${size.height}-${lang}-manager-approved`);
      }
    }
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    await page.click('[data-testid="manager-back"]');
  }, 90_000);
});

describe('the day-end of a desk not enrolled with HQ', () => {
  it('fills its bar when done, says nothing is sent until setup, and the status bar and Z-report agree afterwards', async () => {
    await page.setViewportSize(SIZES[0]);
    const tz = desk.terminal.service.deps.identity.tz;
    const today = businessDate(Date.now(), tz);
    // A day's work to count: 30,000 points earned and a few operations waiting for HQ.
    const member = desk.terminal.db.prepare("SELECT id FROM members WHERE status = 'active' AND tier = 'core' ORDER BY id LIMIT 1 OFFSET 1").get() as { id: string };
    for (let i = 0; i < 3; i++) desk.terminal.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 1_000_000 }] });
    // A sign-up's event waits in the outbox too; it is no operation (never sent here: not enrolled).
    appendOutbox(desk.terminal.db, { id: randomUUID(), opId: null, type: 'member.joined', payload: {}, createdAt: Date.now() });
    await signIn('9999'); // 李娜, a manager
    await page.click('[data-testid="nav-manager"]');
    await page.click('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-confirm"]');
    await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 30_000 });

    // 1: the bar says 100 and is drawn full when the label says 完成.
    const bar = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="dayend-progress"]')!;
      const fill = document.querySelector('[data-testid="dayend-progress-fill"]')!;
      return { role: el.getAttribute('role'), now: el.getAttribute('aria-valuenow'), track: el.clientWidth, fill: fill.getBoundingClientRect().width };
    });
    expect(await page.textContent('[data-testid="dayend-step"]')).toBe(`${zh.t('manager.dayEnd.steps.done')} 100%`);
    expect(bar.role).toBe('progressbar');
    expect(bar.now).toBe('100');
    expect(bar.fill).toBeGreaterThanOrEqual(bar.track - 1);

    // 2: closed here; nothing goes to HQ until setup — and the way there.
    const report = desk.terminal.service.deps.db.prepare('SELECT number FROM business_days WHERE date = ?').get(today) as { number: number };
    expect(await page.getAttribute('[data-testid="dayend-result"]', 'data-state')).toBe('not-enrolled');
    expect(await page.textContent('[data-testid="dayend-result"]')).toBe(`${zh.t('manager.dayEnd.notEnrolled', { date: today, number: report.number })}${zh.t('setup.dayEndLink')}`);

    // 5: the Z-report's waiting count is the status bar's, in the same words; numbers have separators.
    const waiting = (desk.terminal.db.prepare('SELECT count(*) AS n FROM operations WHERE business_date = ? AND synced = 0').get(today) as { n: number }).n;
    expect(waiting).toBeGreaterThan(0);
    // The sign-up's event is in neither count: both count operations.
    expect(await page.textContent('[data-testid="z-pending"]')).toBe(zh.t('ui.status.pending', { n: String(waiting) }));
    await expect.poll(() => page.textContent('[data-testid="status-pending"]')).toBe(zh.t('ui.status.pending', { n: String(waiting) }));
    const earned = (desk.terminal.db.prepare("SELECT coalesce(sum(points), 0) AS p FROM operations WHERE business_date = ? AND kind = 'earn' AND voided_by_op IS NULL").get(today) as { p: number }).p;
    expect(earned).toBeGreaterThanOrEqual(1_000);
    expect(await page.textContent('[data-testid="z-points-earned"]')).toBe(earned.toLocaleString('en-US'));

    // 3: after the day-end, every pill of the status bar shows all of itself at both sizes.
    await page.click('[data-testid="manager-back"]');
    await page.waitForSelector('[data-screen="scan"] , [data-screen="sign-in"]');
    await page.waitForSelector('[data-testid="status-day"]');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.evaluate(() => document.fonts.ready);
      // The store's name may give way (its tooltip has it whole); what the desk's devices and HQ say may not.
      expect(await cutOff('[data-testid="statusbar"] > .pill:not(.store)'), `status bar ${size.width}`).toEqual([]);
      const lines = await page.evaluate(() => document.querySelector('[data-testid="statusbar"]')!.getBoundingClientRect().height);
      expect(lines, 'the status bar stays a bar').toBeLessThanOrEqual(80);
      await shot(`${size.width}x${size.height}-statusbar-after-dayend`);
    }
  }, 90_000);
});

/** A port nothing listens on: an HQ address that does not answer. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Something that answers on loopback, but not as HQ: a web page for every request. */
async function htmlServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Router</title><h1>Welcome to your router</h1>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

describe('setup with a wrong HQ address', () => {
  it("says HQ does not answer, or that what answered is not HQ, in the setup's language, and keeps the code typed", async () => {
    const dataDir = join(tmp.dir, 'setup');
    mkdirSync(dataDir, { recursive: true });
    const setup = await launchDesk({ dataDir, demo: false });
    const html = await htmlServer();
    try {
      for (const [lang, tr] of [['zh-CN', zh], ['en', createTranslator('en')]] as const) {
        await page.setViewportSize(SIZES[0]);
        await page.goto(setup.host.launchUrl());
        await page.waitForSelector('[data-screen="setup"]');
        await page.click(`[data-testid="setup-lang-${lang}"]`);
        await page.click('[data-testid="setup-next"]');
        const code = 'ABCD-2345-WXYZ';
        const dead = `http://127.0.0.1:${await deadPort()}`;
        await page.fill('[data-testid="setup-hq-url"]', dead);
        await page.fill('[data-testid="setup-hq-code"]', code);
        await page.click('[data-testid="setup-enroll"]');
        await expect.poll(() => page.textContent('[data-testid="error"]'), { timeout: 20_000 }).toBe(tr.error('HQ_UNREACHABLE', { url: dead, context: 'setup' }));
        expect(await page.textContent('[data-testid="error"]')).not.toMatch(/ECONN|fetch failed|JSON/i);
        expect(await page.inputValue('[data-testid="setup-hq-code"]'), 'the code stays to try again').toBe(code);
        await shot(`${lang}-setup-hq-unreachable`);

        // The address corrected to something that answers, but is no HQ (a router's page).
        await page.fill('[data-testid="setup-hq-url"]', html.url);
        await page.click('[data-testid="setup-enroll"]');
        await expect.poll(() => page.textContent('[data-testid="error"]'), { timeout: 20_000 }).toBe(tr.error('HQ_BAD_RESPONSE', { url: html.url, context: 'setup' }));
        expect(await page.textContent('[data-testid="error"]')).not.toMatch(/not JSON|HTTP 200|bytes/i);
        expect(await page.inputValue('[data-testid="setup-hq-code"]')).toBe(code);
        await shot(`${lang}-setup-not-hq`);
      }
    } finally {
      await new Promise<void>((r) => html.server.close(() => r()));
      await setup.close();
    }
  }, 90_000);
});

describe('a page asked for without a session', () => {
  it('is styled under the strict CSP, with no violation logged, in the desk’s language', async () => {
    await page.context().clearCookies();
    const logged: string[] = [];
    const onConsole = (m: { text(): string }) => logged.push(m.text());
    page.on('console', onConsole);
    try {
      // A launch link used twice: the second opening has no session to give.
      const link = desk.host.launchUrl();
      await page.goto(link);
      await page.waitForSelector('[data-screen="sign-in"]');
      await page.context().clearCookies();
      const answer = await page.goto(link);
      expect(answer?.status()).toBe(401);
      expect(answer?.headers()['content-security-policy']).toMatch(/style-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
      expect(answer?.headers()['content-security-policy']).not.toContain('unsafe-inline');
      const seen = await page.evaluate(() => {
        const main = document.querySelector('main');
        return {
          lang: document.documentElement.lang,
          heading: document.querySelector('h1')?.textContent ?? '',
          text: document.body.innerText,
          styled: main ? getComputedStyle(main).borderTopLeftRadius : '',
          inlineStyles: document.querySelectorAll('[style]').length,
        };
      });
      expect(seen.lang).toBe('zh-CN');
      expect(seen.heading).toBe(zh.t('ui.noSession.heading'));
      expect(seen.text).toContain(zh.t('ui.noSession.body'));
      expect(seen.text, 'no English inside the Chinese page').not.toMatch(/[A-Za-z]{3,}/);
      // The style block applied: the card's rounded corners come from it alone.
      expect(seen.styled).toBe('16px');
      expect(seen.inlineStyles).toBe(0);
      expect(logged.filter((l) => /Content Security Policy|Content-Security-Policy/i.test(l))).toEqual([]);
      await shot('no-session');
    } finally {
      page.off('console', onConsole);
    }
  }, 60_000);
});

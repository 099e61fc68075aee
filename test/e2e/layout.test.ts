// The desk at small screens: Debian's Chromium (playwright-core) against the real web host and a
// seeded demo database with no printer, at 1024×768 and 1280×800 in zh-CN, zh-TW and en. On every
// screen of a new clerk's walk — sign-in after a wrong PIN, the member card, the redeem dialog, the
// receipt, the phone check after a wrong answer, the manager's PIN pad after a wrong PIN, the manager's
// devices tab — every button a person can see lies wholly inside the window, clear of the status bar,
// and is what a tap at its centre hits; the bars stay one line; a dialog's title and actions are on
// screen; nothing waits below the fold of a panel that shows no cue. With no printer the receipt's
// heading does not say it is printing, and the devices tab says the printer's state in words.
import { mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { otherPhone } from '../helpers/demoPhones';
import { tempDir } from '../helpers/demoDb';
import { LANG_WALKS, layoutProblems, VIEWPORTS } from './layoutCheck';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const WALKS = LANG_WALKS;

let phones: Map<string, string>;
let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;

interface Member {
  id: string;
  card_no: string;
  phone: string;
  card_serial: number;
}

/** Distinct members for each walk: the phone check's wrong answers count per card. */
function members(where: string): Member[] {
  const rows = desk.terminal.db.prepare(`SELECT id, card_no, card_serial FROM members WHERE ${where} ORDER BY id LIMIT ?`).all(WALKS.length) as Omit<Member, 'phone'>[];
  return rows.map((r) => ({ ...r, phone: phones.get(r.id)! }));
}

async function expectFits(label: string): Promise<void> {
  // Fonts and late answers (the status bar's facts) settle before the measure.
  await page.waitForSelector('[data-testid="statusbar"] [data-testid="status-printer"]');
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SHOTS, `layout-${label}.png`) });
  expect(await layoutProblems(page), label).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-layout-');
  const dataDir = join(tmp.dir, 'data');
  phones = prepareDeskFolder(dataDir, { members: 200, seed: 'e2e-layout' });
  // No printer: receipts wait in the queue, and the screens must say so.
  desk = await launchDesk({ dataDir, printerUri: null });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: VIEWPORTS[0] });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  tmp?.cleanup();
});

describe('the desk fits small screens', () => {
  it.each(WALKS.map((w, i) => [`${w.width}x${w.height}`, w.lang, i] as const))('at %s in %s every button is on screen and clear of the status bar', async (size, lang, i) => {
    const { width, height } = WALKS[i]!;
    const tr = createTranslator(lang);
    const label = (screen: string) => `${size}-${lang}-${screen}`;
    await page.setViewportSize({ width, height });
    // Each walk starts at an unlocked pad, whatever an earlier walk left behind.
    desk.terminal.db.prepare("DELETE FROM lockouts WHERE scope = 'terminal'").run();

    // Sign-in after a wrong PIN.
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.selectOption('[data-testid="lang"]', lang);
    await page.waitForSelector(`h1:text("${tr.t('ui.signIn.title')}")`);
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(tr.error('WRONG_PIN', { left: 4 }));
    await expectFits(label('01-sign-in-wrong-pin'));
    await page.keyboard.type('1234'); // 王芳, a clerk
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await expectFits(label('02-scan'));

    // The member card, from the member's signed code.
    const m = members("status = 'active' AND tier = 'advanced'")[i]!;
    const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    await scanWedge(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
    await page.waitForSelector('[data-screen="member"] [data-testid="points-balance"]');
    await expectFits(label('03-member'));

    // A redemption: the dialog, then the receipt — with no printer, which it must not claim to use.
    const card = desk.terminal.service.memberCard({ memberId: m.id });
    const benefit = card.benefits.find((b) => b.eligible && !b.needsAmount)!;
    expect(benefit, 'an eligible benefit without an amount').toBeTruthy();
    await page.locator(`[data-testid="benefit-${benefit.id}"] [data-testid="redeem"]`).scrollIntoViewIfNeeded();
    await page.click(`[data-testid="benefit-${benefit.id}"] [data-testid="redeem"]`);
    await page.waitForSelector('[data-testid="redeem-dialog"]');
    await expectFits(label('04-redeem-dialog'));
    await page.click('[data-testid="confirm-redeem"]');
    await page.waitForSelector('[data-screen="receipt"] [data-testid="receipt-preview"]');
    await page.waitForSelector('[data-testid="print-state"]');
    const heading = (await page.textContent('[data-screen="receipt"] h1'))!;
    expect(heading).not.toBe(tr.t('ui.receipt.title'));
    expect(heading).toBe(tr.t('ui.receipt.titleNoPrinter'));
    expect(await page.textContent('[data-testid="print-state"]')).toBe(tr.t('ui.receipt.noPrinter'));
    await expectFits(label('05-receipt'));

    // The phone check for a typed card number, after one wrong answer.
    await page.click('[data-testid="next-member"]');
    await page.waitForSelector('[data-screen="scan"]');
    const p = members("status = 'active' AND tier IN ('core', 'premium')")[i]!;
    await scanWedge(page, p.card_no);
    await page.waitForSelector('[data-testid="phone-check"]');
    // Tapped, as a clerk does: eleven quick keystrokes would be a scanner burst.
    for (const d of otherPhone(p.phone)) await page.click(`[data-testid="phone"] .pin-keys button[aria-label="${d}"]`);
    await page.click('[data-testid="phone-submit"]');
    await expect.poll(() => page.textContent('[data-testid="phone-check"] [data-testid="error"]')).toBe(tr.error('PHONE_MISMATCH', { left: 2 }));
    await expectFits(label('06-phone-check-wrong'));
    await page.click('[data-testid="phone-cancel"]');
    await page.waitForSelector('[data-testid="phone-check"]', { state: 'detached' });

    // The manager's PIN pad after a wrong PIN, then the devices tab.
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="manager-gate"] [data-testid="error"]');
    await expectFits(label('07-manager-gate-wrong-pin'));
    await page.keyboard.type('9999'); // 李娜, the manager
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="manager"]');
    await page.click('[data-testid="tab-settings"]');
    await page.waitForSelector('[data-testid="settings-save"]');
    await expect.poll(() => page.textContent('[data-testid="settings-printer-state"]')).toBe(tr.t('manager.settings.printerStateText.not-configured'));
    expect(await page.textContent('[data-testid="settings"]')).not.toContain('not-configured');
    await expectFits(label('08-manager-settings'));

    await page.click('[data-testid="manager-back"]');
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-screen="sign-in"]');
  });
});

// The check-up in the manager area (issue 19 item 5), in Debian's Chromium against a real web host on
// a demo data folder with no printer set and no HQ: the manager signs in, opens 店长 → 体检 and reads
// doctor's findings in Chinese, each with what to do, worded by the core as the command line words them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { tempDir } from '../helpers/demoDb';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const zh = createTranslator('zh-CN');
let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tmp = tempDir('ld-e2e-doctor-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 40, seed: 'e2e-doctor' });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  desk = await launchDesk({ dataDir });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 } });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  tmp?.cleanup();
});

describe('the check-up tab in Chromium', () => {
  it('shows doctor’s findings with what to do, most serious first', async () => {
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="nav-manager"]');
    await page.click('[data-testid="tab-doctor"]');
    await page.waitForSelector('[data-testid="finding-NOT_ENROLLED"]');
    await page.screenshot({ path: join(SHOTS, 'doctor-01-findings.png'), fullPage: true });
    expect(await page.textContent('[data-testid="tab-doctor"]')).toBe(zh.t('manager.tabs.doctor'));
    const notEnrolled = page.locator('[data-testid="finding-NOT_ENROLLED"]');
    expect(await notEnrolled.getAttribute('data-severity')).toBe('warn');
    expect(await notEnrolled.locator('strong').textContent()).toBe(`${zh.t('support.doctor.severity.warn')} · ${zh.t('support.doctor.NOT_ENROLLED.title')}`);
    expect(await notEnrolled.locator('[data-testid="finding-action"]').textContent()).toBe(zh.t('support.doctor.NOT_ENROLLED.action'));
    // no printer is set on this desk: the finding says where to set one
    expect(await page.locator('[data-testid="finding-PRINTER_NOT_SET"] [data-testid="finding-action"]').textContent()).toBe(zh.t('support.doctor.PRINTER_NOT_SET.action'));
    const severities = await page.locator('[data-testid^="finding-"][data-severity]').evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')));
    const rank = { problem: 0, warn: 1, info: 2, ok: 3 } as Record<string, number>;
    expect(severities.map((s) => rank[s!])).toEqual([...severities.map((s) => rank[s!])].sort());
    // No printer set up is a note, below the warnings, not a printer fault.
    expect(await page.getAttribute('[data-testid="finding-PRINTER_NOT_SET"]', 'data-severity')).toBe('info');
    // a receipt waiting is counted on the next check — as waiting for a printer to be set up, not as
    // a printer to check (paper, cable)
    const m = desk.terminal.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string };
    desk.terminal.service.earn({ memberId: m.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 1_000 }] });
    await page.click('[data-testid="doctor-recheck"]');
    await expect.poll(() => page.locator('[data-testid="finding-PRINTER_NOT_SET"] strong').textContent()).toBe(`${zh.t('support.doctor.severity.info')} · ${zh.t('support.doctor.PRINTER_NOT_SET.title', { count: 1 })}`);
    expect(await page.locator('[data-testid="finding-RECEIPTS_WAITING"]').count()).toBe(0);
  });
});

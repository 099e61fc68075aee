// Accessibility (issue 18 item 15): axe-core (a devDependency, its source evaluated into the page
// over CDP, so the desk's CSP stays as it is) finds no serious or critical violation on each screen
// a clerk, a manager and a member meet, in Chromium against the real web hosts: the PIN pad (after a
// wrong PIN), the scan screen with an error, the member card, the redeem dialog (with an error), the
// receipt, the earn, exchange and donate forms, today's operations and the void dialog, the manager's
// gate and every manager tab, the phone check dialog, and the kiosk's attract screen, refusal and a
// member's page. A violation names its rule
// and the elements it found. Screenshots: test-output/e2e/a11y-*.png. The locked PIN pad and the
// day-end after the close: test/e2e/touchTargets.test.ts; the kiosk's slip printed, its refusal and
// its time-out warning: test/e2e/kioskDay.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchKiosk } from '../../src/host/kioskLaunch';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { tempDir } from '../helpers/demoDb';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { seriousViolations } from './axeCheck';
import { presentMember, startWalk, type Walk } from './deskWalk';
import { scanWedge } from '../../src/bench/wedgeScanner';

let walk: Walk;
const serious = seriousViolations;

beforeAll(async () => {
  walk = await startWalk('a11y', { printer: true });
}, 120_000);
afterAll(async () => walk?.close());

describe('accessibility (axe-core) in Chromium', () => {
  it('finds no serious or critical violation on the desk, its dialogs and the manager area', async () => {
    const { page, desk } = walk;
    const found: string[] = [];
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="error"]');
    found.push(...(await serious(page, 'sign-in-error')));
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await page.fill('[data-testid="card-input"]', '1234567890');
    await page.click('[data-testid="card-submit"]');
    await page.waitForSelector('[data-screen="scan"] [data-testid="error"]');
    found.push(...(await serious(page, 'scan-error')));
    // A typed card number asks for the member's whole phone number (the phone check dialog).
    const carded = desk.terminal.db.prepare("SELECT card_no FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 7").get() as { card_no: string };
    await page.fill('[data-testid="card-input"]', carded.card_no);
    await page.click('[data-testid="card-submit"]');
    await page.waitForSelector('[role="dialog"] [data-testid="phone-cancel"]');
    found.push(...(await serious(page, 'phone-check')));
    await page.click('[data-testid="phone-cancel"]');

    const member = desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY (SELECT coalesce(sum(remaining), 0) FROM point_lots WHERE member_id = members.id) DESC LIMIT 1").get() as { id: string; card_serial: number };
    await presentMember(walk, member);
    found.push(...(await serious(page, 'member-card')));
    await page.locator('[data-testid="redeem"]').first().click();
    await page.waitForSelector('[role="dialog"]');
    if ((await page.locator('[data-testid="amount"]').count()) > 0) {
      await page.fill('[data-testid="amount"]', '-1');
      await page.click('[data-testid="confirm-redeem"]');
      await page.waitForSelector('[role="dialog"] [data-testid="error"]');
    }
    found.push(...(await serious(page, 'redeem-dialog')));
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="redeem"]').first().click();
    if ((await page.locator('[data-testid="amount"]').count()) > 0) await page.fill('[data-testid="amount"]', '500');
    await page.click('[data-testid="confirm-redeem"]');
    await page.waitForSelector('[data-screen="receipt"]');
    found.push(...(await serious(page, 'receipt')));

    for (const [go, screen] of [['go-earn', 'earn'], ['go-exchange', 'catalog'], ['go-donate', 'donate']] as const) {
      await presentMember(walk, member);
      await page.click(`[data-testid="${go}"]`);
      await page.waitForSelector(`[data-screen="${screen}"]`);
      found.push(...(await serious(page, screen)));
    }

    await page.click('[data-testid="nav-ops"]');
    await page.waitForSelector('[data-testid="op-void"]');
    found.push(...(await serious(page, 'operations')));
    await page.locator('[data-testid="op-void"]').first().click();
    await page.waitForSelector('[data-testid="void-dialog"]');
    await page.keyboard.type('0000');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="void-dialog"] [data-testid="error"]');
    found.push(...(await serious(page, 'void-dialog-error')));
    await page.locator('[data-testid="void-dialog"] button', { hasText: '取消' }).click();

    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"]');
    found.push(...(await serious(page, 'manager-gate')));
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    for (const tab of ['dayEnd', 'zReport', 'kpis', 'conflicts', 'staff', 'settings']) {
      await page.click(`[data-testid="tab-${tab}"]`);
      await page.waitForTimeout(400);
      found.push(...(await serious(page, `manager-${tab}`)));
    }
    expect(found).toEqual([]);
  }, 240_000);

  it('finds no serious or critical violation on the kiosk', async () => {
    const tmp = tempDir('ld-e2e-a11y-kiosk-');
    const dataDir = join(tmp.dir, 'data');
    prepareDeskFolder(dataDir, { members: 50, seed: 'e2e-a11y-kiosk' });
    const kiosk = await launchKiosk({ dataDir, printerUri: null });
    const browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1080, height: 1920 } });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(10_000);
      await page.goto(kiosk.host.launchUrl());
      await page.waitForSelector('[data-screen="attract"]');
      const found = await serious(page, 'kiosk-attract');
      // A code that is no member code: the kiosk's refusal.
      await scanWedge(page, 'NOT-A-MEMBER-CODE-12345');
      await page.getByRole('button', { name: '好的' }).waitFor();
      found.push(...(await serious(page, 'kiosk-refusal')));
      await page.getByRole('button', { name: '好的' }).click();
      // A member's own page, opened by their signed card code.
      const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(kiosk.prepared.dir, HQ_KEY_FILE), 'utf8')));
      const m = kiosk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number };
      await scanWedge(page, mintCardCode(hq, { mid: m.id, cs: m.card_serial, iat: Math.floor(Date.now() / 1000) - 60 }));
      await page.waitForSelector('[data-screen="member"]');
      found.push(...(await serious(page, 'kiosk-member')));
      expect(found).toEqual([]);
    } finally {
      await browser.close();
      await kiosk.close();
      tmp.cleanup();
    }
  }, 120_000);
});


// 挂失补卡 end to end in Debian's Chromium against the real web host and a seeded demo folder: from
// the member card in one tap, the confirmation with old → new card number and the manager's PIN pad;
// a clerk's PIN is refused in the UI's language and changes nothing; the manager's PIN replaces the
// card (the receipt queued), the member card shows the new number, and the old code is refused at
// the scan screen with CARD_SUPERSEDED's sentence in the UI's language. Once the pull brings HQ's
// signed code of the new card, the member card offers it (新卡会员码) to a verified member, and the QR
// drawn on screen reads back as that code.
import { PNG } from 'pngjs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { HQ_KEY_FILE } from '../../src/runtime/dataFolder';
import { privateJwkSchema } from '../../src/scan/hqKeys';
import { mintCardCode } from '../../src/scan/mintCode';
import { applyChange } from '../../src/store/syncApply';
import { signCardCode } from '../../src/sync/cardCode';
import { tempDir } from '../helpers/demoDb';
import { readPureQr } from '../helpers/readQr';
import { snapshot } from '../helpers/snapshot';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const zh = createTranslator('zh-CN');
const MOVING = ['print_jobs', 'lockouts'];

let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;
let member: { id: string; card_no: string; card_serial: number };
const db = () => desk.terminal.db;
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

/** The member's signed card code of serial `cs`, typed as a keyboard-wedge scanner types it. */
async function scanCode(cs: number): Promise<void> {
  const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
  await scanWedge(page, mintCardCode(hq, { mid: member.id, cs, iat: Math.floor(Date.now() / 1000) - 60 }));
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-card-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 60, seed: 'e2e-card' });
  desk = await launchDesk({ dataDir });
  member = db().prepare("SELECT id, card_no, card_serial FROM members WHERE status = 'active' AND card_serial = 1 ORDER BY id LIMIT 1").get() as typeof member;
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 800 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  tmp?.cleanup();
});

describe('挂失补卡 in Chromium', () => {
  it('one tap from the member card; a clerk PIN is refused; the manager PIN replaces the card; the old code is refused', async () => {
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await scanCode(1);
    await page.waitForSelector('[data-screen="member"] [data-testid="member-card"]');

    await page.click('[data-testid="go-replace-card"]');
    await page.waitForSelector('[data-testid="card-replace-dialog"] [data-testid="card-replace-pin"]');
    const next = desk.terminal.service.replaceCardPreview(member.id).newCardNo;
    expect(await page.textContent('[data-testid="card-replace-cards"]')).toBe(`${member.card_no} → ${next}`);
    await shot('card-replace-confirm');

    const before = snapshot(db(), MOVING);
    await page.keyboard.type('2345'); // 陈磊, a clerk
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-testid="card-replace-dialog"] [data-testid="error"]')).toBe(zh.error('MANAGER_PIN_WRONG', { left: 4 }));
    expect(snapshot(db(), MOVING)).toEqual(before);

    await page.keyboard.type('9999'); // 李娜, the manager
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="card-replace-done"]');
    expect(await page.textContent('[data-testid="card-replace-old"]')).toBe(member.card_no);
    expect(await page.textContent('[data-testid="card-replace-new"]')).toBe(next);
    // No printer is set up in this folder: the dialog says the slip was not printed and where to reprint it.
    expect(await page.textContent('[data-testid="card-replace-print"]')).toBe(zh.t('ui.cardReplace.notPrinted'));
    await shot('card-replace-done');
    expect(db().prepare("SELECT count(*) AS n FROM print_jobs WHERE kind = 'cardReplaced'").get()).toEqual({ n: 1 });
    expect(db().prepare('SELECT card_no, card_serial FROM members WHERE id = ?').get(member.id)).toEqual({ card_no: next, card_serial: 2 });

    await page.click('[data-testid="card-replace-close"]');
    await expect.poll(() => page.textContent('[data-testid="member-card"]')).toContain(next);

    // The old card's code at the scan screen: CARD_SUPERSEDED in the UI's language.
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"], [data-screen="scan"]');
    if (await page.locator('[data-screen="sign-in"]').count()) {
      await page.keyboard.type('1234');
      await page.keyboard.press('Enter');
    }
    await page.waitForSelector('[data-screen="scan"]');
    await scanCode(1);
    await expect.poll(() => page.textContent('[data-testid="error"]')).toBe(zh.error('CARD_SUPERSEDED', {}));
  });

  it("offers the new card's code HQ signed once it is pulled, to a verified member only; the QR on screen reads as that code", async () => {
    const next = (db().prepare('SELECT card_no FROM members WHERE id = ?').get(member.id) as { card_no: string }).card_no;
    // Before the pull: the card (opened with a code of the new card) offers nothing.
    await scanCode(2);
    await page.waitForSelector('[data-screen="member"] [data-testid="member-card"]');
    expect(await page.locator('[data-testid="go-card-code"]').count()).toBe(0);

    // The pull's cardReplaced change, with the code HQ signs for the new serial (the demo folder's HQ key).
    const hq = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    const signed = signCardCode(hq, { mid: member.id, cs: 2, iatMs: Date.now() });
    db().transaction(() =>
      applyChange(db(), 'SH001', { entity: 'cardReplaced', id: member.card_no, seq: 900, deleted: false, data: { memberId: member.id, cardSerial: 1, replacedBy: next, at: Date.now(), code: signed } }, Date.now()),
    )();

    // Verified by a code of the new card (an unverified member is refused by the core:
    // test/terminal/cardReplace.test.ts): the code, drawn large, with the card number.
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await scanCode(2);
    await page.waitForSelector('[data-testid="go-card-code"]:not([disabled])');
    await page.click('[data-testid="go-card-code"]');
    await page.waitForSelector('[data-testid="card-code"] [data-testid="card-code-qr"]');
    expect(await page.textContent('[data-testid="card-code-card-no"]')).toBe(next);
    await shot('card-code');
    expect(await readQrOnScreen()).toBe(signed);
    await page.click('[data-testid="card-code-close"]');
    await expect.poll(() => page.locator('[data-testid="card-code"]').count()).toBe(0);
  });
});

/**
 * The text of the QR code on screen, read from a screenshot of it (test/helpers/readQr.ts: a pure
 * image, read from its own corners). A screenshot taken while a loaded machine is still painting the
 * dialog can miss modules: up to three looks, 300 ms apart; the text read must still be the code.
 */
async function readQrOnScreen(): Promise<string> {
  let last: unknown = null;
  for (let look = 0; look < 3; look++) {
    const png = PNG.sync.read(await page.locator('[data-testid="card-code-qr"]').screenshot());
    const gray = new Uint8ClampedArray(png.width * png.height);
    for (let i = 0; i < gray.length; i++) gray[i] = png.data[i * 4]!;
    try {
      return readPureQr(gray, png.width, png.height);
    } catch (err) {
      last = err;
      await page.waitForTimeout(300);
    }
  }
  throw last;
}

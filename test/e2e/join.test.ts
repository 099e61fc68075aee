// 开卡 end to end in Debian's Chromium against the real web host and a seeded demo folder: from the
// scan screen in one tap, the form (phone twice, name, birthday), a refusal in the UI's language that
// changes nothing, the terms full screen with their version and 同意 (the member's tap), then the new
// member's card. Keyboard only for the second sign-up (Enter submits, the terms' Agree has focus).
// PHONE_TAKEN offers the existing member and opens their card as a phone lookup does (unverified);
// a scanner burst while the form is open fills the referrer field and the sign-up records that member.
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
import { DEMO_TERMS } from '../../src/terminal/demo/terms';
import { tempDir } from '../helpers/demoDb';
import { snapshot } from '../helpers/snapshot';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const zh = createTranslator('zh-CN');
const en = createTranslator('en');

let tmp: ReturnType<typeof tempDir>;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;
const db = () => desk.terminal.db;
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const members = () => (db().prepare('SELECT count(*) AS n FROM members').get() as { n: number }).n;

async function fillForm(f: { phone: string; phoneAgain: string; name: string; birthday?: string }): Promise<void> {
  await page.fill('[data-testid="join-phone"]', f.phone);
  await page.fill('[data-testid="join-phoneAgain"]', f.phoneAgain);
  await page.fill('[data-testid="join-name"]', f.name);
  await page.fill('[data-testid="join-birthday"]', f.birthday ?? '');
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-e2e-join-');
  const dataDir = join(tmp.dir, 'data');
  prepareDeskFolder(dataDir, { members: 100, seed: 'e2e-join' });
  desk = await launchDesk({ dataDir });
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

describe('开卡 in Chromium', () => {
  it('opens from the scan screen in one tap; a mistyped second number is refused in the UI language and nothing changes', async () => {
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('1234');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="join-open"]');
    await page.waitForSelector('[data-screen="join"]');

    const before = snapshot(db(), ['lockouts']);
    await fillForm({ phone: '13512345678', phoneAgain: '13512345679', name: '吴十' });
    await page.click('[data-testid="join-submit"]');
    await expect.poll(() => page.textContent('[data-screen="join"] [data-testid="error"]')).toBe(zh.error('PHONE_MISMATCH', { context: 'typedTwice' }));
    await page.selectOption('[data-testid="lang"]', 'en');
    await page.click('[data-testid="join-submit"]');
    await expect.poll(() => page.textContent('[data-screen="join"] [data-testid="error"]')).toBe(en.error('PHONE_MISMATCH', { context: 'typedTwice' }));
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    // The sentence on screen follows the language: no English left on a Chinese screen.
    await expect.poll(() => page.textContent('[data-screen="join"] [data-testid="error"]')).toBe(zh.error('PHONE_MISMATCH', { context: 'typedTwice' }));
    await shot('join-01-mismatch');
    expect(snapshot(db(), ['lockouts'])).toEqual(before);
  });

  it('shows the terms full screen with their version; the member taps 同意 and the new card opens', async () => {
    const count = members();
    await fillForm({ phone: '13512345678', phoneAgain: '135 1234 5678', name: '吴十', birthday: '05-20' });
    await page.click('[data-testid="join-submit"]');
    await page.waitForSelector('[data-testid="terms-view"]');
    expect(await page.textContent('[data-testid="terms-version"]')).toContain(`${DEMO_TERMS.version}`);
    expect(await page.textContent('[data-testid="terms-text"]')).toContain(DEMO_TERMS.text['zh-CN'].split('\n')[1]!);
    // Full screen: the terms cover the whole window, nothing of the desk around them.
    const box = (await page.locator('[data-testid="terms-view"]').boundingBox())!;
    expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, 1280, 800]);
    expect(members()).toBe(count);
    await shot('join-02-terms');

    await page.click('[data-testid="terms-agree"]');
    await page.waitForSelector('[data-screen="member"]');
    const row = db().prepare("SELECT id, card_no, phone_last4, birthday FROM members WHERE card_no LIKE '8870%'").get() as Record<string, string>;
    expect(row).toMatchObject({ phone_last4: '5678', birthday: '05-20' });
    expect(await page.textContent('[data-screen="member"]')).toContain(row.card_no);
    // 开卡成功 with the new card number, until the next member.
    expect(await page.textContent('[data-testid="joined"]')).toBe(zh.t('ui.join.done', { cardNo: row.card_no }));
    expect(db().prepare('SELECT terms_version AS v, staff_id AS s FROM member_consents WHERE member_id = ?').get(row.id)).toEqual({ v: DEMO_TERMS.version, s: 'clerk-01' });
    await shot('join-03-card');
  });

  it('works from the keyboard alone, and a known phone is refused with the member it belongs to', async () => {
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="join-open"]');
    await fillForm({ phone: '13512345678', phoneAgain: '13512345678', name: '郑一' });
    await page.focus('[data-testid="join-name"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-screen="join"] [data-testid="error"]')).toContain('****5678');

    await fillForm({ phone: '13512340000', phoneAgain: '13512340000', name: '郑一' });
    await page.focus('[data-testid="join-name"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="terms-view"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="member"]');
    expect(db().prepare("SELECT count(*) AS n FROM members WHERE phone_last4 = '0000' AND card_no LIKE '8870%'").get()).toEqual({ n: 1 });
  });

  it('offers the member a known phone belongs to and opens their card unverified, as a phone lookup does', async () => {
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="join-open"]');
    const holder = db().prepare("SELECT id, card_no FROM members WHERE phone_last4 = '5678' AND card_no LIKE '8870%'").get() as { id: string; card_no: string };
    const count = members();
    await fillForm({ phone: '13512345678', phoneAgain: '13512345678', name: '王二' });
    await page.click('[data-testid="join-submit"]');
    await page.waitForSelector('[data-testid="join-open-taken"]');
    expect(await page.textContent('[data-testid="join-open-taken"]')).toBe(zh.t('ui.join.openTaken', { cardNo: holder.card_no }));
    // Another number typed after the refusal: the button still opens the member the refusal named.
    await page.fill('[data-testid="join-phone"]', '13500000000');
    await shot('join-04-phone-taken');
    await page.click('[data-testid="join-open-taken"]');
    await page.waitForSelector('[data-screen="member"]');
    expect(await page.textContent('[data-screen="member"]')).toContain(holder.card_no);
    expect(await page.textContent('[data-testid="verified"]')).toBe(zh.t('ui.member.unverifiedByPhone'));
    expect(members()).toBe(count);
  });

  it('takes a scanner burst while the form is open as the referrer (not the next member); the sign-up records them', async () => {
    await page.click('[data-testid="nav-next"]');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="join-open"]');
    await fillForm({ phone: '13512341111', phoneAgain: '13512341111', name: '冯三' });
    // No referrer yet: no reward shown.
    expect(await page.locator('[data-testid="join-referral-reward"]').count()).toBe(0);
    const referrer = db().prepare("SELECT id, card_serial FROM members WHERE card_no LIKE '8860%' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number };
    const key = privateJwkSchema.parse(JSON.parse(readFileSync(join(desk.prepared.dir, HQ_KEY_FILE), 'utf8')));
    const code = mintCardCode(key, { mid: referrer.id, cs: referrer.card_serial, iat: Math.floor(Date.now() / 1000) - 60 });
    // The cursor is in the name field: the burst lands in the referrer field, not in the name.
    await page.focus('[data-testid="join-name"]');
    await scanWedge(page, code);
    await expect.poll(() => page.inputValue('[data-testid="join-referrer"]')).toBe(code);
    expect(await page.inputValue('[data-testid="join-name"]')).toBe('冯三');
    expect(await page.locator('[data-screen="join"]').count()).toBe(1);
    // With a referrer the form says what both sides get, from this terminal's rules (老带新).
    const { referrerPoints, refereePoints } = desk.terminal.service.deps.rules.referral;
    expect(await page.textContent('[data-testid="join-referral-reward"]')).toBe(`老带新奖励：新会员首次消费后，推荐人得 ${referrerPoints} 积分，新会员得 ${refereePoints} 积分。`);
    await shot('join-05-referrer-scanned');
    await page.click('[data-testid="join-submit"]');
    await page.waitForSelector('[data-testid="terms-view"]');
    await page.click('[data-testid="terms-agree"]');
    await page.waitForSelector('[data-screen="member"]');
    const joined = db().prepare("SELECT c.referrer_id AS r FROM members m JOIN member_consents c ON c.member_id = m.id WHERE m.phone_last4 = '1111' AND m.card_no LIKE '8870%'").get();
    expect(joined).toEqual({ r: referrer.id });
  });
});

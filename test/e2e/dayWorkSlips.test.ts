// 今日业务 lists the day's sign-ups (开卡) and lost-card replacements (挂失补卡) beside the operations,
// in Debian's Chromium against the real web host, a seeded demo folder and the fake printer (a real
// TCP server): a clerk signs a member up, replaces their card with the manager's PIN, opens 今日业务,
// sees both rows — kind in the UI's language, the member masked, no void offered (they are not
// operations) — and reprints both: the printer gets each slip again, marked as a reprint. At 1024×768
// and 1280×800 (screens: test-output/e2e/daywork-slips-*.png).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import type { FakePrinter } from '../../src/print/fakePrinter/server';
import { signIn, startWalk, type Walk } from './deskWalk';
import { layoutProblems, VIEWPORTS } from './layoutCheck';
import { keepShot } from './shots';

const zh = createTranslator('zh-CN');
const en = createTranslator('en');
const NAME = '欧阳春花';

let walk: Walk;
let desk: DeskLaunch;
let printer: FakePrinter;
let page: Page;
const db = () => desk.terminal.db;

/** The text of every slip the fake printer has cut, in order. */
const printed = (): string[] => printer.receipts.map((r) => r.lines.join('\n'));

beforeAll(async () => {
  walk = await startWalk('dayslips', { printer: true, members: 40, viewport: VIEWPORTS[1] });
  ({ desk, page } = walk);
  printer = walk.printer!;
}, 120_000);

afterAll(async () => {
  await walk?.close();
});

describe('今日业务 with sign-ups and card replacements', () => {
  it('lists a sign-up and a replacement, masked and labelled, with no void, and reprints both to the printer', async () => {
    await signIn(walk, '1234'); // 王芳, a clerk

    // 开卡: the new member's card opens, and their slip prints.
    await page.click('[data-testid="join-open"]');
    await page.fill('[data-testid="join-phone"]', '13598761234');
    await page.fill('[data-testid="join-phoneAgain"]', '13598761234');
    await page.fill('[data-testid="join-name"]', NAME);
    await page.click('[data-testid="join-submit"]');
    await page.click('[data-testid="terms-agree"]');
    await page.waitForSelector('[data-screen="member"] [data-testid="member-card"]');
    await expect.poll(() => printed().filter((p) => p.includes(zh.t('receipt.memberJoined.title'))).length).toBe(1);

    // 挂失补卡 of the same member, the manager's PIN on the pad.
    await page.click('[data-testid="go-replace-card"]');
    await page.waitForSelector('[data-testid="card-replace-dialog"] [data-testid="card-replace-pin"]');
    await page.keyboard.type('9999'); // 李娜, the manager
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="card-replace-done"]');
    // A printer is set up here: the slip went to it.
    expect(await page.textContent('[data-testid="card-replace-print"]')).toBe(zh.t('ui.cardReplace.printed'));
    await expect.poll(() => printed().filter((p) => p.includes(zh.t('receipt.cardReplaced.title'))).length).toBe(1);
    await page.click('[data-testid="card-replace-close"]');

    const listed = desk.terminal.service.recentOperations(10);
    const joined = listed.find((o) => o.kind === 'memberJoined')!;
    const replaced = listed.find((o) => o.kind === 'cardReplaced')!;
    const member = db().prepare('SELECT id FROM members WHERE phone_last4 = ?').get('1234') as { id: string };
    expect(joined).toMatchObject({ memberId: member.id, maskedName: '欧***', voided: false, printStatus: 'printed' });
    expect(replaced).toMatchObject({ memberId: member.id, maskedName: '欧***', voided: false, printStatus: 'printed' });

    await page.click('[data-testid="nav-ops"]');
    await page.waitForSelector('[data-screen="operations"]');
    const joinRow = page.locator(`[data-testid="op-${joined.opId}"]`);
    const replaceRow = page.locator(`[data-testid="op-${replaced.opId}"]`);
    await joinRow.waitFor();
    expect(await joinRow.locator('.op-kind').textContent()).toBe('开卡');
    expect(await replaceRow.locator('.op-kind').textContent()).toBe('挂失补卡');
    for (const row of [joinRow, replaceRow]) {
      expect(await row.locator('.op-what').textContent()).toBe('欧***');
      expect(await row.textContent()).not.toContain(NAME);
      expect(await row.locator('[data-testid="op-void"]').count()).toBe(0);
    }
    for (const vp of VIEWPORTS) {
      await page.setViewportSize(vp);
      await page.evaluate(() => document.fonts.ready);
      await keepShot(page, 'daywork-slips');
      expect(await layoutProblems(page), `${vp.width}x${vp.height}`).toEqual([]);
    }

    // 补打 both: each slip reaches the printer again, marked as a reprint, the member masked.
    const before = printer.receipts.length;
    await joinRow.locator('[data-testid="op-reprint"]').click();
    await expect.poll(() => printer.receipts.length).toBe(before + 1);
    await replaceRow.locator('[data-testid="op-reprint"]').click();
    await expect.poll(() => printer.receipts.length).toBe(before + 2);
    const [joinCopy, replaceCopy] = printed().slice(before);
    expect(joinCopy).toContain(zh.t('receipt.memberJoined.title'));
    expect(joinCopy).toContain(zh.t('receipt.copy'));
    expect(joinCopy).toContain(joined.opId.slice(0, 8));
    expect(replaceCopy).toContain(zh.t('receipt.cardReplaced.title'));
    expect(replaceCopy).toContain(zh.t('receipt.copy'));
    for (const slip of [joinCopy!, replaceCopy!]) {
      expect(slip).toContain('欧***');
      expect(slip).not.toContain(NAME);
      expect(slip).not.toContain('13598761234');
    }
    await expect.poll(() => page.textContent('.note.ok')).toBe(zh.t('ui.receipt.reprinted'));
    // Both stay listed once (a reprint is not another sign-up), still without a void.
    expect(desk.terminal.service.recentOperations(10).filter((o) => o.kind === 'memberJoined' || o.kind === 'cardReplaced')).toHaveLength(2);

    // The kinds in English too.
    await page.selectOption('[data-testid="lang"]', 'en');
    await expect.poll(() => joinRow.locator('.op-kind').textContent()).toBe(en.t('opKind.memberJoined'));
    expect(await replaceRow.locator('.op-kind').textContent()).toBe(en.t('opKind.cardReplaced'));
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
  });
});

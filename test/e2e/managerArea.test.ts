// The manager area and the browser around the desk (issue 18 items 7, 9, 11), in Chromium against
// the real web host with the fake printer: a voided earn shows on the Z-report as the points it took
// back, never "¥0.00"; printing the Z-report answers with a sentence, not a byte count; the KPI page
// draws every chart with no CSP violation (counted by the page's securitypolicyviolation events and
// Chromium's console); the browser's Back never leaves the desk for a blank page; the settings and
// staff tabs and the manager's PIN pad are laid out as a form at 1024×768 and 1280×800.
// Screenshots: test-output/e2e/manager-area-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../src/i18n';
import { layoutProblems } from './layoutCheck';
import { presentMember, signIn, startWalk, type Walk } from './deskWalk';

const zh = createTranslator('zh-CN');
let walk: Walk;
const violations: string[] = [];

beforeAll(async () => {
  walk = await startWalk('manager-area', { printer: true });
  // Every CSP violation the page meets, from the page itself and from Chromium's console.
  await walk.page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber}`));
  });
  walk.page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
}, 120_000);
afterAll(async () => walk?.close());

const pageViolations = () => walk.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

describe('the manager area in Chromium', () => {
  it('shows a voided earn on the Z-report as the points it took back, and says where the printed report is', async () => {
    const { page, desk } = walk;
    const member = desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string; card_serial: number };
    const earned = desk.terminal.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'general', amountFen: 2_580_000 }], approverId: 'mgr-01' });
    desk.terminal.service.voidOperation({ opId: earned.opId, staffId: 'clerk-01', approverId: 'mgr-01' });

    await signIn(walk, '9999');
    await page.click('[data-testid="nav-manager"]');
    await page.click('[data-testid="tab-zReport"]');
    await page.waitForSelector('[data-testid="zreport-tab"] [data-testid="z-void"]');
    const lines = await page.locator('[data-testid="z-void"]').allTextContents();
    expect(lines).toContain(`${zh.t('opKind.earn')} -${earned.points.toLocaleString('en-US')} 积分 — 审批人 李娜`);
    expect(lines.join('\n')).not.toContain('¥0.00');
    await walk.shot('manager-area-z-report');

    await page.click('[data-testid="z-print"]');
    await page.waitForSelector('[data-testid="z-note"]');
    expect(await page.textContent('[data-testid="z-note"]')).toBe(zh.t('manager.z.printed'));
    expect(await page.textContent('[data-testid="z-note"]')).not.toMatch(/\d+ ?字节|bytes/);
  });

  it('draws every KPI chart with no CSP violation', async () => {
    const { page } = walk;
    await signIn(walk, '9999');
    await page.click('[data-testid="nav-manager"]');
    await page.click('[data-testid="tab-kpis"]');
    await page.waitForSelector('[data-testid="kpis"]');
    for (const chart of ['redemptionsPerDay', 'byTier', 'usageRate', 'pointsPerWeek', 'winBack']) {
      await page.waitForSelector(`[data-testid="chart-${chart}"] svg path`, { state: 'attached' });
      // A tooltip, as a manager's pointer brings it up.
      const box = (await page.locator(`[data-testid="chart-${chart}"]`).boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    }
    await page.waitForTimeout(300);
    await walk.shot('manager-area-kpis');
    expect(await pageViolations()).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('keeps Back inside the desk: a step back, never a blank page', async () => {
    const { page, desk } = walk;
    const member = desk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' ORDER BY id LIMIT 1 OFFSET 3").get() as { id: string; card_serial: number };
    await signIn(walk, '1234');
    await presentMember(walk, member);
    await page.click('[data-testid="go-earn"]');
    await page.waitForSelector('[data-screen="earn"]');
    await page.goBack();
    await page.waitForSelector('[data-screen="member"]');
    await page.goBack();
    await page.waitForSelector('[data-screen="scan"]');
    // Back on the first screen, again and again: still the desk.
    for (let i = 0; i < 3; i++) {
      await page.goBack().catch(() => null);
      await page.waitForSelector('[data-screen="scan"]');
    }
    expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await walk.shot('manager-area-back');
  });

  it.each([
    { width: 1024, height: 768 },
    { width: 1280, height: 800 },
  ])('lays out the settings, staff and the manager PIN pad at $width×$height', async (vp) => {
    const { page } = walk;
    await page.setViewportSize(vp);
    await signIn(walk, '1234');
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"] [data-testid="manager-pin"]');
    await walk.shot(`manager-area-gate-${vp.width}`);
    // The gate's pad is centred like the sign-in pad.
    const pad = (await page.locator('[data-screen="manager-gate"] [data-testid="manager-pin"]').boundingBox())!;
    const screen = (await page.locator('[data-screen="manager-gate"]').boundingBox())!;
    expect(Math.abs(pad.x + pad.width / 2 - (screen.x + screen.width / 2))).toBeLessThan(24);
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    for (const tab of ['staff', 'settings']) {
      await page.click(`[data-testid="tab-${tab}"]`);
      await page.waitForSelector(`[data-testid="${tab}"]`);
      await page.evaluate(() => document.fonts.ready);
      await walk.shot(`manager-area-${tab}-${vp.width}`);
      expect(await layoutProblems(page), tab).toEqual([]);
      // Each label sits on one line, above its own box, and close to it.
      const labels = await page.$$eval(`[data-testid="${tab}"] .field`, (fields) =>
        fields.map((f) => {
          const label = f.querySelector('.field-label')!.getBoundingClientRect();
          const box = f.querySelector('input, select')!.getBoundingClientRect();
          const line = parseFloat(getComputedStyle(f.querySelector('.field-label')!).lineHeight) || 28;
          return { text: f.textContent, oneLine: label.height <= line * 1.3, above: label.bottom <= box.top + 1 && box.top - label.bottom < 16, aligned: Math.abs(label.left - box.left) < 2 };
        }),
      );
      expect(labels.length, tab).toBeGreaterThan(1);
      expect(labels.filter((l) => !l.oneLine || !l.above || !l.aligned), tab).toEqual([]);
    }
    // The staff table has room: every cell at least 40 px tall.
    await page.click('[data-testid="tab-staff"]');
    const cells = await page.$$eval('[data-testid="staff"] td', (tds) => tds.map((td) => td.getBoundingClientRect().height));
    expect(Math.min(...cells)).toBeGreaterThanOrEqual(40);
  });

  it('words the gate’s refusal again when the language is switched (kept as code and parameters, not as a sentence)', async () => {
    const { page } = walk;
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(walk, '1234');
    await page.click('[data-testid="nav-manager"]');
    await page.waitForSelector('[data-screen="manager-gate"] [data-testid="manager-pin"]');
    // A PIN that is no manager's: one refusal, far from the lock-out.
    await page.keyboard.type('4321');
    await page.keyboard.press('Enter');
    const note = page.locator('[data-screen="manager-gate"] [data-testid="error"]');
    await note.waitFor();
    const zhText = (await note.textContent()) ?? '';
    expect(zhText).toMatch(/[\u3400-\u9fff]/);
    await page.selectOption('[data-testid="lang"]', 'en');
    await expect.poll(async () => (await note.textContent()) ?? '', { timeout: 5_000 }).not.toMatch(/[\u3400-\u9fff]/);
    expect(await note.textContent()).toMatch(/^[A-Z].*[.!?]$/);
    await page.selectOption('[data-testid="lang"]', 'zh-TW');
    await expect.poll(async () => (await note.textContent()) ?? '', { timeout: 5_000 }).toMatch(/[\u3400-\u9fff]/);
    expect(await note.textContent()).not.toBe(zhText);
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    await expect.poll(async () => (await note.textContent()) ?? '', { timeout: 5_000 }).toBe(zhText);
  });
});

// Why HQ refused, on the manager's 冲突 tab, in Debian's Chromium against the real web host and a real
// HQ (src/hq on PGlite, in-process, on loopback) the desk is enrolled with: the desk takes an ¥8,000
// earn under its rules; HQ, which lowered its cap for one earn to ¥5,000 before the desk synced,
// refuses it at the day-end (earn_refused, detail { reason: amount_cap, amountFen, capFen }); the tab
// says so in zh-CN under the conflict, with both amounts and what to do, and no English. Screenshot:
// test-output/e2e/conflict-reason.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, seedDemoAtHq } from '../../src/cli/commands/hqAdmin';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { startHq, type RunningHq } from '../../src/hq/server';
import { createTranslator } from '../../src/i18n';
import { DEFAULT_RULES } from '../../src/loyalty/rules';
import { openStore } from '../../src/store/open';
import { enrollTerminal } from '../../src/syncClient/enroll';
import { syncOnce } from '../../src/syncClient/syncRun';
import { DEMO_STORE } from '../../src/terminal/demo/catalog';
import { tempDir } from '../helpers/demoDb';
import { CHROMIUM_FLAGS } from './deskFolder';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const ADMIN_TOKEN = 'e2e-admin-token';
const zh = createTranslator('zh-CN');

let tmp: ReturnType<typeof tempDir>;
let hq: RunningHq;
let desk: DeskLaunch;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  tmp = tempDir('ld-e2e-conflict-reason-');
  const [, started] = await Promise.all([ensureRenderer(REPO_ROOT, RENDERER_DIR), startHq({ adminToken: ADMIN_TOKEN, onError: () => undefined })]);
  hq = started;
  const admin = adminClient(hq.url, ADMIN_TOKEN);
  await seedDemoAtHq(admin, { members: 20, seed: 'e2e-conflict', now: Date.now(), hqKeyFile: join(tmp.dir, 'hq-key.json') }, () => undefined);
  const { code } = (await admin('POST', '/v1/admin/enrollment-codes', { storeId: DEMO_STORE.id })) as { code: string };
  const dataDir = join(tmp.dir, 't1');
  await enrollTerminal({ dbPath: join(dataDir, 'desk.db'), hqUrl: hq.url, code });
  const { db } = openStore(join(dataDir, 'desk.db'), { create: false });
  try {
    await syncOnce(db);
  } finally {
    db.close();
  }
  desk = await launchDesk({ dataDir, printerUri: null });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 800 } });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  await hq?.close();
  tmp?.cleanup();
});

describe("HQ's reason on the 冲突 tab in Chromium", () => {
  it('says in zh-CN why HQ refused an earn: over its cap, with both amounts and what to do', async () => {
    // The background sync's first round (at launch) is over, and its next one is far enough away
    // that the earn below reaches HQ only through the day-end, after HQ lowered its cap.
    const sync = desk.runtime.desk()!.sync!;
    await expect.poll(() => sync.state().lastSyncAt !== null && !sync.state().syncing, { timeout: 15_000 }).toBe(true);
    expect(sync.state().nextAttemptAt! - Date.now()).toBeGreaterThan(10_000);
    const member = desk.terminal.db.prepare("SELECT id FROM members WHERE status = 'active' ORDER BY id LIMIT 1").get() as { id: string };
    const earned = desk.terminal.service.earn({ memberId: member.id, staffId: 'clerk-01', lines: [{ category: 'apparel', amountFen: 800_000 }] });
    await adminClient(hq.url, ADMIN_TOKEN)('PUT', '/v1/admin/rules', {
      ...DEFAULT_RULES,
      version: DEFAULT_RULES.version + 1,
      earn: { ...DEFAULT_RULES.earn, approvalAboveFen: 300_000, refuseAboveFen: 500_000 },
    });

    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type('9999');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    await page.click('[data-testid="nav-manager"]');
    await page.click('[data-testid="dayend-start"]');
    await page.click('[data-testid="dayend-confirm"]');
    await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 40_000 });
    expect(await page.getAttribute('[data-testid="dayend-result"]', 'data-state')).toBe('synced');

    await page.click('[data-testid="tab-conflicts"]');
    const row = page.locator('[data-testid="conflicts"] li.conflict', { hasText: zh.t('manager.conflictKind.earn_refused') });
    await row.waitFor();
    const stored = desk.terminal.db.prepare("SELECT op_id, detail_json FROM sync_conflicts WHERE kind = 'earn_refused'").all() as { op_id: string; detail_json: string }[];
    expect(stored.map((c) => [c.op_id, JSON.parse(c.detail_json)])).toEqual([[earned.opId, { reason: 'amount_cap', amountFen: 800_000, capFen: 500_000 }]]);
    const reason = row.locator('[data-testid="conflict-reason"]');
    expect(await reason.getAttribute('data-reason')).toBe('amount_cap');
    const said = await reason.textContent();
    expect(said).toBe('消费金额 ¥8,000.00 超过总部单笔积分上限 ¥5,000.00，未积分。如消费属实，请联系总部补积分。');
    expect(said).toBe(zh.t('manager.conflictReason.earn_refused.amount_cap', { amount: '¥8,000.00', cap: '¥5,000.00' }));
    expect(await row.textContent()).toContain(`总部决定：${zh.t('manager.decision.refused')}`);
    // The operation is said as what it was: an earn with its purchase amount and points (an earn's value is ¥0.00).
    const line = await row.locator('[data-testid="conflict-op"]').textContent();
    expect(line).toMatch(new RegExp(`^本次操作：.* · ${zh.t("opKind.earn")} ¥8,000\\.00 · \\+[\\d,]+ 积分$`, "u"));
    // Chinese labels take the full-width colon.
    expect(await page.locator('[data-testid="conflicts"]').innerText()).not.toMatch(/[\u4e00-\u9fff]: /u);
    // Nothing of HQ's English on the tab: no kind, reason or field name shown raw.
    expect(await page.locator('[data-testid="conflicts"]').innerText()).not.toMatch(/earn_refused|amount_cap|amountFen|capFen/u);
    await page.screenshot({ path: join(SHOTS, 'conflict-reason.png'), fullPage: true });
  }, 90_000);
});

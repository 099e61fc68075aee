// Setup from the UI end to end (issue 19 item 1): Debian's Chromium against the web host started on
// an empty data folder without demo data, a real HQ (PGlite) and the fake printer (a real TCP
// server). Wrong code → its sentence; right code → the first sync's progress → the printer's test
// page reaches the fake printer → a wedge burst read at the scanner step → the desk's sign-in with a
// staff PIN that came from HQ; the recovery key shown once, printed and kept (and never logged); the
// check-up's backups. Each step is checked at 1024×768 and 1280×800 (every button on screen).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { createTranslator } from '../../src/i18n';
import { backupFolderFor } from '../../src/store/backup';
import { acquireBackupLock } from '../../src/store/backupLock';
import { listDailyBackups } from '../../src/store/backupRotation';
import { recordBackupFailure } from '../../src/store/opsFailures';
import { startFakePrinter, type FakePrinter } from '../../src/print/fakePrinter/server';
import { DEMO_STAFF } from '../../src/terminal/demo/catalog';
import { CONFIG_FILE } from '../../src/terminal/operations/config';
import { seedHq, startTestHq, type TestHq } from '../hq/harness';
import { tempDir } from '../helpers/demoDb';
import { CHROMIUM_FLAGS, prepareDeskFolder } from './deskFolder';
import { scanWedge } from '../../src/bench/wedgeScanner';

const SHOTS = join(REPO_ROOT, 'test-output', 'e2e');
const tr = createTranslator('zh-CN');
const CLERK = DEMO_STAFF.find((s) => s.role === 'clerk')!;
const MANAGER = DEMO_STAFF.find((s) => s.role === 'manager')!;

let tmp: ReturnType<typeof tempDir>;
let hq: TestHq;
let desk: DeskLaunch;
let printer: FakePrinter;
let browser: BrowserContext;
let page: Page;
let slow: { url: string; server: Server };

/**
 * HQ as a store sees it over a slow line: every pull page answered 400 ms late, so the screen's
 * progress can be watched page by page. Loopback only; bodies are small JSON.
 */
async function slowHq(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${target}${req.url}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}), signal: AbortSignal.timeout(30_000) });
        const text = await answer.text();
        if (req.url?.startsWith('/v2/sync/pull')) await new Promise((r) => setTimeout(r, 400));
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

const recoveryKeys: string[] = [];

/** The recovery key on screen, three groups a line, read back in its printed form. */
async function shownKey(): Promise<string> {
  await page.waitForSelector('[data-testid="recovery-key"]');
  const rows = await page.locator('[data-testid="recovery-key"] span').allTextContents();
  return rows.join(' ').trim().split(/\s+/).join('-');
}

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const text = (testId: string) => page.textContent(`[data-testid="${testId}"]`);

/** Every shown button inside the window and nothing wider than it, at both desk sizes. */
async function fitsBothSizes(): Promise<void> {
  for (const size of [{ width: 1024, height: 768 }, { width: 1280, height: 800 }]) {
    await page.setViewportSize(size);
    const problems = await page.evaluate(() => {
      const out: string[] = [];
      if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page is ${document.documentElement.scrollWidth} px wide`);
      for (const b of document.querySelectorAll('button')) {
        const r = b.getBoundingClientRect();
        if (r.width === 0) continue;
        if (r.left < 0 || r.top < 0 || r.right > window.innerWidth + 0.5 || r.bottom > window.innerHeight + 0.5) out.push(`button "${(b.textContent ?? '').trim()}" off screen`);
      }
      return out;
    });
    expect(problems, `${size.width}×${size.height}`).toEqual([]);
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-setup-e2e-');
  hq = await startTestHq('pglite');
  // Enough members for the first sync to take several pages (2,000 rows a page).
  await seedHq(hq, tmp.dir, 5_000);
  slow = await slowHq(hq.url);
  printer = await startFakePrinter({ port: 0, out: join(tmp.dir, 'printer') });
  const dataDir = join(tmp.dir, 'data');
  mkdirSync(dataDir, { recursive: true });
  // What IT may write ahead (docs/setup.md): the fake printer's ephemeral port. The scanner keeps the
  // key gap a store ships with.
  writeFileSync(join(dataDir, CONFIG_FILE), JSON.stringify({ printerPorts: printer.allow.ports }));
  desk = await launchDesk({ dataDir, demo: false });
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_FLAGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    viewport: { width: 1280, height: 800 },
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desk?.close();
  await printer?.close();
  await new Promise((r) => slow?.server.close(r));
  await hq?.stop();
  tmp?.cleanup();
});

describe('setting a terminal up in Chromium', () => {
  it('walks language → HQ → printer → scanner → the desk', async () => {
    expect(desk.settingUp).toBe(true);
    await page.goto(desk.host.launchUrl());
    await page.waitForSelector('[data-screen="setup"]');
    await fitsBothSizes();
    await shot('setup-01-lang');
    await page.click('[data-testid="setup-lang-zh-CN"]');
    await page.click('[data-testid="setup-next"]');

    // HQ: a malformed code, a wrong one, then the right one.
    await page.fill('[data-testid="setup-hq-url"]', slow.url);
    await page.fill('[data-testid="setup-hq-code"]', 'ABCD-1234');
    await page.click('[data-testid="setup-enroll"]');
    await expect.poll(() => text('error')).toBe(tr.error('ENROLLMENT_CODE_MALFORMED', {}));
    await page.fill('[data-testid="setup-hq-code"]', 'ZZZZ-ZZZZ-ZZZZ');
    await page.click('[data-testid="setup-enroll"]');
    await expect.poll(() => text('error')).toBe(tr.error('ENROLLMENT_CODE_INVALID', {}));
    expect(await page.isDisabled('[data-testid="setup-next"]')).toBe(true);
    await fitsBothSizes();
    await shot('setup-02-hq-refused');

    const { code } = (await hq.admin('POST', '/v1/admin/enrollment-codes', {})) as { code: string };
    await page.fill('[data-testid="setup-hq-code"]', code);
    await page.click('[data-testid="setup-enroll"]');
    // The progress the screen shows while the first sync runs, watched until it is done.
    const phases = new Set<string>();
    const counts: number[] = [];
    for (let i = 0; i < 600; i++) {
      const phase = await page.getAttribute('[data-testid="setup-progress"]', 'data-phase', { timeout: 100 }).catch(() => null);
      if (phase) phases.add(phase);
      const value = await page.getAttribute('[data-testid="setup-progress"] progress', 'value', { timeout: 100 }).catch(() => null);
      if (value !== null) counts.push(Number(value));
      if (phase === 'done') break;
      await page.waitForTimeout(50);
    }
    expect(phases.has('done')).toBe(true);
    // Page by page: the bar moved through values between empty and full before it was done.
    expect(phases.has('pull'), [...phases].join(',')).toBe(true);
    expect(counts.some((c) => c > 0 && c < 100), counts.join(',')).toBe(true);
    expect(counts.at(-1)).toBe(100);
    await expect.poll(() => text('setup-progress')).toMatch(/已注册为门店 .+ 的终端 .+：从总部接收 \d+ 条数据，\d+ 名店员可以登录。/);
    expect(await page.locator('body').innerText()).not.toContain(code);
    await fitsBothSizes();
    await shot('setup-03-hq-enrolled');
    await page.click('[data-testid="setup-next"]');

    // Printer: the fake printer on the store's PC, its state, a test page that arrives.
    await page.fill('[data-testid="setup-printer-host"]', '127.0.0.1');
    await page.fill('[data-testid="setup-printer-port"]', String(printer.port));
    await page.click('[data-testid="setup-printer-save"]');
    await expect.poll(() => page.getAttribute('[data-testid="setup-printer-state"]', 'data-state')).toBe('ready');
    const before = printer.receipts.length;
    await page.click('[data-testid="setup-printer-test"]');
    await page.waitForSelector('[data-testid="setup-printer-printed"]');
    await expect.poll(() => printer.receipts.length).toBe(before + 1);
    await fitsBothSizes();
    await shot('setup-04-printer');
    await page.click('[data-testid="setup-next"]');

    // Recovery key: shown once in its nine groups, printed on the receipt printer, kept before going on.
    recoveryKeys.push(await shownKey());
    expect(recoveryKeys[0]).toMatch(/^([0-9A-Z]{4}-){8}[0-9A-Z]{4}$/);
    expect(await page.isDisabled('[data-testid="setup-next"]')).toBe(true);
    const beforeSheet = printer.receipts.length;
    await page.click('[data-testid="recovery-print"]');
    await page.waitForSelector('[data-testid="recovery-printed"]');
    await expect.poll(() => printer.receipts.length).toBe(beforeSheet + 1);
    const sheet = printer.receipts.at(-1)!.lines.join('\n');
    expect(sheet).toContain('恢复密钥');
    expect(sheet).toContain(recoveryKeys[0]!.split('-').slice(0, 3).join(' '));
    // Back and forth before it is kept: the wizard keeps the key it was given; the core would not give it twice.
    await page.click('[data-testid="setup-back"]');
    await page.click('[data-testid="setup-next"]');
    expect(await shownKey()).toBe(recoveryKeys[0]);
    await fitsBothSizes();
    await shot('setup-04b-recovery');
    await page.click('[data-testid="recovery-kept"]');
    expect(await page.isDisabled('[data-testid="setup-next"]')).toBe(false);
    // Kept: gone from the screen and from the wizard (back and forth shows only that it was kept).
    await page.waitForSelector('[data-testid="setup-recovery-kept"]');
    expect(await page.$('[data-testid="recovery-key"]')).toBeNull();
    expect(await page.content()).not.toContain(recoveryKeys[0]!.split('-')[4]);
    await page.click('[data-testid="setup-back"]');
    await page.click('[data-testid="setup-next"]');
    expect(await text('setup-recovery-kept')).toBe(tr.t('setup.recovery.keptDone'));
    expect(await page.$('[data-testid="recovery-key"]')).toBeNull();
    await fitsBothSizes();
    await shot('setup-04c-recovery-kept');
    await page.click('[data-testid="setup-next"]');

    // Scanner: a wedge burst is read and shown as read, nothing looked up.
    await page.waitForSelector('[data-testid="setup-scan-read"]');
    await scanWedge(page, 'LD-SETUP-12345678');
    await expect.poll(() => text('setup-scan-code')).toBe('LD-SETUP-12345678');
    expect(await page.getAttribute('[data-testid="setup-scan-read"]', 'data-source')).toBe('wedge');
    await fitsBothSizes();
    await shot('setup-05-scanner');
    await page.click('[data-testid="setup-next"]');

    // The desk: sign-in with a PIN that came from HQ's first sync.
    await page.click('[data-testid="setup-open-desk"]');
    await page.waitForSelector('[data-screen="sign-in"]');
    await page.keyboard.type(CLERK.pin);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-screen="scan"]');
    expect(await text('signed-in')).toContain(CLERK.name);
    await shot('setup-06-desk');
  }, 180_000);

  it('reaches the same steps from the manager area, where enrollment says it is done', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.click('[data-testid="nav-manager"]');
    // The clerk stays signed in; the manager approves the area with their PIN (synced from HQ too).
    await page.waitForSelector('[data-screen="manager-gate"]');
    await page.keyboard.type(MANAGER.pin);
    await page.keyboard.press('Enter');
    await page.click('[data-testid="tab-setup"]');
    await page.waitForSelector('[data-testid="manager-setup"]');
    await page.click('[data-testid="setup-next"]');
    const terminalId = desk.terminal.service.deps.identity.terminalId;
    await expect.poll(() => text('setup-enrolled')).toContain(terminalId);
    expect(await text('setup-enrolled')).toContain('不能再次注册');
    await fitsBothSizes();
    await shot('setup-07-manager-enrolled');
    // The scanner step reads the burst; the desk does not go looking for a member. On the way, the
    // recovery key step says the key was shown already (a manager makes a new one in the check-up).
    await page.click('[data-testid="setup-next"]');
    await page.click('[data-testid="setup-next"]');
    await expect.poll(() => text('setup-recovery-note')).toBe(tr.t('setup.recovery.alreadyShown'));
    expect(await page.$('[data-testid="recovery-key"]')).toBeNull();
    await page.click('[data-testid="setup-next"]');
    await scanWedge(page, '8860000000000010');
    await expect.poll(() => text('setup-scan-code')).toBe('8860000000000010');
    expect(await page.$('[data-testid="manager-setup"]')).not.toBeNull();
    await page.click('[data-testid="setup-next"]');
    await page.click('[data-testid="setup-open-desk"]');
    await page.waitForSelector('[data-testid="dayend"]');
  }, 60_000);

  it('shows backups in the check-up: the last one, back up now, a failing backup as a problem, a new recovery key', async () => {
    const runtime = desk.runtime.desk()!;
    // The daily backup's own check (the timer's first is a minute after start).
    await runtime.backups.check();
    const daily = listDailyBackups(backupFolderFor(runtime.terminal.db.name), desk.terminal.service.deps.identity.terminalId).at(-1)!;
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.click('[data-testid="tab-doctor"]');
    await page.waitForSelector('[data-testid="backups"]');
    expect(await text('backup-last')).toContain(daily.name);
    expect(await text('backup-folder')).toContain(`${join(tmp.dir, 'data')}-backups`);
    await page.click('[data-testid="backup-now"]');
    await expect.poll(() => text('backup-made')).toMatch(/manual-\d{8}T\d{6}Z-/);

    // A daily backup that keeps failing: a problem in the panel and among the findings.
    // The disk is full: said in the reader's language from the closed list, never as ENOSPC or a path.
    recordBackupFailure(runtime.terminal.db, Object.assign(new Error("ENOSPC: no space left on device, write '/home/zhang.wei/data-backups/x'"), { code: 'ENOSPC' }), Date.now());
    await page.click('[data-testid="tab-zReport"]');
    await page.click('[data-testid="tab-doctor"]');
    await expect.poll(() => text('backup-failure')).toContain(tr.error('BACKUP_FAILED', { cause: 'disk_full' }));
    expect(await page.getAttribute('[data-testid="finding-BACKUP_FAILED"]', 'data-severity')).toBe('problem');
    expect(await text('finding-BACKUP_FAILED')).toContain(tr.t('backupCause.disk_full'));
    for (const shown of [await text('backup-failure'), await text('finding-BACKUP_FAILED')]) expect(shown).not.toMatch(/ENOSPC|zhang|no space/);
    await shot('setup-09-backups');

    // The link to the desk breaks as the key is asked for: a sentence, not an unhandled rejection.
    const rejections: string[] = [];
    page.on('pageerror', (e) => rejections.push(e.message));
    await page.route('**/api/manager.recoveryKey', (route) => route.abort());
    await page.click('[data-testid="recovery-renew"]');
    await page.click('[data-testid="recovery-renew-yes"]');
    const panelError = () => page.locator('[data-testid="backups"] > [data-testid="error"]').textContent();
    await expect.poll(panelError).toBe(tr.t('manager.backups.recovery.failed'));
    expect(await page.$('[data-testid="recovery-key"]')).toBeNull();
    expect(rejections).toEqual([]);
    await page.unroute('**/api/manager.recoveryKey');
    // Said again in the language switched to: the panel keeps what went wrong, not the words.
    const en = createTranslator('en');
    await page.selectOption('[data-testid="lang"]', 'en');
    await expect.poll(panelError).toBe(en.t('manager.backups.recovery.failed'));
    await page.selectOption('[data-testid="lang"]', 'zh-CN');
    await expect.poll(panelError).toBe(tr.t('manager.backups.recovery.failed'));
    // Another backup running (its lock held): 立即备份 is refused, and the refusal follows the language too.
    const held = acquireBackupLock(backupFolderFor(runtime.terminal.db.name));
    try {
      await page.click('[data-testid="backup-now"]');
      await expect.poll(panelError).toBe(tr.error('BACKUP_BUSY', {}));
      await page.selectOption('[data-testid="lang"]', 'en');
      await expect.poll(panelError).toBe(en.error('BACKUP_BUSY', {}));
      await page.selectOption('[data-testid="lang"]', 'zh-CN');
      await expect.poll(panelError).toBe(tr.error('BACKUP_BUSY', {}));
    } finally {
      held.release();
    }

    // The paper is lost: a new key, printed, kept; the old one no longer prints.
    await page.click('[data-testid="recovery-renew"]');
    await page.click('[data-testid="recovery-renew-yes"]');
    recoveryKeys.push(await shownKey());
    expect(recoveryKeys[1]).not.toBe(recoveryKeys[0]);
    const before = printer.receipts.length;
    await page.click('[data-testid="recovery-print"]');
    await page.waitForSelector('[data-testid="recovery-printed"]');
    await expect.poll(() => printer.receipts.length).toBe(before + 1);
    expect(printer.receipts.at(-1)!.lines.join('\n')).toContain(recoveryKeys[1]!.split('-').slice(6).join(' '));
    await shot('setup-10-recovery-renewed');
    await page.click('[data-testid="recovery-kept"]');
    await page.waitForSelector('[data-testid="recovery-shown-at"]');
    expect(await page.$('[data-testid="recovery-key"]')).toBeNull();
  }, 60_000);

  it('never writes a recovery key to the logs', async () => {
    const dir = join(tmp.dir, 'data', 'logs');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    const all = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    // The calls that made and printed them are there (the test can see the log), the keys are not.
    expect(all).toContain('manager.printRecoveryKey');
    expect(recoveryKeys).toHaveLength(2);
    for (const key of recoveryKeys) {
      for (const form of [key, key.replace(/-/g, ''), key.split('-').slice(0, 3).join(' '), key.split('-')[4]!]) expect(all).not.toContain(form);
    }
  });
});

describe('the demo desk’s day-end', () => {
  it('leads from "本终端尚未在总部注册" to setup, which says it is the demo', async () => {
    const dataDir = join(tmp.dir, 'demo');
    prepareDeskFolder(dataDir, { members: 40, seed: 'setup-demo' });
    const demo = await launchDesk({ dataDir, printerUri: null });
    try {
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(demo.host.launchUrl());
      await page.waitForSelector('[data-screen="sign-in"]');
      await page.keyboard.type(MANAGER.pin);
      await page.keyboard.press('Enter');
      await page.click('[data-testid="nav-manager"]');
      await page.click('[data-testid="dayend-start"]');
      await page.click('[data-testid="dayend-confirm"]');
      await page.waitForSelector('[data-testid="dayend-result"]', { timeout: 30_000 });
      // Not "sent later": closed here, and nothing goes to HQ until setup enrolls the terminal.
      expect(await page.getAttribute('[data-testid="dayend-result"]', 'data-state')).toBe('not-enrolled');
      expect(await text('dayend-result')).toContain(tr.t('manager.dayEnd.notEnrolled', { date: await page.getAttribute('[data-testid="zreport"]', 'data-date'), number: 1 }));
      await page.click('[data-testid="dayend-setup"]');
      await page.click('[data-testid="setup-next"]');
      await expect.poll(() => text('setup-enrolled')).toBe(tr.t('setup.hq.demo'));
      await shot('setup-08-demo');
    } finally {
      await demo.close();
    }
  }, 90_000);
});

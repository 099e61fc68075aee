// A serial scanner at the kiosk: the kiosk host reads config.json scanner.serial through the desk's
// wiring (src/runtime/serialWiring.ts) and pushes each code to the kiosk page (/api/scans), which
// submits it through kiosk.scan. Over a real pty pair (socat) and Debian's Chromium: a member card
// code sent by the "scanner" opens that member's page; a card number sent while the page is open
// replaces it with the kiosk's refusal (the one scan path, whatever screen is showing).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchKiosk, type KioskLaunch } from '../../src/host/kioskLaunch';
import { RENDERER_DIR, REPO_ROOT } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { createTranslator } from '../../src/i18n';
import { kioskRefusal } from '../../src/i18n/kiosk-words';
import { deskConfigSchema, scannerConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import type { RunningHost } from '../../src/host/server';
import { tempDir } from '../helpers/demoDb';
import { send } from '../host/helpers';
import { cardCode, hqKeyOf } from '../scan/fixtures';

const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let tmp: ReturnType<typeof tempDir>;
let socat: ChildProcess;
let device: string;
let kiosk: KioskLaunch;
let browser: BrowserContext;
let page: Page;

async function waitFor(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The scanner sends a line, as a serial QR scanner does after a read. */
function scannerSends(line: string): void {
  const fd = openSync(device, 'w');
  writeSync(fd, `${line}\r\n`);
  closeSync(fd);
}

beforeAll(async () => {
  await ensureRenderer(REPO_ROOT, RENDERER_DIR);
  tmp = tempDir('ld-kiosk-serial-');
  device = join(tmp.dir, 'scanner');
  const port = join(tmp.dir, 'ttyScanner');
  socat = spawn('/usr/bin/socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${port}`], { stdio: 'ignore' });
  await waitFor('socat links', () => existsSync(device) && existsSync(port));
  const dataDir = join(tmp.dir, 'data');
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 120, seed: 'kiosk-serial', now: Date.now() });
  // No wedge: every code in this test comes over the serial port.
  writeConfig(dataDir, {
    ...deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }),
    scanner: scannerConfigSchema.parse({ wedge: { enabled: false }, serial: { port, baud: 9600 } }),
  });
  kiosk = await launchKiosk({ dataDir, printerUri: null, kiosk: { idleSeconds: 120 } });
  await waitFor('the serial port open', () => kiosk.scanner().serial.state === 'connected');
  browser = await chromium.launchPersistentContext(join(tmp.dir, 'profile'), { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1080, height: 1920 } });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(15_000);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.close();
  socat?.kill('SIGTERM');
  tmp?.cleanup();
});

describe('a serial scanner at the kiosk', () => {
  it('opens the member page for a card code sent over the serial port', async () => {
    const listening = page.waitForResponse((r) => r.url().endsWith('/api/scans'));
    await page.goto(kiosk.host.launchUrl());
    await page.waitForSelector('[data-screen="attract"]');
    await listening;
    const m = kiosk.terminal.db.prepare("SELECT id, card_serial FROM members WHERE status = 'active' AND tier = 'advanced' ORDER BY id LIMIT 1").get() as {
      id: string;
      card_serial: number;
    };
    const card = kiosk.terminal.service.memberCard({ memberId: m.id });
    scannerSends(cardCode(hqKeyOf(kiosk.prepared.dir), m.id, m.card_serial, Date.now()));
    await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]');
    const zh = createTranslator('zh-CN');
    expect(await page.textContent('[data-testid="kiosk-tier"]')).toBe(zh.tier(card.tier.code));
    expect(await page.textContent('[data-testid="kiosk-points"]')).toBe(`${card.points.balance.toLocaleString('en-US')}积分`);
  });

  it('takes a serial scan while a page is open: the new scan replaces it (here with the refusal)', async () => {
    scannerSends('8860000000000036');
    await page.waitForSelector('[data-screen="refused"]');
    expect(await page.textContent('[data-testid="refused-message"]')).toBe(kioskRefusal(createTranslator('zh-CN'), 'KIOSK_CODE_REQUIRED', {}).message);
    expect(await page.$('[data-testid="kiosk-points"]')).toBeNull();
  });

  it('pushes codes only to a kiosk session: /api/scans without the session cookie is refused', async () => {
    const r = await send(kiosk.host as unknown as RunningHost, '/api/scans');
    expect(r.status).toBe(401);
    expect(r.body).not.toContain('8860000000000036');
  });
});

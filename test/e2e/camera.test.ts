// The camera end to end with real frames: Chromium's fake capture device plays a Y4M file whose
// picture is a real QR of a demo member's signed card code. At the desk: sign in, "scan with the
// camera" → the viewfinder → the decode worker (zxing-wasm, its WebAssembly fetched from the desk's
// own host and compiled under the desk's CSP) → scan.submit → the member card. At the kiosk (camera
// on in kiosk.json): the always-on viewfinder → the member page. The camera chosen in config.json
// (scanner.camera.deviceId) reaches the desk's viewfinder; a missing one is said in words and the
// default camera is used. A decoder that cannot load (or never finishes loading) is the camera
// state `decoder-error`, in words.
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DECODER_LOAD_MS } from '../../renderer/scan/cameraScanner';
import { KIOSK_CAMERA_RETRY_MS } from '../../renderer/kiosk/KioskCamera';
import { launchKiosk, type KioskLaunch } from '../../src/host/kioskLaunch';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { createTranslator } from '../../src/i18n';
import type { Lang } from '../../src/loyalty/types';
import { deskConfigSchema, readConfig, scannerConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { tempDir } from '../helpers/demoDb';
import { cardCode, hqKeyOf } from '../scan/fixtures';
import { FAKE_CAMERA_FLAGS, writeQrY4m } from './fakeCamera';
import { shotIfFailed } from './shots';

/** How long a frame may take to be read on a loaded 2-core box (a bound, not a speed check). */
const DECODE_WAIT = { timeout: 45_000 };
const BASE_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Member {
  id: string;
  card_serial: number;
}

const open: { close(): Promise<unknown> }[] = [];
/** The page under test, photographed (with its text) when a test fails. */
let current: Page | null = null;
const cleanups: (() => void)[] = [];
afterEach(async (ctx) => {
  await shotIfFailed(current, ctx, 'camera');
  current = null;
  for (const o of open.splice(0).reverse()) await o.close();
});
beforeAll(() => ensureRenderer(REPO_ROOT, RENDERER_DIR), 240_000);
afterAll(() => cleanups.forEach((c) => c()));

function folder(name: string, seed: string): string {
  const t = tempDir(`ld-e2e-camera-${name}-`);
  cleanups.push(t.cleanup);
  const dataDir = join(t.dir, 'data');
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 120, seed, now: Date.now() });
  writeConfig(dataDir, deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }));
  return dataDir;
}

function setCamera(dataDir: string, deviceId: string | null): void {
  const config = readConfig(dataDir)!;
  writeConfig(dataDir, { ...config, scanner: scannerConfigSchema.parse({ ...config.scanner, camera: { deviceId } }) });
}

/** Chromium whose only camera shows the given code. */
async function browserShowing(dataDir: string, code: string): Promise<{ browser: BrowserContext; page: Page }> {
  const y4m = join(dataDir, '..', 'qr.y4m');
  await writeQrY4m(y4m, code);
  const browser = await chromium.launchPersistentContext(join(dataDir, '..', `profile-${open.length}`), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...BASE_FLAGS, ...FAKE_CAMERA_FLAGS(y4m)],
    viewport: { width: 1280, height: 900 },
  });
  open.push(browser);
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20_000);
  return { browser, page };
}

function memberOf(db: DeskLaunch['terminal']['db'], where: string): Member {
  return db.prepare(`SELECT id, card_serial FROM members WHERE ${where} ORDER BY id LIMIT 1`).get() as Member;
}

/** The desk, and Chromium whose camera shows `codeFor(desk)`, signed in as the demo clerk. */
async function deskSignedIn(dataDir: string, codeFor: (desk: DeskLaunch) => string, lang: Lang = 'zh-CN'): Promise<{ desk: DeskLaunch; page: Page }> {
  const desk = await launchDesk({ dataDir, printerUri: null });
  open.push(desk);
  const { page } = await browserShowing(dataDir, codeFor(desk));
  current = page;
  await page.goto(desk.host.launchUrl());
  await page.waitForSelector('[data-screen="sign-in"]');
  if (lang !== 'zh-CN') await page.selectOption('[data-testid="lang"]', lang);
  await page.keyboard.type('1234');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-screen="scan"]');
  return { desk, page };
}

describe('the camera with real frames', () => {
  it('desk: the default camera reads a member card code and opens the member card', async () => {
    const dataDir = folder('desk', 'camera-desk');
    const picked: Member[] = [];
    const { desk, page } = await deskSignedIn(dataDir, (d) => {
      const one = memberOf(d.terminal.db, "status = 'active' AND tier = 'advanced'");
      picked.push(one);
      return cardCode(hqKeyOf(dataDir), one.id, one.card_serial, Date.now());
    });
    const m = picked[0]!;
    const card = desk.terminal.service.memberCard({ memberId: m.id });

    // Every request the page and its worker make (the decoder's .wasm among them) stays on this host.
    const requested: string[] = [];
    page.context().on('request', (r) => void requested.push(r.url()));
    expect(await page.textContent('[data-testid="camera-toggle"]')).toBe('用摄像头扫码');
    await page.click('[data-testid="camera-toggle"]');
    await page.waitForSelector('[data-screen="member"] [data-testid="verified"]:text("已通过会员码验证")', DECODE_WAIT);
    const origin = new URL(page.url()).origin;
    expect(requested.filter((u) => u.endsWith('.wasm'))).toEqual([expect.stringMatching(new RegExp(`^${origin}/assets/zxing_reader-[\\w-]+\\.wasm$`))]);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !/^(data|blob):/.test(u))).toEqual([]);
    expect(await page.textContent('[data-testid="tier-badge"]')).toBe(createTranslator('zh-CN').tier(card.tier.code));
    expect(await page.getAttribute('[data-testid="points-balance"]', 'data-points')).toBe(String(card.points.balance));
  });

  it('desk: a chosen camera that is missing is said in the UI language, the default camera scans; the settings change follows live', async () => {
    const dataDir = folder('desk-missing', 'camera-missing');
    setCamera(dataDir, 'no-such-camera');
    // A code for nobody: the refusal stays on the scan screen next to the camera's note.
    const unknown = '8869999999999999';
    const { page } = await deskSignedIn(dataDir, () => unknown, 'en');
    const en = createTranslator('en');
    await page.click('[data-testid="camera-toggle"]');
    await page.waitForSelector('[data-testid="camera-fallback"]');
    const label = await page.evaluate(async () => (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput')?.label ?? '');
    expect(await page.textContent('[data-testid="camera-fallback"]')).toBe(en.t('ui.camera.fallback', { camera: label }));
    // The default camera's frames were decoded and went through the one scan path.
    await expect.poll(() => page.textContent('[data-testid="error"]'), DECODE_WAIT).toBe(en.error('UNKNOWN_MEMBER', { ref: unknown }));
    expect(await page.getAttribute('[data-testid="camera-state"]', 'data-state')).toBe('scanning');

    // The manager picks the camera that is there (settings write config.json): the viewfinder reopens
    // on exactly that device, and the note goes.
    const real = await page.evaluate(async () => (await navigator.mediaDevices.enumerateDevices()).find((d) => d.kind === 'videoinput')?.deviceId ?? '');
    expect(real).not.toBe('');
    setCamera(dataDir, real);
    await page.waitForSelector('[data-testid="camera-fallback"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="camera-state"][data-state="scanning"]');
  });

  it('desk: a QR decoder that cannot load (its file missing) is the camera state decoder-error, in the UI language, not a silent viewfinder', async () => {
    const dataDir = folder('desk-nowasm', 'camera-nowasm');
    const { page } = await deskSignedIn(dataDir, () => '8869999999999999');
    // The host answers 404 for the decoder's WebAssembly, as for a build that lost the file.
    await page.context().route(/\.wasm$/, (route) => route.fulfill({ status: 404, body: 'not found' }));
    await page.click('[data-testid="camera-toggle"]');
    await page.waitForSelector('[data-testid="camera-state"][data-state="decoder-error"]', DECODE_WAIT);
    expect(await page.textContent('[data-testid="camera-state"]')).toBe(createTranslator('zh-CN').t('ui.camera.state.decoder-error'));
    expect(await page.getAttribute('[data-testid="camera-state"]', 'class')).toContain('error');
  });

  it('desk: a QR decoder whose file never arrives is decoder-error after DECODER_LOAD_MS, not a viewfinder that reads nothing forever', async () => {
    const dataDir = folder('desk-hungwasm', 'camera-hungwasm');
    const { page } = await deskSignedIn(dataDir, () => '8869999999999999');
    // The request for the WebAssembly is held and never answered (a stuck proxy, a hung disk).
    await page.context().route(/\.wasm$/, () => undefined);
    const started = Date.now();
    await page.click('[data-testid="camera-toggle"]');
    await page.waitForSelector('[data-testid="camera-state"][data-state="decoder-error"]', { timeout: DECODER_LOAD_MS + 20_000 });
    // Not before the decoder had its time: a slow store PC still gets DECODER_LOAD_MS to compile it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(DECODER_LOAD_MS - 1_000);
    expect(await page.textContent('[data-testid="camera-state"]')).toBe(createTranslator('zh-CN').t('ui.camera.state.decoder-error'));
  }, DECODER_LOAD_MS + 60_000);

  it('kiosk: the always-on viewfinder reads a member card code and opens the member page', async () => {
    const dataDir = folder('kiosk', 'camera-kiosk');
    const hq = hqKeyOf(dataDir);
    const kiosk: KioskLaunch = await launchKiosk({ dataDir, printerUri: null, kiosk: { camera: true, idleSeconds: 120 } });
    open.push(kiosk);
    const m = memberOf(kiosk.terminal.db, "status = 'active' AND tier = 'advanced'");
    const card = kiosk.terminal.service.memberCard({ memberId: m.id });
    const { page } = await browserShowing(dataDir, cardCode(hq, m.id, m.card_serial, Date.now()));
    current = page;
    await page.goto(kiosk.host.launchUrl());
    await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]', DECODE_WAIT);
    const zh = createTranslator('zh-CN');
    expect(await page.textContent('[data-testid="kiosk-tier"]')).toBe(zh.tier(card.tier.code));
    expect(await page.textContent('[data-testid="kiosk-points"]')).toBe(`${card.points.balance.toLocaleString('en-US')}积分`);
  });

  it('kiosk: a camera that could not scan is tried again on its own (nobody stands there to press retry)', async () => {
    const dataDir = folder('kiosk-retry', 'camera-kiosk-retry');
    const kiosk: KioskLaunch = await launchKiosk({ dataDir, printerUri: null, kiosk: { camera: true, idleSeconds: 120 } });
    open.push(kiosk);
    const m = memberOf(kiosk.terminal.db, "status = 'active'");
    const { browser, page } = await browserShowing(dataDir, cardCode(hqKeyOf(dataDir), m.id, m.card_serial, Date.now()));
    current = page;
    // The decoder's file fails to load once (a damaged install, a host that hiccuped).
    const wasm = /\.wasm$/;
    await browser.route(wasm, (route) => route.fulfill({ status: 404, body: '' }));
    await page.clock.install();
    await page.goto(kiosk.host.launchUrl());
    await page.waitForSelector('[data-testid="kiosk-camera"] [data-state="decoder-error"]');
    await browser.unroute(wasm);
    // Not before its time…
    await page.clock.runFor(KIOSK_CAMERA_RETRY_MS - 2_000);
    await page.waitForTimeout(500);
    expect(await page.$('[data-testid="kiosk-camera"] [data-state="decoder-error"]')).not.toBeNull();
    // …and then the camera scans with nobody having touched the kiosk.
    await page.clock.runFor(2_000);
    await page.waitForSelector('[data-screen="member"] [data-testid="kiosk-points"]', DECODE_WAIT);
  });
});

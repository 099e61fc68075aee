// The serial scanner's state in the desk status (status.get and the SSE status events), over a real
// pty pair (socat) and the real desk host: connected → unplugged (socat killed) → reconnecting →
// plugged back (socat again) → connected; a port that never opens is an error with its port name;
// a code still arrives as a scan event; the camera chosen in config.json follows the settings file.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent, DeskStatus } from '../../src/contract/terminalApi';
import { chromium } from 'playwright-core';
import { launchDesk, RENDERER_DIR, REPO_ROOT, type DeskLaunch } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { createTranslator } from '../../src/i18n';
import { deskConfigSchema, readConfig, scannerConfigSchema, writeConfig } from '../../src/terminal/operations/config';
import { seedNewDatabase } from '../../src/runtime/dataFolder';
import { DEMO_STORE, DEMO_TERMINAL } from '../../src/terminal/demo/catalog';
import { tempDir } from '../helpers/demoDb';
import { callApi, openSession } from './helpers';

/** Polls until ok() holds; bounded in time (the reconnect back-off tops out at 5 s). */
async function waitFor<T>(what: string, get: () => Promise<T> | T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let socat: ChildProcess | null = null;
let desk: DeskLaunch | null = null;
let cleanup: (() => void) | null = null;
afterEach(async () => {
  await desk?.close();
  desk = null;
  socat?.kill('SIGTERM');
  socat = null;
  cleanup?.();
});

function plugIn(device: string, port: string): ChildProcess {
  return spawn('/usr/bin/socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${port}`], { stdio: 'ignore' });
}

async function unplug(p: ChildProcess): Promise<void> {
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await gone;
}

function folder(serialPort: string | null): { dataDir: string; rendererDir: string; dir: string } {
  const t = tempDir('ld-serial-status-');
  cleanup = t.cleanup;
  const dataDir = join(t.dir, 'data');
  seedNewDatabase({ dbPath: join(dataDir, 'desk.db'), members: 50, seed: 'serial-status', now: Date.now() });
  writeConfig(dataDir, {
    ...deskConfigSchema.parse({ storeId: DEMO_STORE.id, terminalId: DEMO_TERMINAL }),
    scanner: scannerConfigSchema.parse({ serial: { port: serialPort, baud: 9600 } }),
  });
  // The host needs a page to serve; this test reads the API only.
  const rendererDir = join(t.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>desk</title>');
  return { dataDir, rendererDir, dir: t.dir };
}

async function statusOf(d: DeskLaunch, cookie: string): Promise<DeskStatus> {
  const r = await callApi(d.host, cookie, 'status.get', {});
  expect(r.status).toBe(200);
  return (r.json as { ok: true; value: DeskStatus }).value;
}

/** The desk's SSE stream, collected. */
function events(d: DeskLaunch, cookie: string): { seen: DeskEvent[]; close(): void } {
  const seen: DeskEvent[] = [];
  const req = request({ host: '127.0.0.1', port: d.host.port, path: '/api/events', headers: { host: `127.0.0.1:${d.host.port}`, cookie } }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (data) seen.push(JSON.parse(data.slice(6)) as DeskEvent);
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { seen, close: () => req.destroy() };
}

describe('the serial scanner in the desk status', () => {
  it('says connected, reconnecting after an unplug, connected again after a replug; scans still arrive', async () => {
    const f = folder(null);
    const device = join(f.dir, 'scanner');
    const port = join(f.dir, 'ttyScanner');
    writeConfig(f.dataDir, { ...readConfig(f.dataDir)!, scanner: scannerConfigSchema.parse({ serial: { port, baud: 9600 } }) });
    socat = plugIn(device, port);
    await waitFor('socat links', () => existsSync(device) && existsSync(port), Boolean);
    desk = await launchDesk({ dataDir: f.dataDir, rendererDir: f.rendererDir, printerUri: null });
    const d = desk;
    const cookie = await openSession(d.host);
    const stream = events(d, cookie);
    try {
      const connected = await waitFor('connected', () => statusOf(d, cookie), (s) => s.scanner.serial.state === 'connected');
      expect(connected.scanner).toEqual({ camera: { deviceId: null }, serial: { state: 'connected', port, attempts: 0, error: null } });

      const fd = openSync(device, 'w');
      writeSync(fd, '8860000000000036\r\n');
      closeSync(fd);
      await waitFor('a scan event', () => stream.seen, (seen) => seen.some((e) => e.type === 'scan'));
      expect(stream.seen.find((e) => e.type === 'scan')).toEqual({ type: 'scan', code: '8860000000000036', source: 'serial' });

      await unplug(socat);
      const lost = await waitFor('reconnecting', () => statusOf(d, cookie), (s) => s.scanner.serial.state === 'reconnecting');
      expect(lost.scanner.serial.port).toBe(port);
      expect(lost.scanner.serial.error).not.toBeNull();
      // The pushed status says it too (the status bar listens to these).
      await waitFor('a reconnecting status event', () => stream.seen, (seen) => seen.some((e) => e.type === 'status' && e.status.scanner.serial.state === 'reconnecting'));

      socat = plugIn(device, port);
      await waitFor('connected again', () => statusOf(d, cookie), (s) => s.scanner.serial.state === 'connected');
      await waitFor('a connected status event after the replug', () => stream.seen, (seen) => {
        const states = seen.flatMap((e) => (e.type === 'status' ? [e.status.scanner.serial.state] : []));
        return states.lastIndexOf('connected') > states.indexOf('reconnecting') && states.includes('reconnecting');
      });
    } finally {
      stream.close();
    }
  });

  it('a port that never opens is an error with the port name; none configured is "not configured"', async () => {
    const f = folder(null);
    desk = await launchDesk({ dataDir: f.dataDir, rendererDir: f.rendererDir, printerUri: null });
    const d = desk;
    const cookie = await openSession(d.host);
    expect((await statusOf(d, cookie)).scanner.serial).toEqual({ state: 'not-configured', port: null, attempts: 0, error: null });

    // The manager's settings change config.json; the desk follows without a restart.
    const missing = join(f.dir, 'ttyNothing');
    writeConfig(f.dataDir, { ...readConfig(f.dataDir)!, scanner: scannerConfigSchema.parse({ serial: { port: missing, baud: 9600 }, camera: { deviceId: 'cam-2' } }) });
    const s = await waitFor('error', () => statusOf(d, cookie), (v) => v.scanner.serial.state === 'error');
    expect(s.scanner.serial.port).toBe(missing);
    expect(s.scanner.serial.error).toMatch(/no such file|ENOENT|cannot open/i);
    expect(s.scanner.camera).toEqual({ deviceId: 'cam-2' });
    // The status bar's words, in each language, name the port.
    for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
      const text = createTranslator(lang).t('ui.status.serialState.error', { port: missing, error: s.scanner.serial.error });
      expect(text).toContain(missing);
      expect(text).not.toContain('{{');
    }
  });

  it('the desk status bar says it live, in the UI language (Chromium)', async () => {
    await ensureRenderer(REPO_ROOT, RENDERER_DIR);
    const f = folder(null);
    const device = join(f.dir, 'scanner');
    const port = join(f.dir, 'ttyScanner');
    writeConfig(f.dataDir, { ...readConfig(f.dataDir)!, scanner: scannerConfigSchema.parse({ serial: { port, baud: 9600 } }) });
    socat = plugIn(device, port);
    await waitFor('socat links', () => existsSync(device) && existsSync(port), Boolean);
    desk = await launchDesk({ dataDir: f.dataDir, printerUri: null });
    const browser = await chromium.launchPersistentContext(join(f.dir, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(15_000);
      await page.goto(desk.host.launchUrl());
      const pill = '[data-testid="status-serial"]';
      const zh = createTranslator('zh-CN');
      await page.waitForSelector(`${pill}[data-state="connected"]`);
      expect(await page.textContent(pill)).toBe(zh.t('ui.status.pair', { label: zh.t('ui.status.serial'), value: zh.t('ui.status.serialState.connected', { port }) }));
      await unplug(socat);
      await page.waitForSelector(`${pill}[data-state="reconnecting"]`);
      expect(await page.textContent(pill)).toBe(zh.t('ui.status.pair', { label: zh.t('ui.status.serial'), value: zh.t('ui.status.serialState.reconnecting', { port }) }));
      await page.selectOption('[data-testid="lang"]', 'zh-TW');
      const tw = createTranslator('zh-TW');
      await expect.poll(() => page.textContent(pill)).toBe(tw.t('ui.status.pair', { label: tw.t('ui.status.serial'), value: tw.t('ui.status.serialState.reconnecting', { port }) }));
      await page.selectOption('[data-testid="lang"]', 'en');
      socat = plugIn(device, port);
      await page.waitForSelector(`${pill}[data-state="connected"]`);
      expect(await page.textContent(pill)).toBe(`Serial scanner: Connected (${port})`);
    } finally {
      await browser.close();
    }
  }, 240_000);
});

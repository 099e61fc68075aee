// Electron main: one hardened desk window over the same core the web host serves. contextIsolation
// and sandbox on, nodeIntegration off, a strict CSP (the page's meta tag plus response headers),
// the page from app://desk/ (src/host/appProtocol.ts), not file://, no navigation, no new windows, the camera
// (video, never audio) as the only permission, one instance per PC user. Fuses: electron-builder.yml.
// Checked statically by test/electron/hardening.test.ts (the binary cannot run in CI).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow, Menu, protocol, safeStorage, session } from 'electron';
import { launchKiosk, type KioskLaunch } from '../src/host/kioskLaunch';
import { defaultDataDir, ruleKeyOf } from '../src/runtime/dataFolder';
import { openDeskHost, type DeskHost } from '../src/runtime/deskHost';
import { CONTENT_SECURITY_POLICY } from '../src/host/security';
import { wireTerminalIpc, type IpcWiring } from './ipc';
import { openLogFiles, type LogFiles } from '../src/log/files';
import { APP_SCHEME, checkPermission, contentTypeOf, DESK_URL, requestPermission, resolveAppPath } from '../src/host/appProtocol';

/** dist/electron/main.mjs → dist/renderer and dist/electron/preload.cjs. */
const HERE = import.meta.dirname;
const RENDERER_DIR = join(HERE, '..', 'renderer');
const PRELOAD = join(HERE, 'preload.cjs');

// Before the app is ready (Electron's rule): app:// is a standard, secure scheme, so the desk page has
// an origin of its own (app://desk) and is a secure context (the camera needs one).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

/** Serves the built renderer folder at app://desk/ and nothing else (appProtocol.ts refuses every way out of it). */
function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(request.url, RENDERER_DIR);
    if (request.method !== 'GET' || file === null) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: { 'content-type': contentTypeOf(file), 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

let win: BrowserWindow | null = null;
let desk: DeskHost | null = null;
let deskLog: LogFiles | null = null;
let ipc: IpcWiring | null = null;
/** `--kiosk`: the member self-service kiosk (docs/kiosk.md) instead of the desk. */
const KIOSK = process.argv.includes('--kiosk');
let kiosk: KioskLaunch | null = null;
let quitting = false;

function logError(err: unknown, ref?: string): void {
  process.stderr.write(`${ref ? `[${ref}] ` : ''}${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
}

/** `allow`: the only pages a window may navigate to (the kiosk's own loopback origin; none for the desk). */
function harden(allow: (url: string) => boolean = () => false): void {
  const ses = session.defaultSession;
  // The camera (for the QR viewfinder) and nothing else: no microphone, geolocation, notifications…
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(requestPermission(permission, mediaTypes));
  });
  // The check handler too (Chromium asks it before it asks for the permission): video only, never audio.
  ses.setPermissionCheckHandler((_wc, permission, _origin, details) => checkPermission(permission, details));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event) => {
      if (!allow(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!allow(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/**
 * The database key, kept by the OS keystore (docs/encryption.md): generated once, stored only as
 * safeStorage's ciphertext in userData (outside the data folder). Where the keystore is not
 * available (a Linux desktop without a secret service) the key file rule applies, as in the web host.
 */
function deskKey(dataDir: string): Buffer | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const file = join(app.getPath('userData'), 'desk-key.safe');
  if (existsSync(file)) return Buffer.from(safeStorage.decryptString(readFileSync(file)), 'hex');
  // A data folder the web host made keeps its key; from now on the keystore holds it.
  const key = ruleKeyOf(dataDir) ?? randomBytes(32);
  mkdirSync(app.getPath('userData'), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, safeStorage.encryptString(key.toString('hex')), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return key;
}

function openDesk(): void {
  // The same runtime the web host runs (src/runtime/deskRuntime.ts): sync loop, print queue, serial
  // scanner, background checkpoints, the manager's sync and printer.
  const dataDir = process.env.LOYALTY_DESK_DATA ?? defaultDataDir();
  const dbKey = deskKey(dataDir);
  // The data folder's logs/ (src/log/files.ts): what support reads with `loyalty-desk logs`.
  deskLog = openLogFiles(dataDir);
  // A packaged install's first start (no desk.db) is set up from the UI; a developer's gets demo data.
  const runtime = openDeskHost({
    demo: !app.isPackaged && process.env.LOYALTY_DESK_NO_DEMO !== '1',
    dataDir,
    log: deskLog,
    host: 'electron',
    publish: (e) => ipc?.publish(e),
    onInternal: logError,
    ...(dbKey ? { dbKey } : {}),
  });
  desk = runtime;
  ipc = wireTerminalIpc(runtime.dispatcher, runtime.lang, (url) => url === DESK_URL, (result) => runtime.afterCall(result));

  // Electron 14 removed the remote module; the check cannot tell the version offline.
  win = new BrowserWindow({ // eng-disable REMOTE_MODULE_JS_CHECK
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'Loyalty Desk',
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed (electronegativity's PRELOAD_JS_CHECK asks for it): preload.ts exposes one object
      // through contextBridge, each method one ipcRenderer.invoke on one channel, never ipcRenderer.
      preload: PRELOAD, // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // A middle click opens no window either (window.open is denied; this stops auxclick too).
      disableBlinkFeatures: 'Auxclick',
      devTools: !app.isPackaged,
    },
  });
  ipc.attach(win);
  win.on('closed', () => (win = null));
  void win.loadURL(DESK_URL);
}

/**
 * The kiosk: the kiosk web host (KioskApi only, loopback) in this process, shown in a fullscreen
 * kiosk window with no menu, no frame, no shortcuts and no close: nothing leads to the desk or the OS.
 */
async function openKiosk(): Promise<void> {
  const dataDir = process.env.LOYALTY_DESK_DATA ?? defaultDataDir();
  const dbKey = deskKey(dataDir);
  kiosk = await launchKiosk({ dataDir, rendererDir: join(HERE, '..', 'renderer'), onInternal: logError, ...(dbKey ? { dbKey } : {}) });
  const origin = kiosk.host.origin;
  harden((url) => url === origin || url.startsWith(`${origin}/`));
  Menu.setApplicationMenu(null);
  win = new BrowserWindow({ // eng-disable REMOTE_MODULE_JS_CHECK
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    title: 'Loyalty Desk kiosk',
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false, disableBlinkFeatures: 'Auxclick', devTools: false },
  });
  win.removeMenu();
  // Ctrl/Alt/Meta combos and function keys (reload, close, devtools, fullscreen) do nothing; a wedge
  // scanner's Shift and plain keys still pass.
  win.webContents.on('before-input-event', (event, input) => {
    if (input.control || input.alt || input.meta || /^F\d+$/.test(input.key)) event.preventDefault();
  });
  win.on('close', (event) => {
    if (!quitting) event.preventDefault();
  });
  win.on('closed', () => (win = null));
  void win.loadURL(kiosk.host.launchUrl());
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => (quitting = true));
  app.on('will-quit', () => {
    void kiosk?.close();
    ipc?.close();
    void desk?.close().finally(() => deskLog?.close());
  });
  void app.whenReady().then(() => {
    if (KIOSK) void openKiosk().catch((err) => (logError(err), app.quit()));
    else {
      harden();
      registerAppProtocol();
      openDesk();
    }
  });
}

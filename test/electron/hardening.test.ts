// Electron's hardening, checked without the binary (it cannot be downloaded here): the main process
// source and electron-builder.yml are read and held to what docs/security.md says — the permission
// check allows video only, the desk loads from app://desk/ (a privileged, secure scheme) and never
// file://, the fuses are set — with the fuse and API names checked against the installed type
// declarations (app-builder-lib's FuseOptionsV1, electron.d.ts), and the pure parts run for real.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_SCHEME, checkPermission, DESK_URL, requestPermission, resolveAppPath } from '../../src/host/appProtocol';

const ROOT = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
/** Source without comments, so a commented-out line cannot pass for code. */
const code = (file: string) =>
  readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

/** The `electronFuses:` block of electron-builder.yml as key → value (a flat YAML map). */
function fusesBlock(): Record<string, string> {
  const lines = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^electronFuses:\s*$/.test(l));
  expect(start, 'electron-builder.yml has a top-level electronFuses: block').toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const m = /^\s+([A-Za-z]+):\s*([^#\s]+)\s*(?:#.*)?$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

describe('fuses in electron-builder.yml', () => {
  const WANTED = {
    runAsNode: 'false',
    enableNodeOptionsEnvironmentVariable: 'false',
    enableNodeCliInspectArguments: 'false',
    onlyLoadAppFromAsar: 'true',
    enableCookieEncryption: 'true',
    grantFileProtocolExtraPrivileges: 'false',
  };

  it('sets RunAsNode, NodeOptions and inspect off; app.asar only, cookie encryption on; no file:// privileges', () => {
    expect(fusesBlock()).toEqual(WANTED);
  });

  it('names only fuses electron-builder knows (FuseOptionsV1 in the installed app-builder-lib)', () => {
    const dts = readFileSync(join(dirname(require.resolve('app-builder-lib/package.json')), 'out', 'configuration.d.ts'), 'utf8');
    expect(dts).toMatch(/electronFuses\?: FuseOptionsV1/);
    const body = /export interface FuseOptionsV1 \{([\s\S]*?)\n\}/.exec(dts)![1]!;
    const known = new Set([...body.matchAll(/^\s+(\w+)\?: boolean;/gm)].map((m) => m[1]!));
    for (const key of Object.keys(fusesBlock())) expect(known, key).toContain(key);
  });
});

describe('electron/main.ts', () => {
  const main = code('electron/main.ts');

  it('checks permissions with checkPermission (video only) and asks requests of requestPermission', () => {
    expect(main).toMatch(/setPermissionCheckHandler\(\(_wc, permission, _origin, details\) => checkPermission\(permission, details\)\)/);
    expect(main).toMatch(/callback\(requestPermission\(permission, mediaTypes\)\)/);
    expect(main).not.toMatch(/permission === 'media'\)/);
  });

  it('loads the desk from app://desk/, registered before ready as standard and secure, served by protocol.handle', () => {
    expect(main).toMatch(/protocol\.registerSchemesAsPrivileged\(\[\{ scheme: APP_SCHEME, privileges: \{ standard: true, secure: true[^}]*\} \}\]\)/);
    // A top-level statement (run at load, before app.whenReady), not inside a function.
    expect(main).toMatch(/^protocol\.registerSchemesAsPrivileged\(/m);
    expect(main).toMatch(/protocol\.handle\(APP_SCHEME,/);
    expect(main).toMatch(/win\.loadURL\(DESK_URL\)/);
    expect(main).toMatch(/url === DESK_URL/);
    expect(main).not.toMatch(/loadFile\(|pathToFileURL|file:\/\//);
    expect(APP_SCHEME).toBe('app');
    expect(DESK_URL).toBe('app://desk/index.html');
  });

  it('keeps the window hardened (context isolation, sandbox, no node integration, web security)', () => {
    const windows = [...main.matchAll(/new BrowserWindow\(\{[\s\S]*?webPreferences: \{([\s\S]*?)\}/g)].map((m) => m[1]!);
    expect(windows.length).toBe(2);
    for (const prefs of windows) {
      expect(prefs).toMatch(/contextIsolation: true/);
      expect(prefs).toMatch(/sandbox: true/);
      expect(prefs).toMatch(/nodeIntegration: false/);
      expect(prefs).toMatch(/webSecurity: true/);
      expect(prefs).toMatch(/disableBlinkFeatures: 'Auxclick'/);
      expect(prefs).not.toMatch(/allowRunningInsecureContent|experimentalFeatures|nodeIntegrationInWorker|webviewTag: true/);
    }
  });

  it('uses Electron API names that the installed electron.d.ts declares', () => {
    const dts = readFileSync(join(dirname(require.resolve('electron/package.json')), 'electron.d.ts'), 'utf8');
    expect(dts).toMatch(/registerSchemesAsPrivileged\(customSchemes: CustomScheme\[\]\): void;/);
    expect(dts).toMatch(/handle\(scheme: string, handler: \(request: GlobalRequest\) =>/);
    expect(dts).toMatch(/mediaType\?: \('video' \| 'audio' \| 'unknown'\);/);
    const privileges = /interface Privileges \{([\s\S]*?)\n {2}\}/.exec(dts)![1]!;
    for (const p of ['standard', 'secure', 'supportFetchAPI']) expect(privileges).toMatch(new RegExp(`\\b${p}\\?: boolean;`));
  });
});

describe('the permission handlers', () => {
  it('allow a media check for video only, never audio or anything else', () => {
    expect(checkPermission('media', { mediaType: 'video' })).toBe(true);
    expect(checkPermission('media', { mediaType: 'audio' })).toBe(false);
    expect(checkPermission('media', { mediaType: 'unknown' })).toBe(false);
    expect(checkPermission('media', {})).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'serial', 'usb', 'hid', 'openExternal', 'display-capture', 'unknown']) {
      expect(checkPermission(p, { mediaType: 'video' }), p).toBe(false);
    }
    expect(requestPermission('media', ['video'])).toBe(true);
    expect(requestPermission('media', ['video', 'audio'])).toBe(false);
    expect(requestPermission('media', ['audio'])).toBe(false);
    expect(requestPermission('media', [])).toBe(false);
    expect(requestPermission('notifications', ['video'])).toBe(false);
  });
});

describe('app://desk/ serves the renderer folder and nothing else', () => {
  const root = join(ROOT, 'dist', 'renderer');
  const inside = (file: string | null) => file === null || (!relative(root, file).startsWith(`..${sep}`) && relative(root, file) !== '..' && file.startsWith(root + sep));

  it('maps pages and assets into the folder', () => {
    expect(resolveAppPath('app://desk/', root)).toBe(join(root, 'index.html'));
    expect(resolveAppPath('app://desk/index.html', root)).toBe(join(root, 'index.html'));
    expect(resolveAppPath('app://desk/assets/index-abc.js?v=1#x', root)).toBe(join(root, 'assets', 'index-abc.js'));
  });

  it('refuses other hosts, credentials, ports, encoded separators and dots, NUL', () => {
    // The URL parser itself folds ../ and %2e%2e/ segments: what is left stays inside the folder.
    expect(resolveAppPath('app://desk/%2e%2e/%2e%2e/etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppPath('app://desk/../../etc/passwd', root)).toBe(join(root, 'etc', 'passwd'));
    for (const url of ['app://evil/index.html', 'app://desk:8080/index.html', 'app://user:pw@desk/index.html', 'app://desk/..%2f..%2fetc%2fpasswd', 'app://desk/assets%5c..%5c..%5cx', 'app://desk/a%00.js', 'file:///etc/passwd', 'http://desk/index.html', 'not a url']) {
      expect(resolveAppPath(url, root), url).toBeNull();
    }
  });

  it('never leaves the folder for 3,000 generated paths', () => {
    let a = 5;
    const random = () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) / 4294967296);
    const parts = ['..', '.', '%2e', '%2E%2e', '%2f', '%5c', '\\', '/', '//', 'assets', 'index.html', '%00', '~', '%252e%252e', 'C:', '%c0%ae', '..;', '%ef%bc%8f', '？', '%', '%zz'];
    for (let i = 0; i < 3000; i++) {
      const path = Array.from({ length: 1 + Math.floor(random() * 8) }, () => parts[Math.floor(random() * parts.length)]).join(random() < 0.5 ? '/' : '');
      const file = resolveAppPath(`app://desk/${path}`, root);
      expect(inside(file), path).toBe(true);
    }
  });
});

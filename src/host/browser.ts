// Chromium in an app window (no tabs, no address bar) with a fresh profile of its own, so nothing of
// a personal browser profile (extensions, saved logins) is near the desk.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/snap/bin/chromium'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env.LOYALTY_DESK_BROWSER;
  if (chosen) return existsSync(chosen) ? chosen : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

export interface AppWindow {
  child: ChildProcess;
  exited: Promise<number | null>;
  close(): void;
}

export function openAppWindow(binary: string, url: string, opts: { kiosk?: boolean } = {}): AppWindow {
  const profile = mkdtempSync(join(tmpdir(), 'loyalty-desk-browser-'));
  const args = [
    opts.kiosk ? `--kiosk` : `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-features=Translate,MediaRouter',
    '--window-size=1280,800',
    ...(opts.kiosk ? [url] : []),
  ];
  const child = spawn(binary, args, { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      rmSync(profile, { recursive: true, force: true });
      resolve(code);
    });
    child.on('error', () => resolve(null));
  });
  return {
    child,
    exited,
    close: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

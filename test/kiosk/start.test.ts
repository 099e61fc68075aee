// `loyalty-desk start --kiosk --web --no-browser` as a real process: one stdout line with the kiosk
// link, which opens the kiosk page (not the desk), where a staff sign-in is refused by the core; its
// stderr names the data folder and prints no staff PINs (a kiosk has no staff).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR, REPO_ROOT } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { tempDir } from '../helpers/demoDb';

const tmp = tempDir('ld-start-kiosk-');
afterAll(() => tmp.cleanup());

describe('loyalty-desk start --kiosk', () => {
  it('prints the kiosk link; the link opens the kiosk page and staff methods are refused', async () => {
    await ensureRenderer(REPO_ROOT, RENDERER_DIR);
    const data = join(tmp.dir, 'data');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'src/cli/bin.mjs'), 'start', '--kiosk', '--web', '--no-browser', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 45_000;
      while (!out.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
      const lines = out.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/launch\?token=[A-Za-z0-9_-]{43}$/);
      // The kiosk has no staff: its start prints the data folder, never the staff PINs.
      expect(err).toContain(data);
      expect(err).not.toMatch(/PIN|1234|9999/);
      const launch = await fetch(lines[0]!, { redirect: 'manual' });
      expect(launch.status).toBe(303);
      const cookie = launch.headers.get('set-cookie')!.split(';')[0]!;
      const origin = new URL(lines[0]!).origin;
      const page = await (await fetch(`${origin}/`, { headers: { cookie } })).text();
      expect(page).toMatch(/assets\/kiosk-[\w-]+\.js/);
      const status = await fetch(`${origin}/api/kiosk.status`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{}' });
      expect(await status.json()).toMatchObject({ ok: true, value: { lang: 'zh-CN', idleMs: 45_000 } });
      const signIn = await fetch(`${origin}/api/staff.signIn`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{"pin":"9999"}' });
      expect(signIn.status).toBe(403);
      expect(await signIn.json()).toMatchObject({ ok: false, error: { code: 'KIOSK_STAFF_ONLY' } });
    } finally {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      expect(code).toBe(0);
    }
  });
});

// `loyalty-desk start --web --no-browser` as a real process: one stdout line with the launch link,
// the data folder and PINs on stderr, the desk reachable through the link, SIGTERM ends it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR, REPO_ROOT } from '../../src/host/launch';
import { ensureRenderer } from '../../src/cli/rendererBuild';
import { tempDir } from '../helpers/demoDb';

const tmp = tempDir('ld-start-');
afterAll(() => tmp.cleanup());

describe('loyalty-desk start', () => {
  it('starts the web host on demo data, prints one link line and stops on SIGTERM', async () => {
    await ensureRenderer(REPO_ROOT, RENDERER_DIR);
    const data = join(tmp.dir, 'data');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'src/cli/bin.mjs'), 'start', '--web', '--no-browser', '--data', data, '--lang', 'en'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
      expect(err).toContain(`Data folder: ${data}`);
      expect(err).toContain('Demo PINs: 王芳 (Clerk) 1234, 陈磊 (Clerk) 2345, 李娜 (Manager) 9999');
      // Every line in the language asked for (staff names are names).
      expect(err.replace(/王芳|陈磊|李娜/g, '')).not.toMatch(/[\u4e00-\u9fff]/);

      const launch = await fetch(lines[0]!, { redirect: 'manual' });
      expect(launch.status).toBe(303);
      const cookie = launch.headers.get('set-cookie')!.split(';')[0]!;
      const origin = new URL(lines[0]!).origin;
      const page = await fetch(`${origin}/`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
      const r = await fetch(`${origin}/api/staff.signIn`, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/json' }, body: '{"pin":"9999"}' });
      expect(await r.json()).toMatchObject({ ok: true, value: { id: 'mgr-01', role: 'manager' } });
      // The token was for one window only.
      expect((await fetch(lines[0]!, { redirect: 'manual' })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      expect(code).toBe(0);
    }
  });
});

// The renderer build the tests and `npm start` share, and plain `vite build`, are the production one,
// even when started from inside vitest (NODE_ENV=test): otherwise the Chromium walks test React's development
// bundle, and `npm start` afterwards serves that bundle as fresh.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../src/cli/rendererBuild';
import { REPO_ROOT } from '../../src/host/launch';
import { tempDir } from '../helpers/demoDb';

const tmp = tempDir('ld-renderer-build-');
afterAll(() => tmp.cleanup());

describe('the renderer build', () => {
  it('is the production bundle when built from a test process', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const out = join(tmp.dir, 'renderer');
    await buildRenderer(REPO_ROOT, undefined, out);
    const js = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(2);
    const code = js.map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    // Sentences only React's development build carries (its key and hook checks).
    expect(code.includes('unique "key" prop'), 'React development warnings in the bundle').toBe(false);
    expect(/react-dom\.development|React DevTools/.test(code), 'React development build in the bundle').toBe(false);
    // …and the production build is there: the desk's own entry and React's minified error decoder.
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('assets/');
    expect(code.includes('react.dev/errors/'), 'React production error decoder').toBe(true);
  }, 180_000);

  it('is the production bundle from plain `vite build` (npm run build:renderer, the packaging path) under NODE_ENV=test', () => {
    const out = join(tmp.dir, 'plain');
    const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error', '--outDir', out, '--emptyOutDir'], { cwd: REPO_ROOT, env: { ...process.env, NODE_ENV: 'test' }, encoding: 'utf8', timeout: 150_000 });
    expect(r.status, r.stderr).toBe(0);
    const code = readdirSync(join(out, 'assets'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(out, 'assets', f), 'utf8'))
      .join('\n');
    expect(code.includes('jsxDEV'), 'jsxDEV in the bundle').toBe(false);
    expect(code.includes('unique "key" prop'), 'React development warnings in the bundle').toBe(false);
  }, 180_000);
});

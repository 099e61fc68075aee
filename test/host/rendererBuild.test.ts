// The renderer build the tests and `npm start` share is the production one, even when the build is
// started from inside vitest (NODE_ENV=test): otherwise the Chromium walks test React's development
// bundle, and `npm start` afterwards serves that bundle as fresh.
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
    expect(code).not.toContain('unique "key" prop');
    expect(code).not.toMatch(/react-dom\.development|React DevTools/);
    // …and the production build is there: the desk's own entry and React's minified error decoder.
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('assets/');
    expect(code).toContain('react.dev/errors/');
  }, 180_000);
});

// Vitest global setup: the built JavaScript (dist/, src/cli/build.mjs) is fresh before any test
// spawns the CLI — built here once when a source is newer, instead of in the first worker that asks.
// Database keys (docs/encryption.md) go to a folder of this run, not the user's own key folder: the
// workers and every CLI they spawn inherit LOYALTY_DESK_KEYS; the folder goes when the run ends.
// The Chromium walks' screenshots (test/e2e/shots.ts) are named once, at the end, for CI to keep.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export default async function setup(): Promise<() => void> {
  const keys = mkdtempSync(join(tmpdir(), 'ld-test-keys-'));
  process.env.LOYALTY_DESK_KEYS = keys;
  const build = pathToFileURL(join(import.meta.dirname, '..', 'src', 'cli', 'build.mjs')).href;
  const { ensureBuilt } = (await import(build)) as { ensureBuilt: () => Promise<string> };
  await ensureBuilt();
  const started = Date.now();
  return () => {
    rmSync(keys, { recursive: true, force: true });
    const artifacts = join(import.meta.dirname, '..', 'test-output');
    const shots = newPngs(artifacts, started);
    if (shots > 0) process.stdout.write(`Screenshots of this run (${shots}): ${artifacts}\n`);
  };
}

/** PNG files under `dir` written since `since` (two levels: test-output/e2e, test-output/kiosk). */
function newPngs(dir: string, since: number, depth = 0): number {
  if (!existsSync(dir) || depth > 2) return 0;
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) n += newPngs(path, since, depth + 1);
    else if (entry.name.endsWith('.png') && statSync(path).mtimeMs >= since) n++;
  }
  return n;
}

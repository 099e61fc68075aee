// Vitest global setup: the built JavaScript (dist/, src/cli/build.mjs) is fresh before any test
// spawns the CLI — built here once when a source is newer, instead of in the first worker that asks.
// Database keys (docs/encryption.md) go to a folder of this run, not the user's own key folder: the
// workers and every CLI they spawn inherit LOYALTY_DESK_KEYS; the folder goes when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export default async function setup(): Promise<() => void> {
  const keys = mkdtempSync(join(tmpdir(), 'ld-test-keys-'));
  process.env.LOYALTY_DESK_KEYS = keys;
  const build = pathToFileURL(join(import.meta.dirname, '..', 'src', 'cli', 'build.mjs')).href;
  const { ensureBuilt } = (await import(build)) as { ensureBuilt: () => Promise<string> };
  await ensureBuilt();
  return () => rmSync(keys, { recursive: true, force: true });
}

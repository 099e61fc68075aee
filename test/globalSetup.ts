// Vitest global setup: the built JavaScript (dist/, src/cli/build.mjs) is fresh before any test
// spawns the CLI — built here once when a source is newer, instead of in the first worker that asks.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export default async function setup(): Promise<void> {
  const build = pathToFileURL(join(import.meta.dirname, '..', 'src', 'cli', 'build.mjs')).href;
  const { ensureBuilt } = (await import(build)) as { ensureBuilt: () => Promise<string> };
  await ensureBuilt();
}

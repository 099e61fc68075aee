#!/usr/bin/env node
// Entry of the `loyalty-desk` command: runs the built bundle dist/cli/main.mjs, building it first
// when a source is newer than the build (src/cli/build.mjs: once, under a lock). No compiler at run time.
import { ensureBuilt } from './build.mjs';

let entry = null;
try {
  entry = await ensureBuilt();
} catch (err) {
  process.stderr.write(`loyalty-desk: the build failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
if (entry !== null) {
  const { main } = await import(entry);
  process.exitCode = await main(process.argv.slice(2));
}

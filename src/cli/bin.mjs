#!/usr/bin/env node
// Entry of the `loyalty-desk` command: runs the built bundle dist/cli/main.mjs, building it first
// when a source is newer than the build (src/cli/build.mjs: once, under a lock). No compiler at run time.
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';
import { builtLine, startLang } from './startLang.mjs';

let entry = null;
try {
  // The build line in the language the command will speak (its --lang, or the system's).
  entry = await ensureBuilt(undefined, undefined, (ms) => builtLine(startLang(), ms));
} catch (err) {
  // The command's answer is JSON whatever happens; esbuild has printed each error with its line on stderr.
  const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
  process.stdout.write(`${JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: `loyalty-desk could not be built: ${detail}`, params: { detail } } })}\n`);
  process.stderr.write(`loyalty-desk: the build failed: ${detail}\n`);
  process.exitCode = 1;
}
if (entry !== null) {
  // A file URL, not a path: Windows refuses an absolute path in import().
  const { main } = await import(pathToFileURL(entry).href);
  process.exitCode = await main(process.argv.slice(2));
}

#!/usr/bin/env node
// The built JavaScript (`npm run build`): esbuild bundles the CLI (which holds the web host and HQ)
// and Electron main/preload into dist/. Node packages stay outside the CLI bundle (node_modules), but
// zod and uuid (see externalPackagesBut).
//   dist/cli/main.mjs          src/cli/main.ts      (src/cli/bin.mjs runs it), and beside it the
//   dist/cli/<name>-<hash>.mjs                      chunks each command loads with a dynamic import
//   dist/electron/main.mjs     electron/main.ts     (natives external, the rest bundled: the packaged app)
//   dist/electron/preload.cjs  electron/preload.ts  (CommonJS: a sandboxed preload cannot be ESM)
//   dist/.build-stamp.json     every input's path and mtime, written last
// Every file of a bundle is two folders below the package root, like the modules that find db/ and
// dist/renderer from import.meta.url (src/store, src/hq, src/host): '../..' is the package root from
// either, and the build refuses an output anywhere else.
//
// Fresh means: the stamp lists the same mtime for every input the last build read. Checking it costs
// a stat per input (a few ms); only a stale build loads esbuild. Builds run under a lock directory
// (mkdir is atomic) so parallel processes build once; outputs are written to temporary names and
// renamed into place (chunks, named by their content's hash, before the entries that import them),
// so a reader never sees half a file or a mix of two builds, even if two builds ever overlapped.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DIST = 'dist';
const STAMP = join(DIST, '.build-stamp.json');
const LOCK = join(DIST, '.build-lock');
const CLI_DIR = join(DIST, 'cli');
const CLI_ENTRY = join(CLI_DIR, 'main.mjs');
/**
 * Read by the build but not in esbuild's metafile. Packages bundled into Electron main are not
 * stamped one file each: package-lock.json changes when they do.
 */
const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json', 'src/cli/build.mjs'];
const LOCK_WAIT_MS = 180_000;
/** A lock this old, or whose owner process is gone, was left by a build that died. */
const STALE_LOCK_MS = 120_000;
const CHUNK = /^[\w.]+-[A-Z0-9]{8}\.mjs(\.map)?$/;
/** A process started from an earlier build has loaded its chunks long before this. */
const OLD_CHUNK_MS = 10 * 60_000;

const NODE = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', write: false, metafile: true };
/** Each run: esbuild options beside NODE. */
const BUNDLES = [
  {
    entryPoints: ['src/cli/main.ts'],
    outdir: CLI_DIR,
    format: 'esm',
    plugins: [externalPackagesBut(['zod', 'uuid'])],
    splitting: true,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  },
  {
    entryPoints: ['electron/main.ts'],
    outfile: join(DIST, 'electron', 'main.mjs'),
    format: 'esm',
    external: ['electron', 'better-sqlite3-multiple-ciphers', 'serialport', '@serialport/*', 'node-thermal-printer'],
    // Bundled CommonJS dependencies call require(); give them one.
    banner: { js: "import { createRequire as __ldRequire } from 'node:module'; const require = __ldRequire(import.meta.url);" },
  },
  { entryPoints: ['electron/preload.ts'], outfile: join(DIST, 'electron', 'preload.cjs'), format: 'cjs', external: ['electron'] },
];

/**
 * Every package stays outside the bundle (node_modules) but these: pure JavaScript spread over many
 * small modules (zod loads ~100 files, every locale included), which cost more to resolve and load
 * one by one than to compile as part of the bundle, tree-shaken.
 */
function externalPackagesBut(inside) {
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || inside.some((p) => args.path === p || args.path.startsWith(`${p}/`))) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

function mtime(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

/** Why the build in dist/ is stale (missing, an input changed or gone), or null when it is fresh. */
function staleReason(root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
  } catch {
    return 'no build';
  }
  const at = root + sep; // one stat per file and no more: this runs before every command
  for (const out of stamp.outputs) if (!out.endsWith('.map') && mtime(at + out) < 0) return `${out} missing`;
  for (const file in stamp.inputs) if (mtime(at + file) !== stamp.inputs[file]) return `${file} changed`;
  return null;
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/** Chunks of earlier builds, once no process can still be loading them. */
function removeOldChunks(root, current) {
  for (const name of readdirSync(join(root, CLI_DIR))) {
    const path = join(root, CLI_DIR, name);
    if (CHUNK.test(name) && !current.has(join(CLI_DIR, name)) && Date.now() - mtime(path) > OLD_CHUNK_MS) rmSync(path, { force: true });
  }
}

/** Builds every bundle now (no staleness check, no lock); returns the build time in ms. */
async function build(root) {
  const started = Date.now();
  const esbuild = await import('esbuild');
  const results = await Promise.all(BUNDLES.map((b) => esbuild.build({ ...NODE, ...b, absWorkingDir: root })));
  const inputs = new Set(EXTRA_INPUTS);
  const entries = new Set();
  for (const { metafile } of results) {
    for (const input of Object.keys(metafile.inputs)) if (!input.split('/').includes('node_modules')) inputs.add(input);
    for (const [out, meta] of Object.entries(metafile.outputs)) if (meta.entryPoint !== undefined) entries.add(join(root, out));
  }
  const files = results.flatMap((r) => r.outputFiles);
  for (const file of files) {
    if (relative(root, file.path).split(sep).length !== 3) throw new Error(`${file.path}: a bundle's files sit two folders below the package root`);
  }
  const outputs = [];
  for (const file of [...files.filter((f) => !entries.has(f.path)), ...files.filter((f) => entries.has(f.path))]) {
    writeAtomically(file.path, file.contents);
    outputs.push(relative(root, file.path));
  }
  removeOldChunks(root, new Set(outputs));
  // An input edited while esbuild read it may not be in the bundle: an impossible mtime in the
  // stamp makes the next run build again.
  const stamped = {};
  for (const input of [...inputs].sort()) {
    const ms = mtime(join(root, input));
    stamped[input] = ms >= started - 1 ? -2 : ms;
  }
  writeAtomically(join(root, STAMP), `${JSON.stringify({ builtAt: new Date().toISOString(), esbuild: esbuild.version, outputs, inputs: stamped }, null, 1)}\n`);
  return Date.now() - started;
}

function readOwner(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The token of a lock left by a build that died (too old, or its process gone), else null. */
function staleLockToken(lock, staleMs) {
  const since = mtime(lock);
  if (since < 0) return null;
  const owner = readOwner(lock);
  if (Date.now() - since > staleMs) return owner?.token ?? 'none';
  if (owner === null || owner.host !== hostname()) return null;
  try {
    process.kill(owner.pid, 0);
    return null;
  } catch (err) {
    return err?.code === 'ESRCH' ? owner.token : null;
  }
}

/**
 * Runs fn holding the lock directory `lock` (mkdir is atomic): one holder at a time, the others wait
 * up to waitMs. A lock older than staleMs, or whose owner process is gone, was left by a holder that
 * died and is taken over. Also the renderer build's lock (src/cli/rendererBuild.ts).
 */
export async function withLock(lock, fn, { staleMs = STALE_LOCK_MS, waitMs = LOCK_WAIT_MS } = {}) {
  const token = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(dirname(lock), { recursive: true });
  const until = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const stale = staleLockToken(lock, staleMs);
      if (stale !== null) {
        // Moved aside, then checked: of several waiters that found the same lock stale, only the
        // first moves that one; a later one that moved a new owner's lock by mistake puts it back.
        const away = `${lock}.stale-${token}`;
        try {
          renameSync(lock, away);
          if ((readOwner(away)?.token ?? 'none') === stale) rmSync(away, { recursive: true, force: true });
          else renameSync(away, lock);
        } catch {}
        continue;
      }
      if (Date.now() > until) throw new Error(`another build holds ${lock}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    writeFileSync(join(lock, 'owner.json'), JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now(), token }));
    return await fn();
  } finally {
    // Only our own lock: if it was ever taken over, the new owner's stays.
    if (readOwner(lock)?.token === token) rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The CLI bundle's path, built first when stale: once, under the lock; a process that waited for
 * another's build checks again and finds it fresh.
 */
export async function ensureBuilt(root = ROOT, log = (line) => process.stderr.write(`${line}\n`), say = (ms, why) => `loyalty-desk: built dist/ in ${ms} ms (${why})`) {
  // An installed copy without the sources (a package) runs the build it came with.
  if (mtime(join(root, 'src', 'cli', 'main.ts')) < 0 && mtime(join(root, CLI_ENTRY)) >= 0) return join(root, CLI_ENTRY);
  if (staleReason(root) !== null) {
    await withLock(join(root, LOCK), async () => {
      const why = staleReason(root);
      if (why === null) return;
      const ms = await build(root);
      log(say(ms, why));
    });
  }
  return join(root, CLI_ENTRY);
}

// `node src/cli/build.mjs` (npm run build): build now, under the lock.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await withLock(join(ROOT, LOCK), async () => {
      const ms = await build(ROOT);
      process.stdout.write(`dist/ built in ${ms} ms\n`);
    });
  } catch (err) {
    // esbuild has printed each error with its source line already.
    process.stderr.write(`build failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    process.exitCode = 1;
  }
}

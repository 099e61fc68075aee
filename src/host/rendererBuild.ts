// The renderer is built by vite into dist/renderer; `start` and the e2e tests rebuild it when any
// source it is made from is newer than the build (a few seconds), and never otherwise.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the bundle is made of: the UI, the catalog and contract it imports, and the build config. */
const SOURCES = ['renderer', 'src/i18n', 'src/contract', 'vite.config.ts', 'package.json'];
const BUILD_TIMEOUT_MS = 120_000;

function newestMtime(path: string, depth = 0): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  if (depth > 8) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name), depth + 1));
  return newest;
}

export function rendererIsStale(root: string, outDir: string): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(root, s)) > built);
}

export async function buildRenderer(root: string, log: (line: string) => void = () => undefined): Promise<void> {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${signal ?? code}):\n${output}`));
    });
  });
  log('renderer built');
}

const LOCK_WAIT_MS = 150_000;
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Builds when stale; true when it built. Two processes (start and a test, two test files) may ask at
 * once: a lock directory (mkdir is atomic) lets one build while the other waits and then re-checks.
 */
export async function ensureRenderer(root: string, outDir: string, log?: (line: string) => void): Promise<boolean> {
  if (!rendererIsStale(root, outDir)) return false;
  const lock = `${outDir}.build-lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      // A build killed half-way leaves its lock behind.
      if (since !== undefined && Date.now() - since > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) throw new Error(`another renderer build holds ${lock}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    if (!rendererIsStale(root, outDir)) return false;
    await buildRenderer(root, log);
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

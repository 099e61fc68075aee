// The renderer is built by vite into dist/renderer; `start` and the e2e tests rebuild it when any
// source it is made from is newer than the build (a few seconds), and never otherwise.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withLock } from './build.mjs';

/** What the bundle is made of: the UI, the catalog and contract it imports, the build config and how it is built (a bundle from before a build change is stale). */
const SOURCES = ['renderer', 'src/i18n', 'src/contract', 'vite.config.ts', 'package.json', 'package-lock.json', 'src/cli/rendererBuild.ts'];
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

/**
 * `outDir`: elsewhere than vite.config.ts's dist/renderer (a test of the build itself). The build is
 * the production one whatever NODE_ENV this process has (vitest's "test" included): vite.config.ts
 * sees to that for every build, this one and `npm run build:renderer` alike.
 */
export async function buildRenderer(root: string, onBuilt: (ms: number) => void = () => undefined, outDir?: string): Promise<void> {
  const started = Date.now();
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '--logLevel', 'warn', ...(outDir ? ['--outDir', outDir, '--emptyOutDir'] : [])];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
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
  onBuilt(Date.now() - started);
}

const LOCK_WAIT_MS = 150_000;
/** Longer than a build may take (BUILD_TIMEOUT_MS), so a slow build keeps its lock. */
const STALE_LOCK_MS = 5 * 60_000;

/**
 * Builds when stale; true when it built. Two processes (start and a test, two test files) may ask at
 * once: the build lock (build.mjs withLock) lets one build while the other waits and then re-checks.
 */
/** `onBuilt`: told how long a build took, for the caller to say so in its language. */
export async function ensureRenderer(root: string, outDir: string, onBuilt?: (ms: number) => void): Promise<boolean> {
  if (!rendererIsStale(root, outDir)) return false;
  return withLock(
    `${outDir}.build-lock`,
    async () => {
      if (!rendererIsStale(root, outDir)) return false;
      await buildRenderer(root, onBuilt);
      return true;
    },
    { staleMs: STALE_LOCK_MS, waitMs: LOCK_WAIT_MS },
  );
}

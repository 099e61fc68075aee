// Whether this machine has Electron's binary, found the way the electron package finds it
// (node_modules/electron/path.txt + dist/) — without require('electron'), which would start a download.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function electronBinary(fromDir: string): string | null {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(join(fromDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const rel = readFileSync(pathFile, 'utf8').trim();
  if (rel === '') return null;
  const bin = join(pkgDir, 'dist', rel);
  return existsSync(bin) ? bin : null;
}

/**
 * Bundles the Electron side: main as ESM (import.meta.url keeps finding db/terminal/ beside the app),
 * the preload as CommonJS (a sandboxed preload cannot be ESM). Native modules stay outside the bundle.
 */
export async function buildElectron(root: string): Promise<string> {
  const { spawnSync } = await import('node:child_process');
  const esbuild = join(root, 'node_modules', '.bin', 'esbuild');
  const out = join(root, 'dist', 'electron');
  const common = ['--bundle', '--platform=node', '--target=node20', '--external:electron', '--log-level=warning'];
  const natives = ['better-sqlite3', 'serialport', '@serialport/*', 'node-thermal-printer'].map((m) => `--external:${m}`);
  const runs = [
    [
      'electron/main.ts',
      ...common,
      ...natives,
      '--format=esm',
      `--outfile=${join(out, 'main.mjs')}`,
      // Bundled CommonJS dependencies call require(); give them one.
      "--banner:js=import { createRequire as __ldRequire } from 'node:module'; const require = __ldRequire(import.meta.url);",
    ],
    ['electron/preload.ts', ...common, '--format=cjs', `--outfile=${join(out, 'preload.cjs')}`],
  ];
  for (const args of runs) {
    const r = spawnSync(esbuild, args, { cwd: root, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`electron build failed: ${r.stderr || r.error?.message || r.status}`);
  }
  return join(out, 'main.mjs');
}

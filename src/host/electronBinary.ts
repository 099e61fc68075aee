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


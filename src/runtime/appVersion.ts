// The program's version, from package.json two folders up: src/runtime/ in the repo and dist/cli/ or
// dist/electron/ in a build sit at the same depth (docs/cli.md), so one path holds for all of them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | null = null;

export function appVersion(): string {
  if (cached === null) {
    try {
      const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
      cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
    } catch {
      cached = '0.0.0';
    }
  }
  return cached;
}

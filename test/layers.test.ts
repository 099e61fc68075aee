// DESIGN.md layers: src/ never imports electron or react; src/loyalty imports nothing with I/O;
// renderer/ reaches the core only through contract types and the message catalog.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (/\.(ts|tsx|mjs)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

describe('layers', () => {
  it('src/ never imports electron or react', () => {
    const bad = files(join(ROOT, 'src')).flatMap((f) =>
      imports(f)
        .filter((i) => /^(electron|react|react-dom)(\/|$)/.test(i))
        .map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('src/loyalty imports only itself, zod and node:crypto', () => {
    const bad = files(join(ROOT, 'src/loyalty')).flatMap((f) =>
      imports(f)
        .filter((i) => !(i.startsWith('./') || i === 'zod' || i === 'node:crypto'))
        .map((i) => `${relative(ROOT, f)} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('src/sync protocol schemas import neither the terminal nor HQ', () => {
    const bad = files(join(ROOT, 'src/sync'))
      .filter((f) => f.includes('/sync/events') || f.includes('/sync/protocol'))
      .flatMap((f) => imports(f).filter((i) => /\/(terminal|hq|store)\//.test(i)).map((i) => `${relative(ROOT, f)} → ${i}`));
    expect(bad).toEqual([]);
  });
});

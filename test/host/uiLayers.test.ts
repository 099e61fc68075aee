// DESIGN.md layers for the UI side: renderer/ reaches the core only through contract *types* and the
// message catalog (nothing of SQLite, Node or zod ends up in the bundle); the preload is types and
// electron only; nothing the web host or tests load imports electron.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return files(p);
    return /\.(ts|tsx|mts)$/.test(name) ? [p] : [];
  });
}

interface Import {
  from: string;
  typeOnly: boolean;
}

function imports(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => ({
    from: (m[3] ?? m[4])!,
    typeOnly: m[2] !== undefined,
  }));
}

// zxing-wasm's reader and its wasm file (a URL into the build): the camera's decode worker (renderer/scan/, DESIGN.md).
const RENDERER_PACKAGES = new Set(['react', 'react-dom', 'react-dom/client', 'react/jsx-runtime', 'react-i18next', 'i18next', 'zxing-wasm/reader', 'zxing-wasm/reader/zxing_reader.wasm?url', 'echarts/core', 'echarts/charts', 'echarts/components', 'echarts/renderers']);

describe('UI layers', () => {
  it('renderer/ imports contract types only, the catalog, and its UI libraries', () => {
    const bad: string[] = [];
    for (const f of files(join(ROOT, 'renderer'))) {
      for (const i of imports(f)) {
        const rel = relative(ROOT, f);
        if (i.from.startsWith('.') && !i.from.includes('/src/') && !i.from.startsWith('../src') && !i.from.startsWith('../../src')) continue;
        if (RENDERER_PACKAGES.has(i.from)) continue;
        if (/(^|\/)src\/contract\//.test(i.from) && i.typeOnly) continue;
        if (/(^|\/)src\/i18n(\/|$)/.test(i.from)) continue;
        bad.push(`${rel} → ${i.from}${i.typeOnly ? ' (type)' : ''}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the preload imports electron and types only', () => {
    const bad = imports(join(ROOT, 'electron', 'preload.ts')).filter((i) => i.from !== 'electron' && !i.typeOnly);
    expect(bad).toEqual([]);
  });

  it('nothing under src/ or test/ imports electron/ or the electron package', () => {
    const bad = [...files(join(ROOT, 'src')), ...files(join(ROOT, 'test'))].flatMap((f) =>
      imports(f)
        .filter((i) => i.from === 'electron' || i.from.startsWith('electron/') || /(^|\/)electron\//.test(i.from))
        .map((i) => `${relative(ROOT, f)} → ${i.from}`),
    );
    expect(bad).toEqual([]);
  });
});

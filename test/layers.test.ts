// The layer table of docs/layout.md as data (VS Code's code-layering style): each folder of src/,
// renderer/ and electron/ is a layer that lists what it may import; every import of every source
// file is checked against it. A file belongs to the layer with the longest folder prefix that
// contains it; a file in no layer fails, and so does a layer with no file (the table cannot go stale).
import { beforeAll, describe, expect, it } from 'vitest';
import { importGraph, importsOf, SOURCE_DIRS, type SourceModule } from './helpers/importGraph';

interface Layer {
  /** The layer's folder prefix (repo-relative): every file under it not claimed by a longer prefix. */
  layer: string;
  /** Layers this one may import besides itself. 'src/terminal' covers every src/terminal/* layer; '*' is anything. */
  mayImport: readonly string[];
  /** Bare packages it may import ('node:*' for every Node built-in); absent: any (but see SRC_BANNED). */
  packages?: readonly string[];
}

const CORE = ['src/contract', 'src/loyalty'];
const OPERATIONS_MAY = [...CORE, 'src/i18n', 'src/store', 'src/scan', 'src/print', 'src/sync'];
const PRODUCT = [
  'src/loyalty', 'src/contract', 'src/i18n', 'src/sync', 'src/store', 'src/scan', 'src/print', 'src/terminal',
  'src/syncClient', 'src/runtime', 'src/host', 'src/hq', 'src/log',
];

const LAYERS: readonly Layer[] = [
  // the pure rules: no I/O, no clock
  { layer: 'src/loyalty', mayImport: [], packages: ['zod', 'node:crypto'] },
  // the floor: inputs (zod), outputs (types), error codes; the renderer bundles it and i18n, so no Node built-ins
  { layer: 'src/contract', mayImport: ['src/loyalty'], packages: ['zod'] },
  { layer: 'src/i18n', mayImport: CORE, packages: ['zod', 'i18next'] },
  // the logger port, its allow-listed fields, the file sink and its reader: nothing of the app
  { layer: 'src/log', mayImport: ['src/contract'], packages: ['zod', 'node:crypto', 'node:fs', 'node:path'] },
  // the wire protocol HQ and terminals share
  { layer: 'src/sync', mayImport: ['src/loyalty'], packages: ['zod', 'node:crypto'] },
  { layer: 'src/store', mayImport: [...CORE, 'src/sync'] },
  { layer: 'src/scan', mayImport: [...CORE, 'src/store'] },
  { layer: 'src/print', mayImport: [...CORE, 'src/i18n', 'src/store'] },
  { layer: 'src/terminal/operations', mayImport: OPERATIONS_MAY },
  { layer: 'src/terminal/manager', mayImport: [...OPERATIONS_MAY, 'src/terminal/operations'] },
  // The sessions reach data only through the service (operations) and the manager's modules.
  { layer: 'src/terminal/session', mayImport: [...CORE, 'src/i18n', 'src/terminal', 'src/log'] },
  { layer: 'src/terminal/demo', mayImport: ['src/terminal/operations', 'src/store', 'src/scan', ...CORE] },
  { layer: 'src/syncClient', mayImport: ['src/sync', 'src/store', ...CORE, 'src/terminal/operations', 'src/log'] },
  {
    layer: 'src/runtime',
    mayImport: ['src/terminal', 'src/syncClient', 'src/print', 'src/scan', 'src/store', ...CORE, 'src/i18n', 'src/log'],
  },
  { layer: 'src/host', mayImport: ['src/runtime', 'src/terminal/session', ...CORE, 'src/i18n', 'src/log'] },
  // HQ applies the same rules, so it may import them besides the protocol
  { layer: 'src/hq', mayImport: ['src/sync', 'src/loyalty'] },
  { layer: 'src/cli', mayImport: PRODUCT },
  { layer: 'src/bench', mayImport: ['*'] },
  { layer: 'electron', mayImport: ['src/runtime', 'src/terminal/session', 'src/host', 'src/contract', 'src/i18n', 'src/log'], packages: ['electron', 'node:*'] },
  {
    layer: 'renderer',
    mayImport: ['src/contract', 'src/i18n'],
    packages: ['react', 'react-dom', 'react-i18next', 'i18next', 'zxing-wasm', 'echarts'],
  },
];

/** Packages no file under src/ may import, whatever its layer says. */
const SRC_BANNED = ['electron', 'react', 'react-dom'];

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

/** The layer with the longest folder prefix containing path. */
function layerOf(path: string, table: readonly Layer[] = LAYERS): Layer | undefined {
  let best: Layer | undefined;
  for (const l of table) if (within(path, l.layer) && (best === undefined || l.layer.length > best.layer.length)) best = l;
  return best;
}

const mayImportLayer = (from: Layer, to: string): boolean =>
  to === from.layer || from.mayImport.some((m) => m === '*' || within(to, m));

const mayImportPackage = (from: Layer, pkg: string): boolean => {
  if (within(from.layer, 'src') && SRC_BANNED.includes(pkg)) return false;
  if (from.packages === undefined) return true;
  return from.packages.some((p) => p === pkg || (p === 'node:*' && pkg.startsWith('node:')));
};

const inSources = (path: string): boolean => SOURCE_DIRS.some((d) => within(path, d));
const folderOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * Where a path may belong: its layer, or, for a source file in no layer (mid-move), every layer
 * inside its folder (where it lands unless it leaves the folder). Empty outside src/, renderer/, electron/.
 */
function placesOf(path: string, table: readonly Layer[]): { layers: readonly Layer[]; name: string } {
  const own = layerOf(path, table);
  if (own !== undefined) return { layers: [own], name: `layer ${own.layer}` };
  const dir = folderOf(path);
  return { layers: inSources(path) ? table.filter((l) => within(l.layer, dir)) : [], name: `any layer under ${dir}` };
}

/**
 * "file:line → target (layer A may not import layer B)" for every import the table forbids. A file
 * in no layer is named by its own check; its imports (and imports of it) are still reported when no
 * layer it could move into allows them, so a tree in mid-move shows every definite violation.
 */
function layerViolations(graph: readonly SourceModule[], table: readonly Layer[] = LAYERS): string[] {
  const out: string[] = [];
  for (const m of graph) {
    const own = layerOf(m.file, table);
    const from = placesOf(m.file, table);
    if (from.layers.length === 0) continue;
    const refuse = (what: string): string =>
      own !== undefined ? `layer ${own.layer} may not import ${what}` : `no layer under ${folderOf(m.file)} may import ${what}`;
    for (const i of m.imports) {
      const at = `${m.file}:${i.line} → ${i.target}`;
      if (i.external) {
        if (!from.layers.some((l) => mayImportPackage(l, i.target))) out.push(`${at} (${refuse(`package ${i.target}`)})`);
        continue;
      }
      if (!inSources(i.target)) {
        const outside = `a file outside ${SOURCE_DIRS.join('/, ')}/`;
        if (!from.layers.some((l) => l.mayImport.includes('*'))) out.push(`${at} (${refuse(outside)})`);
        continue;
      }
      if (own === undefined && layerOf(i.target, table) === undefined) continue; // both mid-move: no verdict yet
      const to = placesOf(i.target, table);
      if (to.layers.length === 0) continue;
      if (!from.layers.some((f) => to.layers.some((t) => mayImportLayer(f, t.layer)))) out.push(`${at} (${refuse(to.name)})`);
    }
  }
  return out;
}

describe('layer table (docs/layout.md)', () => {
  let graph: SourceModule[];
  beforeAll(() => {
    graph = importGraph();
  });

  it('every source file falls into a layer', () => {
    expect(graph.map((m) => m.file).filter((f) => layerOf(f) === undefined)).toEqual([]);
  });

  it('every layer of the table has at least one file', () => {
    expect(LAYERS.filter((l) => !graph.some((m) => layerOf(m.file)?.layer === l.layer)).map((l) => l.layer)).toEqual([]);
  });

  it('every relative import resolves to a file', () => {
    const missing = graph.flatMap((m) =>
      m.imports.filter((i) => !i.resolved).map((i) => `${m.file}:${i.line} → ${i.specifier} (no such file)`),
    );
    expect(missing).toEqual([]);
  });

  it('every import lands in its own layer or one it may import', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  // The promises of docs/layout.md that the table must keep, so that loosening a row is a visible change.
  describe('the table keeps the promises', () => {
    const row = (name: string): Layer => LAYERS.find((l) => l.layer === name)!;
    it('src/loyalty imports nothing of the app and only zod and node:crypto (no I/O)', () => {
      expect(row('src/loyalty').mayImport).toEqual([]);
      expect([...row('src/loyalty').packages!].sort()).toEqual(['node:crypto', 'zod']);
    });
    it('src/sync imports nothing of the app but src/loyalty', () => {
      expect(row('src/sync').mayImport).toEqual(['src/loyalty']);
    });
    it('renderer/ reaches src/ only through src/contract and src/i18n', () => {
      expect([...row('renderer').mayImport].sort()).toEqual(['src/contract', 'src/i18n']);
    });
    it('nothing but src/bench imports src/bench', () => {
      const may = LAYERS.filter((l) => l.layer !== 'src/bench' && l.mayImport.some((m) => m === '*' || within('src/bench', m)));
      expect(may.map((l) => l.layer)).toEqual([]);
    });
    it('no src/ layer may import electron, react or react-dom', () => {
      const src = LAYERS.filter((l) => within(l.layer, 'src'));
      expect(src.flatMap((l) => SRC_BANNED.filter((p) => mayImportPackage(l, p)).map((p) => `${l.layer} → ${p}`))).toEqual([]);
    });
  });

  it('reads every kind of import, and none from comments, strings or JSX text', () => {
    const text = [
      "// import x from './comment';",
      "/* import('./block') */",
      "import a, { b } from './a';",
      "import type { T } from '../loyalty/types';",
      "import './side.css';",
      "export * from './star';",
      "export * as ns from './ns';",
      "export { c } from 'node:fs';",
      'const s = "import e from \'./string\'";',
      "const w = `require('node:worker_threads'); import f from './template'`;",
      "const m = await import('./dyn');",
      "const r = createRequire(import.meta.url)('node-thermal-printer');",
      "type X = import('react').X;",
      "const worker = new Worker(new URL('./decodeWorker.ts', import.meta.url));",
      "const dir = new URL('../../db/terminal/', import.meta.url);",
      "const jsx = <div>import x from './jsxText'</div>;",
    ].join('\n');
    const edges = importsOf('src/host/x.tsx', text).map((e) => `${e.line} ${e.kind} ${e.target}`);
    expect(edges).toEqual([
      '3 import src/host/a',
      '4 import-type src/loyalty/types.ts',
      '5 side-effect src/host/side.css',
      '6 export src/host/star',
      '7 export src/host/ns',
      '8 export node:fs',
      '11 dynamic src/host/dyn',
      '12 require node-thermal-printer',
      '13 import-type react',
      '14 url src/host/decodeWorker.ts',
    ]);
  });

  // The check can fail: a made-up graph with one import of each forbidden kind.
  it('reports forbidden imports', () => {
    const edge = (target: string, external = false) => ({ specifier: target, kind: 'import' as const, target, external, resolved: true, line: 1 });
    const fake: SourceModule[] = [
      { file: 'src/loyalty/tiers.ts', imports: [edge('src/store/open.ts'), edge('node:fs', true), edge('zod', true)] },
      { file: 'src/sync/protocol.ts', imports: [edge('src/loyalty/index.ts'), edge('src/store/open.ts')] },
      { file: 'src/host/server.ts', imports: [edge('react', true), edge('src/bench/run.ts'), edge('src/runtime/x.ts')] },
      { file: 'renderer/App.tsx', imports: [edge('src/store/open.ts'), edge('src/contract/inputs.ts')] },
      { file: 'src/terminal/session/dispatcher.ts', imports: [edge('src/terminal/manager/kpis.ts')] },
      { file: 'src/terminal/manager/kpis.ts', imports: [edge('src/terminal/session/dispatcher.ts')] },
      { file: 'src/bench/run.ts', imports: [edge('renderer/scan/decodeFrame.ts'), edge('vite.config.ts')] },
      { file: 'src/print/queue.ts', imports: [edge('vite.config.ts')] },
      // mid-move: src/terminal/api.ts is in no layer yet, but every layer it can move into is under src/terminal
      { file: 'src/contract/terminalApi.ts', imports: [edge('src/terminal/api.ts')] },
      { file: 'src/terminal/api.ts', imports: [edge('src/host/server.ts'), edge('src/store/open.ts'), edge('src/terminal/x.ts')] },
    ];
    expect(layerViolations(fake)).toEqual([
      'src/loyalty/tiers.ts:1 → src/store/open.ts (layer src/loyalty may not import layer src/store)',
      'src/loyalty/tiers.ts:1 → node:fs (layer src/loyalty may not import package node:fs)',
      'src/sync/protocol.ts:1 → src/store/open.ts (layer src/sync may not import layer src/store)',
      'src/host/server.ts:1 → react (layer src/host may not import package react)',
      'src/host/server.ts:1 → src/bench/run.ts (layer src/host may not import layer src/bench)',
      'renderer/App.tsx:1 → src/store/open.ts (layer renderer may not import layer src/store)',
      'src/terminal/manager/kpis.ts:1 → src/terminal/session/dispatcher.ts (layer src/terminal/manager may not import layer src/terminal/session)',
      'src/print/queue.ts:1 → vite.config.ts (layer src/print may not import a file outside src/, renderer/, electron/)',
      'src/contract/terminalApi.ts:1 → src/terminal/api.ts (layer src/contract may not import any layer under src/terminal)',
      'src/terminal/api.ts:1 → src/host/server.ts (no layer under src/terminal may import layer src/host)',
    ]);
  });
});

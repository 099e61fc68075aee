// The import graph of the product sources (src/, renderer/, electron/), read with the TypeScript
// parser rather than regular expressions, so comments, strings and template literals (a worker's
// eval'd source, a usage example in a comment) are never taken for imports.
//
// Every edge: static `import … from`, `import type`, `export … from`, `export * from`, side-effect
// `import 'x'`, dynamic `import('x')` with a literal, `import('x').T` in a type, `new URL('./x',
// import.meta.url)` naming a module (workers, child processes; a folder or an asset is not an
// import), `new Worker('./x')`, and `require('x')` / `createRequire(…)('x')`. Relative specifiers
// resolve to repo-relative paths (trying .ts, .tsx, .mts, .mjs, /index.ts); bare ones are kept as
// package names, Node built-ins as "node:…".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const SOURCE_DIRS = ['src', 'renderer', 'electron'] as const;
const SOURCE_EXT = /\.(ts|tsx|mts|mjs)$/;
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.mjs', '/index.ts', '/index.tsx', '/index.mts', '/index.mjs'];

export type ImportKind =
  | 'import' // import x / { x } / * as x from
  | 'import-type' // import type …, import('x').T in a type position
  | 'export' // export { x } from, export * from, export * as ns from
  | 'side-effect' // import 'x'
  | 'dynamic' // import('x')
  | 'url' // new URL('./x.ts', import.meta.url) naming a module
  | 'worker' // new Worker('./x')
  | 'require'; // require('x'), createRequire(…)('x')

export interface ImportEdge {
  /** The specifier as written. */
  specifier: string;
  kind: ImportKind;
  /** Repo-relative path (forward slashes) for a relative specifier, the package name for a bare one. */
  target: string;
  /** True for a bare specifier (a package or a Node built-in). */
  external: boolean;
  /** For a relative specifier: whether a file was found. Always true for externals. */
  resolved: boolean;
  /** 1-based line of the import in its file. */
  line: number;
}

export interface SourceModule {
  /** Repo-relative path, forward slashes. */
  file: string;
  imports: ImportEdge[];
}

const toRel = (abs: string, root: string): string => relative(root, abs).split(sep).join('/');

/** Every source file (ts, tsx, mts, mjs) under the given folders, repo-relative, sorted. */
export function sourceFiles(root = ROOT, dirs: readonly string[] = SOURCE_DIRS): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a folder moved away while we walked
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (SOURCE_EXT.test(e.name) && !e.name.endsWith('.d.ts')) out.push(toRel(p, root));
    }
  };
  for (const d of dirs) walk(join(root, d));
  return out.sort();
}

/** 'react-dom/client' → 'react-dom', '@fastify/static/x' → '@fastify/static', 'fs' → 'node:fs', 'fs/promises' → 'node:fs/promises'. */
export function packageName(specifier: string): string {
  if (isBuiltin(specifier)) return specifier.startsWith('node:') ? specifier : `node:${specifier}`;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return isBuiltin(name) ? `node:${name}` : name;
}

const isFileCache = new Map<string, boolean>();
function isFile(abs: string): boolean {
  let hit = isFileCache.get(abs);
  if (hit === undefined) {
    try {
      hit = statSync(abs).isFile();
    } catch {
      hit = false;
    }
    isFileCache.set(abs, hit);
  }
  return hit;
}

/** Resolves a relative specifier from fromFile (repo-relative); returns a repo-relative path or undefined. */
export function resolveRelative(fromFile: string, specifier: string, root = ROOT): string | undefined {
  const base = resolve(root, dirname(fromFile), specifier);
  const candidates = RESOLVE_SUFFIXES.map((s) => base + s);
  // TypeScript's ESM convention: './x.js' may name './x.ts'.
  if (/\.(m?js|jsx)$/.test(specifier)) {
    const stem = base.slice(0, -extname(base).length);
    candidates.push(`${stem}.ts`, `${stem}.tsx`, `${stem}.mts`);
  }
  const hit = candidates.find(isFile);
  return hit === undefined ? undefined : toRel(hit, root);
}

const isRelative = (s: string): boolean => s === '.' || s === '..' || s.startsWith('./') || s.startsWith('../');

function isImportMetaUrl(node: ts.Node | undefined): boolean {
  return (
    node !== undefined &&
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

const literalText = (node: ts.Node | undefined): string | undefined =>
  node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.mjs') || file.endsWith('.js')) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** The imports of one file, given its repo-relative path and text. */
export function importsOf(file: string, text: string, root = ROOT): ImportEdge[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(file));
  const edges: ImportEdge[] = [];
  const add = (specifier: string, kind: ImportKind, at: ts.Node): void => {
    const line = sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1;
    if (!isRelative(specifier)) {
      edges.push({ specifier, kind, target: packageName(specifier), external: true, resolved: true, line });
      return;
    }
    const hit = resolveRelative(file, specifier, root);
    if (kind === 'url' && !SOURCE_EXT.test(hit ?? specifier)) return; // a folder or an asset (SQL, HTML), not a module
    const unresolved = toRel(resolve(root, dirname(file), specifier), root);
    edges.push({ specifier, kind, target: hit ?? unresolved, external: false, resolved: hit !== undefined, line });
  };

  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      const spec = literalText(st.moduleSpecifier)!;
      const clause = st.importClause;
      add(spec, clause === undefined ? 'side-effect' : clause.isTypeOnly ? 'import-type' : 'import', st);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined) {
      add(literalText(st.moduleSpecifier)!, 'export', st);
    } else if (
      ts.isImportEqualsDeclaration(st) &&
      ts.isExternalModuleReference(st.moduleReference) &&
      literalText(st.moduleReference.expression) !== undefined
    ) {
      add(literalText(st.moduleReference.expression)!, st.isTypeOnly ? 'import-type' : 'require', st);
    }
  }

  // Expressions anywhere in the file.
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const arg = literalText(node.arguments[0]);
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        if (arg !== undefined) add(arg, 'dynamic', node);
      } else if (arg !== undefined) {
        const callee = node.expression;
        const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
        const isCreatedRequire =
          ts.isCallExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'createRequire';
        if (isRequire || isCreatedRequire) add(arg, 'require', node);
      }
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(arg.literal.text, 'import-type', node);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const first = literalText(node.arguments?.[0]);
      if (node.expression.text === 'URL' && first !== undefined && isImportMetaUrl(node.arguments?.[1]) && isRelative(first)) {
        add(first, 'url', node);
      } else if (node.expression.text === 'Worker' && first !== undefined && isRelative(first)) {
        add(first, 'worker', node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edges;
}

/** Every source file under src/, renderer/ and electron/ with its imports. */
export function importGraph(root = ROOT, dirs: readonly string[] = SOURCE_DIRS): SourceModule[] {
  const out: SourceModule[] = [];
  for (const file of sourceFiles(root, dirs)) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue; // moved or deleted since the listing
    }
    out.push({ file, imports: importsOf(file, text, root) });
  }
  return out;
}

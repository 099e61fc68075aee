// Every export (value or type) of every module under src/, electron/ and renderer/ has a user
// outside test/ (or, for a declaration its own module uses, at least that module): a named import of it, a re-export of it, a namespace import or `export *` of its
// module (taken as using every export), or a dynamic import (`(await import('x')).name`, a
// destructuring of it, `.then((m) => m.name)`; any other use of the module object uses every export).
// Read with the TypeScript checker over tsconfig.json, so `export { x } from` and `export *` chains
// are followed to the module that declares x. Entry points are exempt where they are entries.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { resolveRelative, ROOT, SOURCE_DIRS, sourceFiles } from './helpers/importGraph';

const within = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);
const isChecked = (file: string): boolean => SOURCE_DIRS.some((d) => within(file, d)) && !file.endsWith('.d.ts');
const isTest = (file: string): boolean => within(file, 'test');

/** The renderer's entries: the <script src> of its HTML pages. */
function rendererEntries(root: string): string[] {
  const out: string[] = [];
  const dir = join(root, 'renderer');
  for (const page of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.html')) : []) {
    const html = readFileSync(join(dir, page), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    for (const m of html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/g)) {
      const hit = resolveRelative(`renderer/${page}`, m[1]!.startsWith('.') ? m[1]! : `./${m[1]!}`, root);
      if (hit !== undefined) out.push(hit);
    }
  }
  return out;
}

interface ExportRef {
  file: string;
  name: string;
}
const key = (file: string, name: string): string => `${file}#${name}`;

interface Analysis {
  /** Every export declared (or re-exported by name) in a checked module. */
  exports: { file: string; name: string; line: number; inOwnFile: boolean }[];
  /** key(file, name) → files that use it. */
  users: Map<string, Set<string>>;
  /** Checked files that some other file imports (in any way). */
  imported: Set<string>;
}

function analyse(root: string): Analysis {
  const rel = (abs: string): string => relative(root, abs).split(sep).join('/');
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // The .mjs launchers (bin.mjs, fork children) import TypeScript modules too.
  const mjs = sourceFiles(root).filter((f) => f.endsWith('.mjs')).map((f) => join(root, f));
  // Only the repo's own modules matter here: packages' and the standard library's declarations
  // (14 MB: DOM, electron, playwright…) are left out, which takes the analysis from ~10 s to ~2 s.
  const options: ts.CompilerOptions = { ...parsed.options, allowJs: true, checkJs: false, noEmit: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options, true);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseNone;
  // A .d.mts beside a plain .mjs (src/cli/build.d.mts) types it for the compiler; here the users
  // belong to the code itself.
  const toCode = (m: ts.ResolvedModuleFull | undefined): ts.ResolvedModuleFull | undefined => {
    const code = m?.resolvedFileName.replace(/\.d\.mts$/, '.mjs');
    return m && code !== m.resolvedFileName && ts.sys.fileExists(code!) ? { ...m, resolvedFileName: code!, extension: ts.Extension.Mjs } : m;
  };
  host.resolveModuleNames = (names, containingFile) =>
    names.map((n) => (n.startsWith('.') ? toCode(ts.resolveModuleName(n, containingFile, options, host).resolvedModule) : undefined));
  const program = ts.createProgram({ rootNames: [...parsed.fileNames, ...mjs], options, host });
  const checker = program.getTypeChecker();
  const ours = program.getSourceFiles().filter((sf) => {
    const r = rel(sf.fileName);
    return !r.startsWith('..') && !r.includes('node_modules/') && !sf.isDeclarationFile;
  });
  const byFile = new Map(ours.map((sf) => [rel(sf.fileName), sf]));

  const exportTable = new Map<string, Map<string, ts.Symbol>>();
  const exportsOf = (file: string): Map<string, ts.Symbol> => {
    let table = exportTable.get(file);
    if (table === undefined) {
      table = new Map();
      const sf = byFile.get(file);
      const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
      if (moduleSymbol !== undefined) for (const s of checker.getExportsOfModule(moduleSymbol)) table.set(s.name, s);
      exportTable.set(file, table);
    }
    return table;
  };
  /** The module that declares `name` as exported from `file` (following `export *`). */
  const declaringFile = (file: string, sym: ts.Symbol): string => {
    const decl = sym.declarations?.[0];
    return decl === undefined ? file : rel(decl.getSourceFile().fileName);
  };

  const users = new Map<string, Set<string>>();
  const imported = new Set<string>();
  const use = (user: string, target: ExportRef): void => {
    const sym = exportsOf(target.file).get(target.name);
    const file = sym === undefined ? target.file : declaringFile(target.file, sym);
    const k = key(file, target.name);
    let set = users.get(k);
    if (set === undefined) users.set(k, (set = new Set()));
    set.add(user);
  };
  const useAll = (user: string, file: string): void => {
    for (const name of exportsOf(file).keys()) use(user, { file, name });
  };

  /** The repo-relative file a module specifier names, through the checker, else the file resolver. */
  const moduleFile = (from: ts.SourceFile, spec: ts.Expression): string | undefined => {
    const sym = checker.getSymbolAtLocation(spec);
    const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
    if (decl !== undefined && ts.isSourceFile(decl)) return rel(decl.fileName);
    if (ts.isStringLiteralLike(spec) && spec.text.startsWith('.')) return resolveRelative(rel(from.fileName), spec.text, root);
    return undefined;
  };

  /** The names a dynamic import's module object is used for, or undefined for "any". */
  const dynamicNames = (call: ts.CallExpression): string[] | undefined => {
    let node: ts.Node = call;
    while (ts.isParenthesizedExpression(node.parent) || ts.isAwaitExpression(node.parent)) node = node.parent;
    const parent = node.parent;
    const bindingNames = (b: ts.BindingName): string[] | undefined => {
      if (!ts.isObjectBindingPattern(b)) return undefined;
      if (b.elements.some((e) => e.dotDotDotToken !== undefined)) return undefined;
      const names = b.elements.map((e) => (e.propertyName ?? e.name) as ts.Node);
      return names.every((n) => ts.isIdentifier(n) || ts.isStringLiteral(n)) ? names.map((n) => (n as ts.Identifier).text) : undefined;
    };
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      if (parent.name.text !== 'then' || node !== call) return [parent.name.text];
      // import('x').then((m) => m.a) / .then(({ a }) => …)
      const cb = ts.isCallExpression(parent.parent) ? parent.parent.arguments[0] : undefined;
      if (cb === undefined || !(ts.isArrowFunction(cb) || ts.isFunctionExpression(cb))) return undefined;
      const p = cb.parameters[0];
      if (p === undefined) return [];
      if (!ts.isIdentifier(p.name)) return bindingNames(p.name);
      const param = p.name.text;
      const names: string[] = [];
      let other = false;
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n) && n.text === param && n !== p.name) {
          if (ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) names.push(n.parent.name.text);
          else other = true;
        }
        ts.forEachChild(n, visit);
      };
      visit(cb.body);
      return other ? undefined : names;
    }
    if (ts.isVariableDeclaration(parent) && parent.initializer === node) return bindingNames(parent.name);
    return undefined;
  };

  for (const sf of ours) {
    const user = rel(sf.fileName);
    const note = (file: string | undefined): file is string => {
      if (file !== undefined && file !== user) imported.add(file);
      return file !== undefined;
    };
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st)) {
        const file = moduleFile(sf, st.moduleSpecifier);
        if (!note(file)) continue;
        const clause = st.importClause;
        if (clause?.name !== undefined) use(user, { file, name: 'default' });
        const nb = clause?.namedBindings;
        if (nb !== undefined && ts.isNamespaceImport(nb)) useAll(user, file);
        else if (nb !== undefined) for (const el of nb.elements) use(user, { file, name: (el.propertyName ?? el.name).text });
      } else if (ts.isExportDeclaration(st) && st.moduleSpecifier !== undefined) {
        const file = moduleFile(sf, st.moduleSpecifier);
        if (!note(file)) continue;
        const ec = st.exportClause;
        if (ec === undefined || ts.isNamespaceExport(ec)) useAll(user, file);
        else for (const el of ec.elements) use(user, { file, name: (el.propertyName ?? el.name).text });
      }
    }
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined) {
        const file = moduleFile(sf, node.arguments[0]);
        if (note(file)) {
          const names = dynamicNames(node);
          if (names === undefined) useAll(user, file);
          else for (const name of names) use(user, { file, name });
        }
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        const file = moduleFile(sf, node.argument.literal);
        if (note(file)) {
          let q = node.qualifier;
          while (q !== undefined && ts.isQualifiedName(q)) q = q.left;
          if (q === undefined) useAll(user, file);
          else use(user, { file, name: q.text });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  // The exports each checked module declares itself (`export *` names belong to their own module).
  const exports: Analysis['exports'] = [];
  for (const [file, sf] of byFile) {
    if (!isChecked(file)) continue;
    for (const [name, sym] of exportsOf(file)) {
      const decl = sym.declarations?.find((d) => d.getSourceFile() === sf);
      if (decl === undefined) continue;
      const at = ts.getNameOfDeclaration(decl) ?? decl;
      const line = sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1;
      // Is the local binding referred to in its own file, besides its declaration and export?
      const local = ts.isExportSpecifier(decl) ? (decl.propertyName ?? decl.name).text : name;
      let inOwnFile = false;
      if (!(ts.isExportSpecifier(decl) && decl.parent.parent.moduleSpecifier !== undefined)) {
        const target = checker.getExportSymbolOfSymbol(ts.isExportSpecifier(decl) ? (checker.getImmediateAliasedSymbol(sym) ?? sym) : sym);
        const scan = (n: ts.Node): void => {
          if (inOwnFile) return;
          if (ts.isIdentifier(n) && n.text === local && !isDeclarationName(n)) {
            const s = checker.getSymbolAtLocation(n);
            if (s !== undefined && checker.getExportSymbolOfSymbol(s) === target) inOwnFile = true;
          }
          ts.forEachChild(n, scan);
        };
        scan(sf);
      }
      exports.push({ file, name, line, inOwnFile });
    }
  }
  return { exports, users, imported };
}

/** The name of a declaration or of an export specifier, not a use of the binding. */
function isDeclarationName(n: ts.Identifier): boolean {
  const p = n.parent;
  if (ts.isExportSpecifier(p)) return true;
  const declaration =
    ts.isVariableDeclaration(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p) || ts.isInterfaceDeclaration(p) ||
    ts.isTypeAliasDeclaration(p) || ts.isEnumDeclaration(p) || ts.isModuleDeclaration(p);
  return declaration && p.name === n;
}

/**
 * Exports whose only users are tests, kept on purpose: the whole catalogue of codes and messages the
 * i18n test checks, pure pieces of receipt layout and the op-id barcode tested directly, and the row
 * readers and writers that fixtures use to set up and inspect the print queue and the key cache.
 * Keep it short: anything else only a test uses is dead code.
 */
const TEST_SEAMS = new Set([
  'src/contract/errors.ts#ERROR_CODES',
  'src/contract/errors.ts#SCAN_REJECTIONS',
  'src/i18n/index.ts#resources',
  'src/print/doc.ts#docLines',
  'src/print/opIdCode.ts#opIdFromBarcodeDigits',
  'src/print/preview.ts#renderReceiptPreview',
  'src/store/printJobs.ts#getQueuedJob',
  'src/store/scanCache.ts#upsertTrustedKey',
  'src/store/scanCache.ts#upsertRevocation',
]);

/** Exports that need no user: the entries and what they export for their runner. */
function isEntryExport(file: string, name: string, imported: Set<string>, renderer: string[]): boolean {
  if (within(file, 'src/bench')) return true; // benches are entries of `npm run bench`
  if (/(^|\/)migrations\//.test(file)) return true; // migration scripts are run by name
  if (file === 'src/cli/main.ts' && name === 'main') return true; // src/cli/bin.mjs
  if (/^electron\/[^/]+\.ts$/.test(file) && !imported.has(file)) return true; // main, preload, build
  if (renderer.includes(file) && !imported.has(file)) return true; // <script src> of renderer/*.html
  return false;
}

/** "file:line name (notes)" for every export with no user outside test/, sorted. */
function unusedExports(root: string): string[] {
  const a = analyse(root);
  const entries = rendererEntries(root);
  const usersOf = (e: { file: string; name: string }): string[] => [...(a.users.get(key(e.file, e.name)) ?? [])];
  return a.exports
    .filter((e) => !isEntryExport(e.file, e.name, a.imported, entries))
    .filter((e) => !usersOf(e).some((u) => !isTest(u) && u !== e.file))
    // A declaration its own module uses (a type in a used function's signature, a schema a parser
    // is built from) is not dead code; only its `export` is surface nobody needs, which we allow.
    .filter((e) => !e.inOwnFile)
    .filter((e) => root !== ROOT || !TEST_SEAMS.has(key(e.file, e.name)))
    .map((e) => {
      const notes = [usersOf(e).some(isTest) ? 'used only by tests' : '', e.inOwnFile ? 'used in its own file' : ''].filter(Boolean);
      return `${e.file}:${e.line} ${e.name}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
    })
    .sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));
}

describe('exports', () => {
  it('every export of src/, electron/ and renderer/ has a user outside test/', () => {
    expect(unusedExports(ROOT)).toEqual([]);
  }, 120_000);

  // The check can fail, and counts what it should: a made-up project with each kind of use.
  it('finds unused exports through re-exports, export *, namespaces and dynamic imports', () => {
    const root = mkdtempSync(join(tmpdir(), 'exports-used-'));
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', target: 'ES2022', moduleResolution: 'Bundler' }, include: ['src', 'test'] }),
      'src/a.ts': [
        'export const used = 1;',
        'export const viaBarrel = 2;',
        'export const unusedA = 3;',
        'export function lonely(): void {}',
        'export const onlyTest = 4;',
        'export type T = number;',
        'export const inFile = 5;',
        'export const alsoInFile = inFile;',
      ].join('\n'),
      'src/barrel.ts': "export { viaBarrel } from './a';\nexport { deadReexport } from './b';\nexport * from './c';\n",
      'src/b.ts': 'export const deadReexport = 1;\nexport const dynProp = 2;\nexport const dynDestr = 3;\nexport const dynThen = 4;\nexport const dynUnused = 5;\n',
      'src/c.ts': 'export const viaStar = 1;\nexport const starOnly = 2;\n',
      'src/d.ts': 'export const nsA = 1;\n',
      'src/cli/main.ts': [
        "import { used, type T } from '../a';",
        "import { viaBarrel, viaStar } from '../barrel';",
        "import * as d from '../d';",
        "const x = (await import('../b')).dynProp;",
        "const { dynDestr } = await import('../b');",
        "void import('../b').then((m) => m.dynThen);",
        'const t: T = 1;',
        'void [used, viaBarrel, viaStar, d, x, dynDestr, t];',
        'export async function main(): Promise<number> { return 0; }',
        'export const notAnEntry = 1;',
      ].join('\n'),
      'test/a.test.ts': "import { onlyTest } from '../src/a';\nvoid onlyTest;\n",
    };
    try {
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, f)), { recursive: true });
        writeFileSync(join(root, f), text);
      }
      expect(unusedExports(root)).toEqual([
        'src/a.ts:3 unusedA',
        'src/a.ts:4 lonely',
        'src/a.ts:5 onlyTest (used only by tests)',
        'src/a.ts:8 alsoInFile',
        'src/b.ts:5 dynUnused',
        'src/barrel.ts:2 deadReexport',
        'src/cli/main.ts:10 notAnEntry',
      ].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

// Builds the desk UI (renderer/) into dist/renderer: served by the web host, loaded by Electron.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

export const RENDERER_ROOT = fileURLToPath(new URL('./renderer', import.meta.url));
export const RENDERER_OUT = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * Fontsource lists each font file twice, woff2 then woff for browsers before 2016. Chromium and
 * Electron always take the woff2, so the woff copies are dropped before vite copies what the CSS
 * names: half the files in dist/renderer (docs/ui.md, "The font that ships").
 */
const woff2Only = {
  postcssPlugin: 'woff2-only',
  Declaration: {
    src: (decl: { value: string }) => {
      decl.value = decl.value.replace(/,\s*url\([^)]*\.woff\)\s*format\(['"]?woff['"]?\)/g, '');
    },
  },
};

export default defineConfig(({ command }) => {
  // A build is the shipped bundle whatever NODE_ENV the shell or a test runner set: with "test" or
  // "development" vite and React would make their development build (src/cli/rendererBuild.ts).
  if (command === 'build') process.env.NODE_ENV = 'production';
  return config;
});

const config: UserConfig = {
  root: RENDERER_ROOT,
  // Relative asset URLs: the same build works from http://127.0.0.1:PORT/ and from Electron's file://.
  base: './',
  plugins: [react()],
  css: { postcss: { plugins: [woff2Only] } },
  build: {
    outDir: RENDERER_OUT,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // A small font subset inlined as a data: URL would be refused by the CSP (font-src is 'self').
    assetsInlineLimit: (file) => (file.endsWith('.woff2') ? false : undefined),
    // Two pages: the desk (index.html) and the member kiosk (kiosk.html, docs/kiosk.md).
    rolldownOptions: { input: { index: `${RENDERER_ROOT}/index.html`, kiosk: `${RENDERER_ROOT}/kiosk.html` } },
  },
};

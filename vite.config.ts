// Builds the desk UI (renderer/) into dist/renderer: served by the web host, loaded by Electron.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export const RENDERER_ROOT = fileURLToPath(new URL('./renderer', import.meta.url));
export const RENDERER_OUT = fileURLToPath(new URL('./dist/renderer', import.meta.url));

export default defineConfig({
  root: RENDERER_ROOT,
  // Relative asset URLs: the same build works from http://127.0.0.1:PORT/ and from Electron's file://.
  base: './',
  plugins: [react()],
  build: {
    outDir: RENDERER_OUT,
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // Two pages: the desk (index.html) and the member kiosk (kiosk.html, docs/kiosk.md).
    rolldownOptions: { input: { index: `${RENDERER_ROOT}/index.html`, kiosk: `${RENDERER_ROOT}/kiosk.html` } },
  },
});

// Vite config of the demo: `npm run demo` (dev server) or `npm run demo:build` (static site in dist/).
// The MNIST subset is written into public/mnist/ before the build or the dev server starts. Both the
// dev server and `vite preview` make the page cross-origin isolated, which shared wasm memory needs,
// so simdnn trains on several threads (any static server of the built site must send the same headers).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { prepareDemoData } from './prepare-data.js';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The headers that make a page cross-origin isolated (`crossOriginIsolated`), so workers can share wasm memory. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root,
  base: './',
  plugins: [{ name: 'simdnn-demo-mnist', buildStart: () => prepareDemoData(`${root}public/mnist`) }],
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { fs: { allow: ['../..'] }, headers: isolationHeaders }, // the page imports the library's source from ../../src
  preview: { headers: isolationHeaders },
});

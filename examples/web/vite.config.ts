// Vite config of the demo: `npm run demo` (dev server) or `npm run demo:build` (static site in dist/).
// The MNIST subset is written into public/mnist/ before the build or the dev server starts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { prepareDemoData } from './prepare-data.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [{ name: 'simdnn-demo-mnist', buildStart: () => prepareDemoData(`${root}public/mnist`) }],
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { fs: { allow: ['../..'] } }, // the page imports the library's source from ../../src
});

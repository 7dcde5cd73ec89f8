// Bundles src/index.ts (with the embedded wasm) into dist/index.js, one ESM file.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  external: ['node:*'],
  logLevel: 'warning',
});

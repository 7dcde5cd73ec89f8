// Bundles the library (src/index.ts, wasm embedded) twice and the CLI once:
//   dist/index.node.js  for Node: '#file-system' and other package.json "imports" take their "node" file
//   dist/index.js       for browsers, workers and every bundler: their default file, with no node:* import;
//                       the relaxed-SIMD kernels it loads on demand (a dynamic import) stay in a chunk
//                       of their own, dist/chunks/, so that the default download does not carry them
//   dist/cli.js         the `simdnn` command (Node)
//   dist/onnx.js        `simdnn/onnx` (src/onnx/index.ts): the core stays outside, imported as 'simdnn'
// package.json's exports["."] sends the "node" condition to the first and everything else to the second.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const common = { bundle: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };
// The image decoders ('#image-codecs', Node only) are CommonJS dependencies that require Node's
// modules: left as imports for Node to load (on first use), since a CommonJS require inside an ESM
// bundle fails.
const node = { platform: 'node', external: ['pngjs', 'jpeg-js'] };

// Chunks are named by their hash: the last build's would stay in dist/chunks (and in the package) beside the new ones.
rmSync('dist/chunks', { recursive: true, force: true });
await build({ ...common, ...node, entryPoints: ['src/index.ts'], outfile: 'dist/index.node.js' });
await build({
  ...common, entryPoints: { index: 'src/index.ts' }, outdir: 'dist', platform: 'browser', splitting: true, chunkNames: 'chunks/[name]-[hash]',
});
await build({ ...common, ...node, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js' });

// src/onnx reaches the core's ops and state only through src/index.ts: that import becomes the
// package's own 'simdnn', so a program that uses both loads the core (its wasm, its Tensor class) once.
const coreIndex = resolve('src/index.ts');
const coreAsPackage = {
  name: 'core-as-package',
  setup(b) {
    b.onResolve({ filter: /index\.js$/ }, (args) => (resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === coreIndex ? { path: 'simdnn', external: true } : undefined));
  },
};
await build({ ...common, entryPoints: ['src/onnx/index.ts'], outfile: 'dist/onnx.js', platform: 'neutral', plugins: [coreAsPackage] });

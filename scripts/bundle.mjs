// Bundles the library (src/index.ts, wasm embedded) twice and the CLI once:
//   dist/index.node.js  for Node: '#file-system' and other package.json "imports" take their "node" file
//   dist/index.js       for browsers, workers and every bundler: their default file, with no node:* import
//   dist/cli.js         the `simdnn` command (Node)
// package.json's exports["."] sends the "node" condition to the first and everything else to the second.
import { build } from 'esbuild';

const common = { bundle: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.node.js', platform: 'node' });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', platform: 'browser' });
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', platform: 'node' });

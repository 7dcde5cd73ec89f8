// Bundles the library (src/index.ts, wasm embedded) into dist/index.js and the CLI into dist/cli.js.
import { build } from 'esbuild';

const common = { bundle: true, format: 'esm', target: 'es2022', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js', platform: 'neutral', external: ['node:*'] });
await build({ ...common, entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.js', platform: 'node' });

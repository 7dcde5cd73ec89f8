// The library's download size: src/index.ts bundled for browsers by esbuild (minified, ES2022, the
// wasm embedded as base64 as it ships, code splitting on as every splitting bundler does it), raw and
// gzipped, against the 100 KB gzipped target: the default bundle (the entry and the chunks it imports
// statically) and, apart, the relaxed-SIMD kernels that `sn.ready()` loads as a chunk of their own;
// the wasm binaries alone for comparison. Needs the wasm built (`npm run bench` builds it first).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { splitScripts } from '../tests/helpers/bundle-split.js';

/** The target for the gzipped default bundle: 100 KB. */
const TARGET_BYTES = 100 * 1024;

function sizes(name: string, files: Uint8Array[]): Record<string, string | number> {
  const rawBytes = files.reduce((n, f) => n + f.length, 0);
  const gzipBytes = files.reduce((n, f) => n + gzipSync(f, { level: 9 }).length, 0);
  return { artefact: name, rawBytes, gzipBytes, gzipKB: gzipBytes / 1024, 'gzip % of 100 KB target': (100 * gzipBytes) / TARGET_BYTES };
}

/** Bundles the library as a browser user would and reports its raw and gzipped bytes. */
export async function benchBundleSize(): Promise<Record<string, string | number>[]> {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'warning',
    splitting: true, outdir: 'bundle-size', metafile: true,
  });
  const contents = new Map(result.outputFiles.map((f) => [f.path.slice(f.path.lastIndexOf('bundle-size/')), f.contents]));
  const { first, onDemand } = splitScripts(result.metafile);
  const wasm = (name: string) => readFileSync(new URL(`../build/${name}`, import.meta.url));
  return [
    sizes('simdnn default bundle (JS + embedded wasm, minified)', first.map((path) => contents.get(path)!)),
    sizes('relaxed-SIMD chunk, loaded by sn.ready()', onDemand.map((path) => contents.get(path)!)),
    sizes('portable wasm binary alone', [wasm('simdnn.wasm')]),
    sizes('relaxed-SIMD wasm binary alone', [wasm('simdnn-relaxed.wasm')]),
  ];
}

// The library's download size: src/index.ts bundled for browsers by esbuild (minified, ES2022, the
// wasm embedded as base64 as it ships), raw and gzipped, against the 100 KB gzipped target; the wasm
// binary alone for comparison. Needs the wasm built (`npm run bench` builds it first).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The target for the gzipped bundle: 100 KB. */
const TARGET_BYTES = 100 * 1024;

function sizes(name: string, bytes: Uint8Array): Record<string, string | number> {
  const gzipBytes = gzipSync(bytes, { level: 9 }).length;
  return { artefact: name, rawBytes: bytes.length, gzipBytes, gzipKB: gzipBytes / 1024, 'gzip % of 100 KB target': (100 * gzipBytes) / TARGET_BYTES };
}

/** Bundles the library as a browser user would and reports its raw and gzipped bytes. */
export async function benchBundleSize(): Promise<Record<string, string | number>[]> {
  const result = await build({
    entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false, logLevel: 'warning',
  });
  const wasm = readFileSync(new URL('../build/simdnn.wasm', import.meta.url));
  return [sizes('simdnn bundle (JS + embedded wasm, minified)', result.outputFiles[0].contents), sizes('wasm binary alone', wasm)];
}

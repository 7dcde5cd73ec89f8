// What a browser downloads first from an esbuild build with code splitting: the entry and the chunks
// it imports statically (transitively), apart from the chunks it imports on demand (the relaxed-SIMD
// kernels, which `sn.ready()` loads). Shared by tests/bundlers and bench/bundle-size.ts.
import type { Metafile } from 'esbuild';

/** The output scripts of `metafile`: loaded with the entry, and loaded on demand. */
export function splitScripts(metafile: Metafile): { first: string[]; onDemand: string[] } {
  const scripts = Object.keys(metafile.outputs).filter((path) => path.endsWith('.js'));
  const entry = scripts.find((path) => metafile.outputs[path].entryPoint);
  if (!entry) throw new Error('the build has no entry script');
  const first = new Set([entry]);
  for (const file of first) {
    for (const { path, kind } of metafile.outputs[file].imports) if (kind === 'import-statement') first.add(path);
  }
  return { first: [...first], onDemand: scripts.filter((path) => !first.has(path)) };
}

// The relaxed-SIMD kernels in browsers and bundlers: a separate chunk (a dynamic import), fetched by
// `load()` only, so the default bundle does not carry them. Bundlers that split code (Vite, webpack,
// Rollup, esbuild --splitting) emit the chunk on their own; without splitting it is inlined.
import { embeddedBytes } from './embedded.js';
import { validated, type RelaxedBytes, type RelaxedSimdHost } from './relaxed-simd.js';

let result: RelaxedBytes | undefined;

export const relaxedSimdHost: RelaxedSimdHost = {
  loadSync: () => result,
  async load() {
    if (!result) {
      try {
        const { relaxedWasmBase64 } = await import('./wasm-relaxed-bytes.generated.js');
        result ??= validated(embeddedBytes(relaxedWasmBase64));
      } catch (error) {
        result ??= { unavailable: `the relaxed-SIMD chunk did not load (${(error as Error).message})` };
      }
    }
    return result;
  },
};

// The relaxed-SIMD kernels in Node: embedded in the bundle (size matters less than a synchronous
// start). Node 20 (V8 11.3) validates relaxed SIMD only behind --experimental-wasm-relaxed-simd, so
// where the bytes do not validate the flag is set for this process and they are validated again; V8
// then compiles them (and nothing else changes: the flag only admits the relaxed-SIMD opcodes).
// Node 22 and later validate them as they are and are left alone.
import { setFlagsFromString } from 'node:v8';
import { relaxedWasmBase64 } from './wasm-relaxed-bytes.generated.js';
import { embeddedBytes } from './embedded.js';
import { validated, type RelaxedBytes, type RelaxedSimdHost } from './relaxed-simd.js';

let result: RelaxedBytes | undefined;

function loadSync(): RelaxedBytes {
  if (!result) {
    const bytes = embeddedBytes(relaxedWasmBase64);
    if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    result = validated(bytes);
  }
  return result;
}

export const relaxedSimdHost: RelaxedSimdHost = {
  loadSync,
  load: async () => loadSync(),
};

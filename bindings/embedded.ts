// The wasm modules ship inside the JavaScript (scripts/embed-wasm.mjs): raw-deflated, then base64.
import { inflateSync } from 'fflate';

/** The bytes of an embedded module: base64 decoded, then inflated (synchronously, ~1 ms). */
export function embeddedBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const deflated = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) deflated[i] = binary.charCodeAt(i);
  return inflateSync(deflated) as Uint8Array<ArrayBuffer>;
}

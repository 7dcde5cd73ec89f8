/** The bytes of a base64 string (fixtures keep binary files as base64 inside JSON). */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** f32 values from their bit patterns (fixtures store f32 values as uint32 bits). */
export function fromF32Bits(bits: number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

/**
 * A safetensors file by hand: `header` as the JSON text (not padded), followed by `data`. The
 * header length field is the header's UTF-8 length unless `headerLength` overrides it.
 */
export function safetensorsFile(header: string, data: ArrayLike<number> = [], headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

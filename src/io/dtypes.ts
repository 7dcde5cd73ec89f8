// The safetensors element types simdnn reads, each with its size and a reader that converts one
// little-endian element into a number (then rounded to f32 by the Float32Array it is stored in).

/** One safetensors dtype: bytes per element and how to read one element at a byte offset. */
export interface Dtype {
  readonly size: number;
  readonly read: (view: DataView, offset: number) => number;
}

const bitsView = new DataView(new ArrayBuffer(4));

/** IEEE 754 half precision (binary16) bits to a number, exactly. */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** bfloat16 bits (the high half of an f32) to a number, exactly. */
function bfloat16ToNumber(bits: number): number {
  bitsView.setUint32(0, bits << 16);
  return bitsView.getFloat32(0);
}

/**
 * Readable dtypes by their safetensors name. Integers above 2^53 (I64, U64) round twice (to f64,
 * then f32), which can differ from PyTorch's direct rounding in the last bit.
 */
export const DTYPES: ReadonlyMap<string, Dtype> = new Map<string, Dtype>([
  ['BOOL', { size: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) }],
  ['U8', { size: 1, read: (v, o) => v.getUint8(o) }],
  ['I8', { size: 1, read: (v, o) => v.getInt8(o) }],
  ['I16', { size: 2, read: (v, o) => v.getInt16(o, true) }],
  ['U16', { size: 2, read: (v, o) => v.getUint16(o, true) }],
  ['F16', { size: 2, read: (v, o) => halfToNumber(v.getUint16(o, true)) }],
  ['BF16', { size: 2, read: (v, o) => bfloat16ToNumber(v.getUint16(o, true)) }],
  ['I32', { size: 4, read: (v, o) => v.getInt32(o, true) }],
  ['U32', { size: 4, read: (v, o) => v.getUint32(o, true) }],
  ['F32', { size: 4, read: (v, o) => v.getFloat32(o, true) }],
  ['F64', { size: 8, read: (v, o) => v.getFloat64(o, true) }],
  ['I64', { size: 8, read: (v, o) => Number(v.getBigInt64(o, true)) }],
  ['U64', { size: 8, read: (v, o) => Number(v.getBigUint64(o, true)) }],
]);

/** `count` elements of `dtype` starting at byte `offset` of `view`, as f32. */
export function decodeElements(view: DataView, offset: number, dtype: Dtype, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = dtype.read(view, offset + i * dtype.size);
  return out;
}

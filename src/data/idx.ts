// The IDX format (LeCun's, used by MNIST): bytes 0–1 are zero, byte 2 the data type, byte 3 the
// number of dimensions, then one big-endian u32 per dimension, then the values, big-endian, row-major.
import { formatShape } from '../errors.js';
import { DataError } from './errors.js';

interface IdxDataTypes {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** The element types IDX knows, by the name of their typed array. */
export type IdxDtype = keyof IdxDataTypes;

/** A parsed IDX array: its element type, its shape and its values (row-major) in the matching typed array. */
export type IdxArray = { [D in IdxDtype]: { dtype: D; shape: number[]; data: IdxDataTypes[D] } }[IdxDtype];

interface TypedArrayConstructor {
  new (length: number): IdxDataTypes[IdxDtype];
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): IdxDataTypes[IdxDtype];
  readonly BYTES_PER_ELEMENT: number;
}

interface IdxType {
  dtype: IdxDtype;
  array: TypedArrayConstructor;
  /** Reads one value; the last argument is `littleEndian`. */
  get: (this: DataView, offset: number, littleEndian: boolean) => number;
}

const TYPES: Record<number, IdxType> = {
  0x08: { dtype: 'uint8', array: Uint8Array, get: DataView.prototype.getUint8 },
  0x09: { dtype: 'int8', array: Int8Array, get: DataView.prototype.getInt8 },
  0x0b: { dtype: 'int16', array: Int16Array, get: DataView.prototype.getInt16 },
  0x0c: { dtype: 'int32', array: Int32Array, get: DataView.prototype.getInt32 },
  0x0d: { dtype: 'float32', array: Float32Array, get: DataView.prototype.getFloat32 },
  0x0e: { dtype: 'float64', array: Float64Array, get: DataView.prototype.getFloat64 },
};

const hex = (byte: number): string => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Parses an IDX file. The header is validated (magic number, data type, number of dimensions) and
 * the data must fill the rest of the file exactly; anything else throws a `DataError` that names
 * what is wrong and where (byte offset, or expected and actual length).
 *
 * Multi-byte values are converted from big-endian into a new typed array; `uint8` and `int8` data
 * are returned as a view over the same memory as `bytes` (no copy of MNIST's 47 MB), so copy them
 * before changing either.
 */
export function parseIdx(bytes: Uint8Array | ArrayBufferLike): IdxArray {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  if (u8.length < 4) {
    throw new DataError(`parseIdx: the file has ${u8.length} bytes, too short for the 4-byte IDX magic number`);
  }
  if (u8[0] !== 0 || u8[1] !== 0) {
    const gzip = u8[0] === 0x1f && u8[1] === 0x8b ? ' (this looks like a gzip file: decompress it first)' : '';
    throw new DataError(`parseIdx: bad magic number: bytes 0-1 must be 0x00 0x00, found ${hex(u8[0])} ${hex(u8[1])}${gzip}`);
  }
  const type = TYPES[u8[2]];
  if (!type) {
    const known = Object.entries(TYPES).map(([code, t]) => `${hex(Number(code))} ${t.dtype}`);
    throw new DataError(`parseIdx: unknown data type ${hex(u8[2])} at byte 2 (expected ${known.slice(0, -1).join(', ')} or ${known.at(-1)})`);
  }
  const ndim = u8[3];
  if (ndim === 0) throw new DataError('parseIdx: byte 3 gives 0 dimensions; an IDX array has at least 1');
  const headerBytes = 4 + 4 * ndim;
  if (u8.length < headerBytes) {
    throw new DataError(`parseIdx: truncated header: ${ndim} dimensions need a ${headerBytes}-byte header but the file has ${u8.length} bytes`);
  }
  const shape = Array.from({ length: ndim }, (_, d) => view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const width = type.array.BYTES_PER_ELEMENT;
  const expected = headerBytes + count * width;
  if (u8.length !== expected) {
    const diff = u8.length < expected ? `${expected - u8.length} bytes missing (truncated file)` : `${u8.length - expected} extra bytes after byte ${expected}`;
    throw new DataError(`parseIdx: data length mismatch: shape ${formatShape(shape)} of ${type.dtype} needs ${count * width} bytes after the `
      + `${headerBytes}-byte header (${expected} in all) but the file has ${u8.length} bytes: ${diff}`);
  }
  if (width === 1) {
    return { dtype: type.dtype, shape, data: new type.array(u8.buffer, u8.byteOffset + headerBytes, count) } as IdxArray;
  }
  const data = new type.array(count);
  for (let i = 0; i < count; i++) data[i] = type.get.call(view, headerBytes + i * width, false);
  return { dtype: type.dtype, shape, data } as IdxArray;
}

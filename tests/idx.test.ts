import { describe, expect, it } from 'vitest';
import * as data from '../src/data/index.js';
import { SimdnnError } from '../src/errors.js';
import { buildIdx } from './helpers/idx.js';

const { parseIdx, DataError } = data;

describe('parseIdx reads every IDX data type', () => {
  const cases = [
    { type: 0x08, dtype: 'uint8', array: Uint8Array, shape: [2, 3], values: [0, 1, 2, 127, 128, 255] },
    { type: 0x09, dtype: 'int8', array: Int8Array, shape: [4], values: [-128, -1, 0, 127] },
    { type: 0x0b, dtype: 'int16', array: Int16Array, shape: [2, 2], values: [-32768, -2, 258, 32767] },
    { type: 0x0c, dtype: 'int32', array: Int32Array, shape: [3, 1], values: [-(2 ** 31), 123456789, 2 ** 31 - 1] },
    { type: 0x0d, dtype: 'float32', array: Float32Array, shape: [1, 2, 2], values: [1.5, Math.fround(-0.1), Infinity, -0] },
    { type: 0x0e, dtype: 'float64', array: Float64Array, shape: [3], values: [Math.PI, -1e300, 0.1] },
  ] as const;

  it.each(cases)('type $type gives $dtype values in a $array.name of the declared shape', ({ type, dtype, array, shape, values }) => {
    const parsed = parseIdx(buildIdx(type, [...shape], values));
    expect(parsed.dtype).toBe(dtype);
    expect(parsed.shape).toEqual(shape);
    expect(parsed.data).toBeInstanceOf(array);
    expect(Array.from(parsed.data)).toEqual(values);
  });

  it('decodes big-endian values and dimensions written out byte by byte', () => {
    const bytes = new Uint8Array([0, 0, 0x0b, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0x01, 0x02, 0xff, 0xfe]);
    const parsed = parseIdx(bytes);
    expect(parsed.shape).toEqual([1, 2]);
    expect(Array.from(parsed.data)).toEqual([258, -2]);
  });

  it('reads from a view that starts inside a larger buffer, and from an ArrayBuffer', () => {
    const file = buildIdx(0x0c, [2], [7, -7]);
    const padded = new Uint8Array(file.length + 5);
    padded.set(file, 3);
    expect(Array.from(parseIdx(padded.subarray(3, 3 + file.length)).data)).toEqual([7, -7]);
    expect(Array.from(parseIdx(file.buffer).data)).toEqual([7, -7]);
  });

  it('returns uint8 data as a view over the input bytes, without a copy', () => {
    const file = buildIdx(0x08, [3], [4, 5, 6]);
    const parsed = parseIdx(file);
    file[8] = 9;
    expect(Array.from(parsed.data)).toEqual([9, 5, 6]);
  });

  it('accepts dimensions of size 0 (an empty array)', () => {
    const parsed = parseIdx(buildIdx(0x08, [0, 28, 28], []));
    expect(parsed.shape).toEqual([0, 28, 28]);
    expect(parsed.data.length).toBe(0);
  });
});

describe('parseIdx refuses malformed files with a precise message', () => {
  const good = buildIdx(0x0b, [2, 3], [1, 2, 3, 4, 5, 6]); // 12-byte header + 12 data bytes
  const edited = (edit: (bytes: Uint8Array) => void): Uint8Array => {
    const copy = good.slice();
    edit(copy);
    return copy;
  };

  it('a file shorter than the magic number', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]))).toThrow('parseIdx: the file has 3 bytes, too short for the 4-byte IDX magic number');
  });

  it('a magic number that does not start with two zero bytes, and says when the file is gzipped', () => {
    expect(() => parseIdx(edited((b) => (b[1] = 0x12)))).toThrow('parseIdx: bad magic number: bytes 0-1 must be 0x00 0x00, found 0x00 0x12');
    expect(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]))).toThrow(
      'parseIdx: bad magic number: bytes 0-1 must be 0x00 0x00, found 0x1F 0x8B (this looks like a gzip file: decompress it first)');
  });

  it('an unknown data type, listing the known ones', () => {
    expect(() => parseIdx(edited((b) => (b[2] = 0x0a)))).toThrow(
      'parseIdx: unknown data type 0x0A at byte 2 (expected 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32 or 0x0E float64)');
  });

  it('zero dimensions', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8, 0, 1]))).toThrow('parseIdx: byte 3 gives 0 dimensions; an IDX array has at least 1');
  });

  it('a header cut inside the dimensions', () => {
    expect(() => parseIdx(good.subarray(0, 10))).toThrow('parseIdx: truncated header: 2 dimensions need a 12-byte header but the file has 10 bytes');
  });

  it('data shorter than the dimensions say (a truncated file)', () => {
    expect(() => parseIdx(good.subarray(0, 21))).toThrow(
      'parseIdx: data length mismatch: shape [2, 3] of int16 needs 12 bytes after the 12-byte header (24 in all) but the file has 21 bytes: 3 bytes missing (truncated file)');
  });

  it('bytes left over after the data', () => {
    const long = new Uint8Array(good.length + 2);
    long.set(good);
    expect(() => parseIdx(long)).toThrow(
      'parseIdx: data length mismatch: shape [2, 3] of int16 needs 12 bytes after the 12-byte header (24 in all) but the file has 26 bytes: 2 extra bytes after byte 24');
  });

  it('dimensions whose product no file could hold', () => {
    const huge = edited((b) => new DataView(b.buffer).setUint32(4, 0xffffffff, false));
    expect(() => parseIdx(huge)).toThrow('parseIdx: data length mismatch: shape [4294967295, 3] of int16 needs 25769803770 bytes after the '
      + '12-byte header (25769803782 in all) but the file has 24 bytes: 25769803758 bytes missing (truncated file)');
  });

  it('throws DataError, a SimdnnError', () => {
    expect(() => parseIdx(new Uint8Array(0))).toThrow(DataError);
    expect(() => parseIdx(new Uint8Array(0))).toThrow(SimdnnError);
  });
});

describe.runIf(typeof window !== 'undefined')('in a browser', () => {
  it('loadMnist says it needs Node and points to parseIdx', async () => {
    await expect(data.loadMnist()).rejects.toThrow(
      'loadMnist: reading the MNIST files needs Node (node:fs); elsewhere, fetch the IDX files and pass their bytes to parseIdx');
  });
});

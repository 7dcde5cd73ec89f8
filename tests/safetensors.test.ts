import { afterEach, describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { SafetensorsError, fromSafetensors, readSafetensorsHeader, toSafetensors } from '../src/io/index.js';
import fixture from './fixtures/safetensors.json';
import { fromBase64, fromF32Bits, safetensorsFile } from './helpers/safetensors.js';

afterEach(() => sn.setBackend('wasm'));

type FixtureCase = { base64: string; metadata: Record<string, string> | null; tensors: Record<string, { shape: number[]; f32Bits: number[] }> };

/** The tensors a fixture case holds, as simdnn tensors. */
function fixtureTensors(c: FixtureCase): Record<string, sn.Tensor> {
  return Object.fromEntries(Object.entries(c.tensors).map(([name, t]) => [name, sn.tensor(fromF32Bits(t.f32Bits), t.shape)]));
}

/** Asserts that `actual` holds exactly the fixture's names, shapes and f32 values (NaN, ±0 and ±∞ included). */
function expectFixtureTensors(actual: Record<string, sn.Tensor>, c: FixtureCase): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(c.tensors).sort());
  for (const [name, t] of Object.entries(c.tensors)) {
    expect(actual[name].shape, name).toEqual(t.shape);
    expect(actual[name].toFloat32Array(), name).toEqual(fromF32Bits(t.f32Bits));
  }
}

describe.each(['wasm', 'ts'] as const)('safetensors on the %s backend', (backend) => {
  it('round-trips several tensors, a 0-d and an empty one included, with their metadata', () => {
    sn.setBackend(backend);
    const stateDict = {
      'conv.weight': sn.tensor(Float32Array.from({ length: 24 }, (_, i) => i / 7 - 1), [2, 1, 3, 4]),
      'conv.bias': sn.tensor([0.25, -3]),
      scale: sn.tensor(2.5),
      nothing: sn.zeros([0, 5]),
    };
    const bytes = toSafetensors(stateDict, { format: 'pt', note: 'x"y\n' });
    const back = fromSafetensors(bytes);
    expect(Object.keys(back).sort()).toEqual(Object.keys(stateDict).sort());
    for (const [name, t] of Object.entries(stateDict)) {
      expect(back[name].shape, name).toEqual(t.shape);
      expect(back[name].toFloat32Array(), name).toEqual(t.toFloat32Array());
      expect(back[name].backend.name).toBe(backend);
    }
    expect(readSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt', note: 'x"y\n' });
  });

  it('writes the bytes that Python safetensors writes for a PyTorch state dict, whatever the insertion order', () => {
    sn.setBackend(backend);
    const expected = fromBase64(fixture.f32.base64);
    const tensors = fixtureTensors(fixture.f32);
    expect(toSafetensors(tensors, { format: 'pt' })).toEqual(expected);
    const reversed = Object.fromEntries(Object.entries(tensors).reverse());
    expect(toSafetensors(reversed, { format: 'pt' })).toEqual(expected);
  });

  it('reads a PyTorch f32 file exactly, NaN, infinities, -0 and subnormals included', () => {
    sn.setBackend(backend);
    expectFixtureTensors(fromSafetensors(fromBase64(fixture.f32.base64)), fixture.f32);
  });

  it('reads F16, BF16, F64, I64, I32, I16, I8, U8 and BOOL tensors into the f32 values PyTorch gives', () => {
    sn.setBackend(backend);
    const bytes = fromBase64(fixture.mixed.base64);
    expectFixtureTensors(fromSafetensors(bytes), fixture.mixed);
    const header = readSafetensorsHeader(bytes);
    expect(header.metadata).toEqual(fixture.mixed.metadata);
    expect(Object.fromEntries(header.tensors.map((t) => [t.name, t.dtype]))).toMatchObject({ f16: 'F16', bf16: 'BF16', f64: 'F64', i64: 'I64', bool: 'BOOL' });
  });

  it('reads U16, U32 and U64 tensors', () => {
    sn.setBackend(backend);
    const data = new DataView(new ArrayBuffer(2 + 4 + 8));
    data.setUint16(0, 65535, true);
    data.setUint32(2, 4294967295, true);
    data.setBigUint64(6, 2n ** 64n - 1n, true);
    const header = '{"a":{"dtype":"U16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"U32","shape":[],"data_offsets":[2,6]},"c":{"dtype":"U64","shape":[1,1],"data_offsets":[6,14]}}';
    const sd = fromSafetensors(safetensorsFile(header, new Uint8Array(data.buffer)));
    expect(sd.a.toArray()).toEqual([65535]);
    expect(sd.b.toArray()).toBe(4294967296);
    expect(sd.c.toArray()).toEqual([[2 ** 64]]);
  });

  it('writes and reads files without tensors as the reference does', () => {
    sn.setBackend(backend);
    expect(toSafetensors({})).toEqual(fromBase64(fixture.empty.base64));
    expect(toSafetensors({}, { framework: 'pt' })).toEqual(fromBase64(fixture.emptyWithMetadata.base64));
    expect(fromSafetensors(fromBase64(fixture.emptyWithMetadata.base64))).toEqual({});
    expect(readSafetensorsHeader(fromBase64(fixture.emptyWithMetadata.base64)).metadata).toEqual({ framework: 'pt' });
  });
});

describe('the safetensors layout', () => {
  it('pads the header with spaces to a multiple of 8 bytes and lists tensors in name order', () => {
    const bytes = toSafetensors({ b: sn.tensor([1]), a: sn.tensor([[2, 3]]) });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header).toBe('{"a":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}  ');
    expect(Array.from(new Float32Array(bytes.slice(8 + length).buffer))).toEqual([2, 3, 1]);
  });

  it('reads a file that sits at an odd offset inside a larger buffer, as Node buffers often do', () => {
    const file = toSafetensors({ w: sn.tensor([1.5, -2]) });
    const larger = new Uint8Array(file.length + 4);
    larger.set(file, 3);
    expect(fromSafetensors(larger.subarray(3, 3 + file.length)).w.toArray()).toEqual([1.5, -2]);
  });

  it('keeps names such as "__proto__" as ordinary tensor names', () => {
    const header = '{"__proto__":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}';
    const sd = fromSafetensors(safetensorsFile(header, [0, 0, 128, 63]));
    expect(Object.keys(sd)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(sd)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(sd, '__proto__')?.value.item()).toBe(1);
  });
});

describe('toSafetensors refuses what it cannot write', () => {
  it('names a value that is not a tensor, a non-string metadata value and the reserved name', () => {
    expect(() => toSafetensors({ w: [1, 2] as unknown as sn.Tensor })).toThrow(new SafetensorsError('toSafetensors: "w" is not a Tensor'));
    expect(() => toSafetensors({}, { epoch: 3 as unknown as string })).toThrow('toSafetensors: metadata "epoch" must be a string, got number');
    expect(() => toSafetensors({ __metadata__: sn.tensor([1]) })).toThrow('toSafetensors: a tensor cannot be named "__metadata__", the header\'s metadata key');
  });
});

/** The error fromSafetensors throws for `bytes`; readSafetensorsHeader must throw the same. */
function refusal(bytes: Uint8Array): SafetensorsError {
  let error: unknown;
  try {
    fromSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SafetensorsError);
  expect(() => readSafetensorsHeader(bytes)).toThrow((error as Error).message);
  return error as SafetensorsError;
}

const f32 = (name: string, shape: string, offsets: string) => `"${name}":{"dtype":"F32","shape":${shape},"data_offsets":${offsets}}`;

describe('malformed safetensors files get precise errors', () => {
  it('a file shorter than the 8-byte header length', () => {
    expect(refusal(new Uint8Array(7)).message).toBe('safetensors: file of 7 bytes is too short: the header length alone takes 8 bytes');
  });

  it('a header length above the reference limit of 100 MB, or beyond the file', () => {
    expect(refusal(safetensorsFile('{}', [], 100_000_001n)).message).toBe('safetensors: header length 100000001 (file bytes 0..8) is above the limit of 100000000 bytes');
    expect(refusal(safetensorsFile('{}', [], 2n ** 64n - 1n)).message).toBe('safetensors: header length 18446744073709551615 (file bytes 0..8) is above the limit of 100000000 bytes');
    expect(refusal(safetensorsFile('{}', [], 100n)).message).toBe('safetensors: header length 100 (file bytes 0..8) reaches beyond the file: the header would end at byte 108 of a 10-byte file');
  });

  it('a header that is not UTF-8, not JSON, or not a JSON object', () => {
    const latin1 = safetensorsFile('{"w":1}');
    latin1[10] = 0xe9;
    expect(refusal(latin1).message).toBe('safetensors: header (file bytes 8..15) is not valid UTF-8');
    expect(refusal(safetensorsFile('{"w":')).message).toBe('safetensors: header (file bytes 8..13): invalid JSON: unexpected end at file byte 13');
    expect(refusal(safetensorsFile('{"é":{]}')).message).toBe('safetensors: header (file bytes 8..17): invalid JSON: expected a string key at file byte 15');
    expect(refusal(safetensorsFile('{} x')).message).toBe('safetensors: header (file bytes 8..12): invalid JSON: unexpected content after the value at file byte 11');
    expect(refusal(safetensorsFile('[1, 2]')).message).toBe('safetensors: header (file bytes 8..14) must be a JSON object, found an array');
    expect(refusal(safetensorsFile('{"a":"\\x"}')).message).toBe('safetensors: header (file bytes 8..18): invalid JSON: invalid escape in a string at file byte 14');
  });

  it('nesting deep enough to exhaust a recursive parser', () => {
    expect(refusal(safetensorsFile('['.repeat(100_000))).message).toBe('safetensors: header (file bytes 8..100008): JSON nested deeper than 128 levels at file byte 136');
  });

  it('a tensor name given twice', () => {
    const header = `{${f32('w', '[1]', '[0,4]')},${f32('w', '[1]', '[4,8]')}}`;
    expect(refusal(safetensorsFile(header, new Uint8Array(8))).message).toBe('safetensors: header (file bytes 8..115): duplicate key "w" at file byte 62');
  });

  it('an entry that is not an object, or lacks dtype, shape or data_offsets', () => {
    expect(refusal(safetensorsFile('{"w":[1]}')).message).toBe('safetensors: tensor "w": expected an object with dtype, shape and data_offsets, found an array');
    expect(refusal(safetensorsFile('{"w":{"shape":[],"data_offsets":[0,4]}}', [0, 0, 0, 0])).message).toBe('safetensors: tensor "w" has no "dtype"');
    expect(refusal(safetensorsFile('{"w":{"dtype":"F32","data_offsets":[0,4]}}', [0, 0, 0, 0])).message).toBe('safetensors: tensor "w" has no "shape"');
    expect(refusal(safetensorsFile('{"w":{"dtype":"F32","shape":[]}}', [0, 0, 0, 0])).message).toBe('safetensors: tensor "w" has no "data_offsets"');
  });

  it('a dtype that is not a string or not one simdnn reads', () => {
    expect(refusal(safetensorsFile('{"w":{"dtype":4,"shape":[],"data_offsets":[0,4]}}')).message).toBe('safetensors: tensor "w": "dtype" must be a string, found 4');
    expect(refusal(safetensorsFile('{"w":{"dtype":"F8_E4M3","shape":[],"data_offsets":[0,1]}}', [0])).message)
      .toBe('safetensors: tensor "w" has dtype "F8_E4M3", which simdnn cannot read (it reads BOOL, U8, I8, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64)');
  });

  it('a shape that is not an array of non-negative integers', () => {
    const bad = (shape: string) => refusal(safetensorsFile(`{${f32('w', shape, '[0,4]')}}`, [0, 0, 0, 0])).message;
    expect(bad('3')).toBe('safetensors: tensor "w": "shape" must be an array of non-negative integers, found 3');
    expect(bad('[2,-1]')).toBe('safetensors: tensor "w": "shape" element 1 is -1, not a non-negative integer');
    expect(bad('[1.5]')).toBe('safetensors: tensor "w": "shape" element 0 is 1.5, not a non-negative integer');
    expect(bad('["2"]')).toBe('safetensors: tensor "w": "shape" element 0 is the string "2", not a non-negative integer');
    expect(bad('[9007199254740993]')).toBe('safetensors: tensor "w": "shape" element 0 is 9007199254740992, not a non-negative integer');
  });

  it('data_offsets that are not two ordered non-negative integers', () => {
    const bad = (offsets: string) => refusal(safetensorsFile(`{${f32('w', '[1]', offsets)}}`, [0, 0, 0, 0])).message;
    expect(bad('[0,4,8]')).toBe('safetensors: tensor "w": "data_offsets" must be two integers [begin, end], found [0, 4, 8]');
    expect(bad('[-4,0]')).toBe('safetensors: tensor "w": "data_offsets" element 0 is -4, not a non-negative integer');
    expect(bad('{"begin":0}')).toBe('safetensors: tensor "w": "data_offsets" must be an array of non-negative integers, found an object');
    expect(bad('[4,0]')).toBe('safetensors: tensor "w": data_offsets [4, 0] end before they begin');
  });

  it('data_offsets beyond the data buffer, with the file offsets named', () => {
    const file = safetensorsFile(`{${f32('w', '[16]', '[0,64]')}}`, new Uint8Array(16));
    expect(refusal(file).message).toBe('safetensors: tensor "w": data_offsets [0, 64] reach beyond the data buffer of 16 bytes: they end at file byte 128 of a 80-byte file');
  });

  it('a shape whose size does not match the byte range', () => {
    const file = safetensorsFile(`{${f32('w', '[2,3]', '[0,16]')}}`, new Uint8Array(16));
    expect(refusal(file).message).toBe('safetensors: tensor "w": shape [2, 3] of F32 needs 24 bytes but data_offsets [0, 16] hold 16');
    const huge = safetensorsFile(`{${f32('w', '[4503599627370496,4503599627370496]', '[0,16]')}}`, new Uint8Array(16));
    expect(refusal(huge).message).toBe('safetensors: tensor "w": shape [4503599627370496, 4503599627370496] of F32 needs 8.112963841460668e+31 bytes but data_offsets [0, 16] hold 16');
  });

  it('overlapping tensors, naming both and where the second begins', () => {
    const file = safetensorsFile(`{${f32('a', '[2]', '[0,8]')},${f32('b', '[2]', '[4,12]')}}`, new Uint8Array(12));
    expect(refusal(file).message).toBe('safetensors: tensors "a" (data_offsets [0, 8]) and "b" (data_offsets [4, 12]) overlap: "b" begins at file byte 120, inside "a"');
  });

  it('gaps between tensors or before the first one', () => {
    const gap = safetensorsFile(`{${f32('b', '[1]', '[8,12]')},${f32('a', '[1]', '[0,4]')}}`, new Uint8Array(12));
    expect(refusal(gap).message).toBe('safetensors: bytes 4..8 of the data buffer (file bytes 120..124) belong to no tensor: "a" ends at 4 and "b" begins at 8');
    const late = safetensorsFile(`{${f32('a', '[1]', '[4,8]')}}`, new Uint8Array(8));
    expect(refusal(late).message).toBe('safetensors: bytes 0..4 of the data buffer (file bytes 62..66) belong to no tensor: the data buffer begins at 0 and "a" begins at 4');
  });

  it('trailing bytes after the last tensor', () => {
    const file = safetensorsFile(`{${f32('a', '[1]', '[0,4]')}}`, new Uint8Array(7));
    expect(refusal(file).message).toBe('safetensors: 3 trailing bytes (file bytes 66..69) follow the last tensor, "a"');
    expect(refusal(safetensorsFile('{}', [1, 2])).message).toBe('safetensors: 2 trailing bytes (file bytes 10..12) follow the header, which lists no tensors');
  });

  it('metadata that is not an object of strings', () => {
    expect(refusal(safetensorsFile('{"__metadata__":{"epoch":3}}')).message).toBe('safetensors: "__metadata__" must be an object of strings, but "epoch" is 3');
    expect(refusal(safetensorsFile('{"__metadata__":"pt"}')).message).toBe('safetensors: "__metadata__" must be an object of strings, found the string "pt"');
  });

  it('bytes that are not a Uint8Array', () => {
    expect(refusal(new ArrayBuffer(16) as unknown as Uint8Array).message).toBe('safetensors: expected the file\'s bytes as a Uint8Array, got a value of type ArrayBuffer');
  });
});

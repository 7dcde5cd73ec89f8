import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as sn from '../src/index.js';
import { SafetensorsError, fromSafetensors, toSafetensors } from '../src/io/index.js';
import { parseStrictJson, type JsonValue } from '../src/io/strict-json.js';
import fixture from './fixtures/safetensors.json';
import { fromBase64, safetensorsFile } from './helpers/safetensors.js';

// Valid files to mutate: every dtype PyTorch writes, a state dict with 0-d and empty tensors, none.
const bases = [
  fromBase64(fixture.mixed.base64),
  toSafetensors({ 'a.weight': sn.tensor([1, 2, 3, 4, 5, 6], [2, 3]), 'a.bias': sn.tensor(0.5), empty: sn.zeros([0, 2]) }, { format: 'pt' }),
  fromBase64(fixture.empty.base64),
];

type Header = Record<string, unknown>;

/** The header and data of a file, if its header length is sane and the header parses. */
function split(bytes: Uint8Array): { header: Header; data: Uint8Array } | undefined {
  if (bytes.length < 8) return undefined;
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  if (8 + length > bytes.length) return undefined;
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
    return header !== null && typeof header === 'object' && !Array.isArray(header) ? { header: header as Header, data: bytes.subarray(8 + length) } : undefined;
  } catch {
    return undefined;
  }
}

/** Edits one field of one tensor entry (chosen by `pick`) of a file whose header parses. */
function editEntry(bytes: Uint8Array, pick: number, edit: (entry: Record<string, unknown>) => void): Uint8Array {
  const parts = split(bytes);
  const names = parts ? Object.keys(parts.header).filter((k) => k !== '__metadata__') : [];
  if (!parts || names.length === 0) return bytes;
  const entry = parts.header[names[pick % names.length]];
  if (entry === null || typeof entry !== 'object') return bytes;
  edit(entry as Record<string, unknown>);
  return safetensorsFile(JSON.stringify(parts.header), parts.data);
}

const numberish = fc.oneof(
  fc.integer({ min: -8, max: 300 }),
  fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e300, -0, 0.5, 1.5),
  fc.string({ maxLength: 3 }),
  fc.constant(null),
);
const place = fc.double({ min: 0, max: 1, noNaN: true });

type Mutate = (bytes: Uint8Array) => Uint8Array;

const mutation: fc.Arbitrary<Mutate> = fc.oneof(
  fc.tuple(place, fc.integer({ min: 0, max: 255 })).map(([at, value]): Mutate => (bytes) => {
    const out = bytes.slice();
    if (out.length > 0) out[Math.floor(at * (out.length - 1))] = value;
    return out;
  }),
  place.map((at): Mutate => (bytes) => bytes.slice(0, Math.floor(at * bytes.length))),
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map((extra): Mutate => (bytes) => Uint8Array.from([...bytes, ...extra])),
  fc.oneof(fc.bigInt({ min: -16n, max: 16n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(99_999_999n, 100_000_000n, 100_000_001n))
    .map((delta): Mutate => (bytes) => {
      if (bytes.length < 8) return bytes;
      const out = bytes.slice();
      const view = new DataView(out.buffer);
      view.setBigUint64(0, BigInt.asUintN(64, (delta >= -16n && delta <= 16n ? view.getBigUint64(0, true) : 0n) + delta), true);
      return out;
    }),
  fc.tuple(fc.nat(), fc.tuple(numberish, numberish), fc.boolean()).map(([pick, offsets, pair]): Mutate => (bytes) =>
    editEntry(bytes, pick, (entry) => { entry.data_offsets = pair ? offsets : [offsets[0]]; })),
  fc.tuple(fc.nat(), fc.integer({ min: -16, max: 16 })).map(([pick, delta]): Mutate => (bytes) =>
    editEntry(bytes, pick, (entry) => {
      if (Array.isArray(entry.data_offsets)) entry.data_offsets = entry.data_offsets.map((x) => (typeof x === 'number' ? x + delta : x));
    })),
  fc.tuple(fc.nat(), fc.array(numberish, { maxLength: 5 })).map(([pick, shape]): Mutate => (bytes) =>
    editEntry(bytes, pick, (entry) => { entry.shape = shape; })),
  fc.tuple(fc.nat(), fc.oneof(fc.constantFrom('F32', 'F16', 'BF16', 'F64', 'I64', 'U8', 'BOOL', 'F8_E4M3', 'f32', ''), numberish)).map(([pick, dtype]): Mutate => (bytes) =>
    editEntry(bytes, pick, (entry) => { entry.dtype = dtype; })),
  fc.tuple(fc.nat(), fc.constantFrom('dtype', 'shape', 'data_offsets')).map(([pick, field]): Mutate => (bytes) =>
    editEntry(bytes, pick, (entry) => { delete entry[field]; })),
  fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([pick, value]): Mutate => (bytes) => {
    const parts = split(bytes);
    const names = parts ? Object.keys(parts.header) : [];
    if (!parts || names.length === 0) return bytes;
    parts.header[names[pick % names.length]] = value;
    return safetensorsFile(JSON.stringify(parts.header), parts.data);
  }),
  fc.nat().map((pick): Mutate => (bytes) => {
    // A second entry under an existing name: only visible in the text, as JSON.parse keeps one.
    const parts = split(bytes);
    const names = parts ? Object.keys(parts.header) : [];
    if (!parts || names.length === 0) return bytes;
    const name = names[pick % names.length];
    const text = JSON.stringify(parts.header);
    return safetensorsFile(`{${JSON.stringify(name)}:${JSON.stringify(parts.header[name])},${text.slice(1)}`, parts.data);
  }),
);

describe('safetensors fuzzing', () => {
  it('answers 10,000 mutated files with tensors or a SafetensorsError, never another error', () => {
    const outcomes = { read: 0, refused: 0 };
    const checks = ['too short', 'is above the limit', 'reaches beyond the file', 'not valid UTF-8', 'invalid JSON', 'duplicate key',
      'expected an object', 'has no', 'must be a string', 'simdnn cannot read', 'not a non-negative integer', 'must be two integers',
      'end before they begin', 'reach beyond the data buffer', 'needs', 'overlap', 'belong to no tensor', 'trailing bytes', '__metadata__'];
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 3 }), (base, mutations) => {
        const bytes = mutations.reduce((b, mutate) => mutate(b), base);
        try {
          const stateDict = fromSafetensors(bytes);
          for (const t of Object.values(stateDict)) {
            expect(t.size).toBe(t.shape.reduce((a, b) => a * b, 1));
            t.dispose();
          }
          outcomes.read++;
        } catch (error) {
          if (!(error instanceof SafetensorsError)) throw error;
          for (const check of checks) if (error.message.includes(check)) seen.add(check);
          outcomes.refused++;
        }
      }),
      { numRuns: 10_000, seed: 20261127 },
    );
    // Both answers are common, and every check of the reader refused some of the files.
    expect(outcomes.read).toBeGreaterThan(500);
    expect(outcomes.refused).toBeGreaterThan(5000);
    expect([...seen].sort()).toEqual([...checks].sort());
  });

  it('parses the header JSON as JSON.parse does, for any value JSON.stringify writes', () => {
    const plain = (value: JsonValue): unknown =>
      value instanceof Map ? Object.fromEntries([...value].map(([k, v]) => [k, plain(v)])) : Array.isArray(value) ? value.map(plain) : value;
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'binary' }), fc.constantFrom(undefined, 1, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(plain(parseStrictJson(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 2000, seed: 20261127 },
    );
  });
});

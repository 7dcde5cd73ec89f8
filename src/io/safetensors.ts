// safetensors (https://github.com/huggingface/safetensors), the weight format PyTorch users share:
//   8 bytes   header length N, u64 little-endian
//   N bytes   UTF-8 JSON: {"__metadata__": {string: string}, name: {dtype, shape, data_offsets}, …}
//   the rest  the data buffer; tensor `name` is bytes [begin, end) of it, row-major, little-endian.
// Writing follows the reference (Rust) implementation byte for byte for f32 tensors; reading checks
// everything the reference checks, with messages that say what is wrong and where, and never reads
// outside the given bytes.
import { tensor } from '../creation.js';
import { SimdnnError, formatShape } from '../errors.js';
import { Tensor } from '../tensor.js';
import { DTYPES, decodeElements, type Dtype } from './dtypes.js';
import { JsonSyntaxError, parseStrictJson, type JsonObject, type JsonValue } from './strict-json.js';

/** A safetensors file that cannot be read or a state dict that cannot be written. */
export class SafetensorsError extends SimdnnError {
  override name = 'SafetensorsError';
}

/** One tensor as a safetensors header describes it. */
export interface SafetensorsEntry {
  name: string;
  /** The stored element type, e.g. `'F32'`, `'BF16'`, `'I64'`; simdnn converts every one to f32. */
  dtype: string;
  shape: number[];
  /** `[begin, end)` byte range inside the data buffer (which starts right after the header). */
  dataOffsets: [number, number];
}

/** A validated safetensors header: the free-form metadata and the tensors in the order it lists them. */
export interface SafetensorsHeader {
  /** The `__metadata__` strings (`{}` when the file has none). */
  metadata: Record<string, string>;
  tensors: SafetensorsEntry[];
}

/** The reference implementation refuses headers longer than this. */
const MAX_HEADER_BYTES = 100_000_000;
const METADATA_KEY = '__metadata__';

/**
 * Serialises a state dict as safetensors: every tensor as F32, sorted by name as the reference
 * implementation sorts them, the header padded with spaces to a multiple of 8 bytes. `metadata`
 * (string values only) is stored as `__metadata__`, its keys sorted; PyTorch writes `{ format: 'pt' }`.
 * The same f32 tensors and metadata give the bytes Python's `safetensors.torch.save` gives (for
 * metadata with several keys the reference's order is its hash map's, so only the order may differ).
 */
export function toSafetensors(stateDict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const fields: string[] = [];
  if (metadata !== undefined) {
    const pairs = Object.keys(metadata).sort(compareCodePoints).map((key) => {
      const value = metadata[key];
      if (typeof value !== 'string') refuse(`metadata ${quote(key)} must be a string, got ${typeof value}`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    fields.push(`"${METADATA_KEY}":{${pairs.join(',')}}`);
  }
  let offset = 0;
  const tensors = Object.keys(stateDict).sort(compareCodePoints).map((name) => {
    const t = stateDict[name];
    if (name === METADATA_KEY) refuse(`a tensor cannot be named "${METADATA_KEY}", the header's metadata key`);
    if (!(t instanceof Tensor)) refuse(`${quote(name)} is not a Tensor`);
    const begin = offset;
    offset += t.size * 4;
    fields.push(`${JSON.stringify(name)}:{"dtype":"F32","shape":[${t.shape.join(',')}],"data_offsets":[${begin},${offset}]}`);
    return { begin, values: t.toFloat32Array() };
  });
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  const dataStart = 8 + headerLength;
  const bytes = new Uint8Array(dataStart + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  bytes.set(json, 8);
  bytes.fill(0x20, 8 + json.length, dataStart);
  for (const { begin, values } of tensors) {
    for (let i = 0; i < values.length; i++) view.setFloat32(dataStart + begin + 4 * i, values[i], true);
  }
  return bytes;
}

/**
 * Reads a safetensors file into a state dict of f32 tensors on the current backend. F32, F16, BF16,
 * F64, integer (I8 … I64, U8 … U64) and BOOL tensors are converted to f32. Throws SafetensorsError
 * naming the problem (and the tensor and file byte offsets where there are some) for any file the
 * reference implementation would refuse, and also for duplicate names.
 */
export function fromSafetensors(bytes: Uint8Array): Record<string, Tensor> {
  const { tensors, dataStart } = parseFile(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Object.fromEntries(tensors.map(({ entry, dtype, count }) => {
    const values = decodeElements(view, dataStart + entry.dataOffsets[0], dtype, count);
    return [entry.name, tensor(values, entry.shape)];
  }));
}

/**
 * Validates a safetensors file as `fromSafetensors` does and returns its header (metadata, names,
 * dtypes, shapes, offsets) without decoding any tensor data.
 */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const { metadata, tensors } = parseFile(bytes);
  return { metadata, tensors: tensors.map(({ entry }) => entry) };
}

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (Rust's `str` order). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) {
    if (x[i] !== y[i]) return x[i].codePointAt(0)! - y[i].codePointAt(0)!;
  }
  return x.length - y.length;
}

interface CheckedTensor {
  entry: SafetensorsEntry;
  dtype: Dtype;
  count: number;
}

function refuse(message: string): never {
  throw new SafetensorsError(`toSafetensors: ${message}`);
}

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

function parseFile(bytes: Uint8Array): { metadata: Record<string, string>; tensors: CheckedTensor[]; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) fail(`expected the file's bytes as a Uint8Array, got ${describe(bytes)}`);
  if (bytes.length < 8) fail(`file of ${bytes.length} bytes is too short: the header length alone takes 8 bytes`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) {
    fail(`header length ${headerLength} (file bytes 0..8) is above the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const dataStart = 8 + Number(headerLength);
  if (dataStart > bytes.length) {
    fail(`header length ${headerLength} (file bytes 0..8) reaches beyond the file: the header would end at byte ${dataStart} of a ${bytes.length}-byte file`);
  }
  const header = parseHeaderJson(bytes.subarray(8, dataStart));
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const tensors: CheckedTensor[] = [];
  for (const [name, value] of header) {
    if (name === METADATA_KEY) metadata = checkMetadata(value);
    else tensors.push(checkEntry(name, value, dataStart, dataLength));
  }
  checkLayout(tensors.map(({ entry }) => entry), dataStart, dataLength);
  return { metadata, tensors, dataStart };
}

/**
 * The reference's rule: sorted by offsets, the tensors tile the data buffer exactly, with no
 * overlap, no gap and nothing after the last one.
 */
function checkLayout(entries: SafetensorsEntry[], dataStart: number, dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let cursor = 0;
  let previous: SafetensorsEntry | undefined;
  for (const entry of sorted) {
    const [begin, end] = entry.dataOffsets;
    if (previous && begin < cursor) {
      fail(`tensors ${quote(previous.name)} (data_offsets [${previous.dataOffsets.join(', ')}]) and ${quote(entry.name)} (data_offsets [${begin}, ${end}]) overlap: ${quote(entry.name)} begins at file byte ${dataStart + begin}, inside ${quote(previous.name)}`);
    }
    if (begin > cursor) {
      const before = previous ? `${quote(previous.name)} ends at ${cursor}` : 'the data buffer begins at 0';
      fail(`bytes ${cursor}..${begin} of the data buffer (file bytes ${dataStart + cursor}..${dataStart + begin}) belong to no tensor: ${before} and ${quote(entry.name)} begins at ${begin}`);
    }
    cursor = end;
    previous = entry;
  }
  if (cursor < dataLength) {
    const after = previous ? `the last tensor, ${quote(previous.name)}` : 'the header, which lists no tensors';
    fail(`${dataLength - cursor} trailing bytes (file bytes ${dataStart + cursor}..${dataStart + dataLength}) follow ${after}`);
  }
}

function parseHeaderJson(headerBytes: Uint8Array): JsonObject {
  const end = 8 + headerBytes.length;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    return fail(`header (file bytes 8..${end}) is not valid UTF-8`);
  }
  let header: JsonValue;
  try {
    header = parseStrictJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const at = 8 + new TextEncoder().encode(text.slice(0, error.index)).length;
    return fail(`header (file bytes 8..${end}): ${error.message} at file byte ${at}`);
  }
  if (!(header instanceof Map)) fail(`header (file bytes 8..${end}) must be a JSON object, found ${describe(header)}`);
  return header;
}

function checkMetadata(value: JsonValue): Record<string, string> {
  if (value === null) return {};
  if (!(value instanceof Map)) return fail(`"${METADATA_KEY}" must be an object of strings, found ${describe(value)}`);
  for (const [key, text] of value) {
    if (typeof text !== 'string') fail(`"${METADATA_KEY}" must be an object of strings, but ${quote(key)} is ${describe(text)}`);
  }
  return Object.fromEntries(value) as Record<string, string>;
}

function checkEntry(name: string, value: JsonValue, dataStart: number, dataLength: number): CheckedTensor {
  const it = `tensor ${quote(name)}`;
  if (!(value instanceof Map)) return fail(`${it}: expected an object with dtype, shape and data_offsets, found ${describe(value)}`);
  const field = (key: string): JsonValue => {
    const found = value.get(key);
    return found === undefined ? fail(`${it} has no "${key}"`) : found;
  };
  const dtypeName = field('dtype');
  if (typeof dtypeName !== 'string') return fail(`${it}: "dtype" must be a string, found ${describe(dtypeName)}`);
  const dtype = DTYPES.get(dtypeName);
  if (!dtype) return fail(`${it} has dtype ${quote(dtypeName)}, which simdnn cannot read (it reads ${[...DTYPES.keys()].join(', ')})`);
  const shape = countList(it, 'shape', field('shape'));
  const offsets = countList(it, 'data_offsets', field('data_offsets'));
  if (offsets.length !== 2) fail(`${it}: "data_offsets" must be two integers [begin, end], found ${formatShape(offsets)}`);
  const [begin, end] = offsets;
  if (end < begin) fail(`${it}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLength) {
    fail(`${it}: data_offsets [${begin}, ${end}] reach beyond the data buffer of ${dataLength} bytes: they end at file byte ${dataStart + end} of a ${dataStart + dataLength}-byte file`);
  }
  const count = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
  if (count * dtype.size !== end - begin) {
    fail(`${it}: shape ${formatShape(shape)} of ${dtypeName} needs ${count * dtype.size} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { entry: { name, dtype: dtypeName, shape, dataOffsets: [begin, end] }, dtype, count };
}

/** A JSON array of non-negative integers (a shape or a pair of offsets), or a precise error. */
function countList(it: string, key: string, value: JsonValue): number[] {
  if (!Array.isArray(value)) return fail(`${it}: "${key}" must be an array of non-negative integers, found ${describe(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== 'number' || !Number.isSafeInteger(item) || item < 0) {
      fail(`${it}: "${key}" element ${i} is ${describe(item)}, not a non-negative integer`);
    }
  });
  return value as number[];
}

/** A name for a message: quoted, and cut short if long. */
function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** A short description of a parsed JSON value (or anything else) for error messages. */
function describe(value: unknown): string {
  if (value instanceof Map) return 'an object';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (value instanceof Object) return `a value of type ${value.constructor.name}`;
  return String(value);
}

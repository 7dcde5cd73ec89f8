// The module imports its linear memory (env.memory), declared shared so that worker threads can run
// kernels over it. Where a shared memory cannot be created (a browser without cross-origin isolation
// in some engines), the same binary is instantiated with an unshared memory: the import's limits
// flags are rewritten in a copy of the bytes (the kernels use no atomics, so nothing else differs).

/** The memory import as the binary declares it (in 64 KiB pages), and where its limits flags sit. */
export interface MemoryImport {
  initial: number;
  maximum: number;
  shared: boolean;
  flagsOffset: number;
}

const IMPORT_SECTION = 2;
const KIND_FUNCTION = 0;
const KIND_TABLE = 1;
const KIND_MEMORY = 2;
const KIND_GLOBAL = 3;
const LIMITS_HAS_MAXIMUM = 1;
const LIMITS_SHARED = 2;

/** Reads the module's memory import from its import section (wasm binary format, LEB128 integers). */
export function readMemoryImport(bytes: Uint8Array): MemoryImport {
  let at = 8; // magic and version
  const u32 = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length) throw new Error(`simdnn: truncated wasm binary at byte ${at}`);
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  const skipName = (): void => {
    const length = u32(); // read before `at` is: `at += u32()` would add to the old position
    at += length;
  };
  const limits = (): { flagsOffset: number; flags: number; initial: number; maximum: number } => {
    const flagsOffset = at;
    const flags = bytes[at++];
    const initial = u32();
    const maximum = flags & LIMITS_HAS_MAXIMUM ? u32() : Infinity;
    return { flagsOffset, flags, initial, maximum };
  };
  while (at < bytes.length) {
    const id = bytes[at++];
    const size = u32();
    const end = at + size;
    if (id !== IMPORT_SECTION) { at = end; continue; }
    for (let count = u32(); count > 0; count--) {
      skipName();
      skipName();
      const kind = bytes[at++];
      if (kind === KIND_MEMORY) {
        const { flagsOffset, flags, initial, maximum } = limits();
        return { initial, maximum, shared: (flags & LIMITS_SHARED) !== 0, flagsOffset };
      }
      if (kind === KIND_FUNCTION) u32();
      else if (kind === KIND_TABLE) { at++; limits(); }
      else if (kind === KIND_GLOBAL) at += 2;
      else throw new Error(`simdnn: unknown import kind ${kind} at byte ${at - 1} of the wasm binary`);
    }
    break;
  }
  throw new Error('simdnn: the wasm binary imports no memory');
}

/** The bytes to instantiate and the memory to give them: shared when this engine allows it. */
export function memoryFor(bytes: Uint8Array<ArrayBuffer>, preferShared = true): { bytes: Uint8Array<ArrayBuffer>; memory: WebAssembly.Memory; shared: boolean } {
  const { initial, maximum, shared } = readMemoryImport(bytes);
  if (preferShared && shared) {
    try {
      return { bytes, memory: new WebAssembly.Memory({ initial, maximum, shared: true }), shared: true };
    } catch {
      // fall through to an unshared memory
    }
  }
  return { bytes: withSharedFlag(bytes, false), memory: new WebAssembly.Memory({ initial, maximum }), shared: false };
}

/** `bytes` if their memory import is `shared` as asked, otherwise a copy with the limits flag rewritten. */
export function withSharedFlag(bytes: Uint8Array<ArrayBuffer>, shared: boolean): Uint8Array<ArrayBuffer> {
  const declared = readMemoryImport(bytes);
  if (declared.shared === shared) return bytes;
  const copy = bytes.slice();
  copy[declared.flagsOffset] ^= LIMITS_SHARED;
  return copy;
}

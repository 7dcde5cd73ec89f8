// Hand-built IDX files for tests: header, big-endian dimensions, big-endian values.

const WRITERS: Record<number, [width: number, write: (view: DataView, offset: number, value: number) => void]> = {
  0x08: [1, (v, o, x) => v.setUint8(o, x)],
  0x09: [1, (v, o, x) => v.setInt8(o, x)],
  0x0b: [2, (v, o, x) => v.setInt16(o, x, false)],
  0x0c: [4, (v, o, x) => v.setInt32(o, x, false)],
  0x0d: [4, (v, o, x) => v.setFloat32(o, x, false)],
  0x0e: [8, (v, o, x) => v.setFloat64(o, x, false)],
};

/** The bytes of an IDX file of data type `type` (0x08 … 0x0E), dimensions `shape` and `values`. */
export function buildIdx(type: number, shape: number[], values: ArrayLike<number>): Uint8Array {
  const [width, write] = WRITERS[type];
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * width);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) write(view, header + i * width, values[i]);
  return bytes;
}

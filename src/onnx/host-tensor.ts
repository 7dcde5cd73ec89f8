import { tensor, type Tensor } from '../index.js';
import { OnnxError } from './errors.js';
import { TensorProto_DataLocation, TensorProto_DataType, type TensorProto } from './proto/onnx_pb.js';

/** The element kinds the importer keeps: f32 values, integers (int8 … int64) and booleans. */
export type HostDType = 'float' | 'int' | 'bool';

/**
 * The size of axis `axis` of the graph value named `value`, known only when the graph runs: what
 * `Shape` gives at load time for a symbolic dimension (e.g. the batch), so that `x.view(x.size(0), -1)`
 * folds into a Reshape whose target reads the batch size of `value` at run time.
 */
export interface DimRef {
  readonly value: string;
  readonly axis: number;
}

/** A number, or a dimension resolved at run time. */
export type Scalar = number | DimRef;

/**
 * A tensor kept in host memory, row-major: constants (initializers that are not trainable, `Constant`
 * nodes) and the small integer tensors of shape computations, folded at load time.
 */
export interface HostTensor {
  readonly dtype: HostDType;
  readonly dims: readonly number[];
  readonly data: readonly Scalar[];
}

/** Elements' byte size in `raw_data`, and how to read them (little-endian), per supported ONNX type. */
const RAW_TYPES: Partial<Record<TensorProto_DataType, { dtype: HostDType; bytes: number; read: (view: DataView, offset: number) => number }>> = {
  [TensorProto_DataType.FLOAT]: { dtype: 'float', bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  [TensorProto_DataType.DOUBLE]: { dtype: 'float', bytes: 8, read: (v, o) => Math.fround(v.getFloat64(o, true)) },
  [TensorProto_DataType.INT64]: { dtype: 'int', bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  [TensorProto_DataType.UINT64]: { dtype: 'int', bytes: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
  [TensorProto_DataType.INT32]: { dtype: 'int', bytes: 4, read: (v, o) => v.getInt32(o, true) },
  [TensorProto_DataType.UINT32]: { dtype: 'int', bytes: 4, read: (v, o) => v.getUint32(o, true) },
  [TensorProto_DataType.INT16]: { dtype: 'int', bytes: 2, read: (v, o) => v.getInt16(o, true) },
  [TensorProto_DataType.UINT16]: { dtype: 'int', bytes: 2, read: (v, o) => v.getUint16(o, true) },
  [TensorProto_DataType.INT8]: { dtype: 'int', bytes: 1, read: (v, o) => v.getInt8(o) },
  [TensorProto_DataType.UINT8]: { dtype: 'int', bytes: 1, read: (v, o) => v.getUint8(o) },
  [TensorProto_DataType.BOOL]: { dtype: 'bool', bytes: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
};

/** Whether this machine stores numbers little-endian, as ONNX's raw_data does. */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The name of an ONNX element type, e.g. `FLOAT16`, or its number if it has none. */
export function dataTypeName(code: number): string {
  return TensorProto_DataType[code] ?? String(code);
}

/** The host kind of an ONNX element type, or undefined when the importer does not support it. */
export function hostDType(code: number): HostDType | undefined {
  return RAW_TYPES[code as TensorProto_DataType]?.dtype;
}

/**
 * Reads a TensorProto (an initializer or a tensor attribute): its element type must be supported and
 * its data (raw little-endian bytes or the typed field of its type) must hold exactly as many values
 * as its dims say. `where` names it in errors (e.g. `initializer "conv1.weight"`).
 */
export function readTensorProto(proto: TensorProto, where: string): HostTensor {
  const type = RAW_TYPES[proto.dataType as TensorProto_DataType];
  if (!type) throw new OnnxError(`${where}: unsupported data type ${dataTypeName(proto.dataType)} (supported: FLOAT, DOUBLE, INT8 … INT64, UINT8 … UINT64, BOOL)`);
  if (proto.dataLocation === TensorProto_DataLocation.EXTERNAL) {
    throw new OnnxError(`${where}: data stored in an external file is unsupported; save the model with its weights inside (onnx.save(..., save_as_external_data=False))`);
  }
  const dims = proto.dims.map((d) => Number(d));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new OnnxError(`${where}: invalid dims [${proto.dims.join(', ')}]`);
  const count = dims.reduce((a, d) => a * d, 1);
  if (proto.rawData.length > 0) {
    if (proto.rawData.length !== count * type.bytes) {
      throw new OnnxError(`${where}: raw_data holds ${proto.rawData.length} bytes but dims [${dims.join(', ')}] of ${dataTypeName(proto.dataType)} need ${count * type.bytes}`);
    }
    if (type.dtype === 'float' && type.bytes === 4 && LITTLE_ENDIAN) {
      const floats = new Float32Array(count); // the common case (weights), copied in one go
      new Uint8Array(floats.buffer).set(proto.rawData);
      return { dtype: 'float', dims, data: Array.from(floats) };
    }
    const view = new DataView(proto.rawData.buffer, proto.rawData.byteOffset, proto.rawData.byteLength);
    return { dtype: type.dtype, dims, data: Array.from({ length: count }, (_, i) => type.read(view, i * type.bytes)) };
  }
  const values = typedField(proto);
  if (values.length !== count) {
    throw new OnnxError(`${where}: holds ${values.length} values but dims [${dims.join(', ')}] need ${count}`);
  }
  return { dtype: type.dtype, dims, data: type.dtype === 'bool' ? values.map((v) => (v === 0 ? 0 : 1)) : values };
}

/** The values of the typed data field that ONNX uses for the tensor's element type. */
function typedField(proto: TensorProto): number[] {
  switch (proto.dataType as TensorProto_DataType) {
    case TensorProto_DataType.FLOAT: return proto.floatData.map(Math.fround);
    case TensorProto_DataType.DOUBLE: return proto.doubleData.map(Math.fround);
    case TensorProto_DataType.INT64: return proto.int64Data.map(Number);
    case TensorProto_DataType.UINT32:
    case TensorProto_DataType.UINT64: return proto.uint64Data.map(Number);
    default: return proto.int32Data;
  }
}

/** A host tensor's values as plain numbers; `where` names it in the error if one is a run-time dimension. */
export function hostNumbers(t: HostTensor, where: string): number[] {
  return t.data.map((v) => {
    if (typeof v !== 'number') throw new OnnxError(`${where}: depends on a dimension known only at run time (${v.value}, axis ${v.axis}), which is unsupported here`);
    return v;
  });
}

/** A float host tensor as a simdnn tensor on the current backend. */
export function toTensor(t: HostTensor, where: string): Tensor {
  return tensor(Float32Array.from(hostNumbers(t, where)), t.dims);
}

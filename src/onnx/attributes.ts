import { OnnxError } from './errors.js';
import { readTensorProto, type HostTensor } from './host-tensor.js';
import { AttributeProto_AttributeType as Type, type AttributeProto } from './proto/onnx_pb.js';

/**
 * A node's attributes, read by name with their ONNX type checked. Errors name the node (`where`) and
 * the attribute; an attribute the operator does not know is refused up front, so that nothing a
 * model asks for is silently ignored.
 */
export class Attributes {
  readonly #byName = new Map<string, AttributeProto>();
  readonly #where: string;

  constructor(attributes: readonly AttributeProto[], known: readonly string[], where: string) {
    this.#where = where;
    for (const a of attributes) {
      if (!known.includes(a.name)) {
        throw new OnnxError(`${where}: unsupported attribute "${a.name}"${known.length > 0 ? ` (supported: ${known.join(', ')})` : ''}`);
      }
      if (a.refAttrName) throw new OnnxError(`${where}: attribute "${a.name}" refers to a function's attribute, which is unsupported`);
      this.#byName.set(a.name, a);
    }
  }

  /** Whether the node sets the attribute. */
  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** An INT attribute, or `fallback` when absent. */
  int(name: string, fallback: number): number {
    const a = this.#get(name, Type.INT);
    return a ? this.#safe(name, a.i) : fallback;
  }

  /** A FLOAT attribute, or `fallback` when absent. */
  float(name: string, fallback: number): number {
    const a = this.#get(name, Type.FLOAT);
    return a ? a.f : fallback;
  }

  /** A STRING attribute (UTF-8), or `fallback` when absent. */
  string(name: string, fallback: string): string {
    const a = this.#get(name, Type.STRING);
    return a ? new TextDecoder().decode(a.s) : fallback;
  }

  /** An INTS attribute, or `fallback` when absent. */
  ints(name: string, fallback: readonly number[] | undefined): readonly number[] | undefined {
    const a = this.#get(name, Type.INTS);
    return a ? a.ints.map((v) => this.#safe(name, v)) : fallback;
  }

  /** A FLOATS attribute, or `fallback` when absent. */
  floats(name: string, fallback: readonly number[] | undefined): readonly number[] | undefined {
    const a = this.#get(name, Type.FLOATS);
    return a ? a.floats : fallback;
  }

  /** A TENSOR attribute, or undefined when absent. */
  tensor(name: string): HostTensor | undefined {
    const a = this.#get(name, Type.TENSOR);
    if (a && !a.t) throw new OnnxError(`${this.#where}: attribute "${name}" has no tensor`);
    return a?.t && readTensorProto(a.t, `${this.#where}: attribute "${name}"`);
  }

  /** Fails with a message naming the node and the attribute. */
  fail(name: string, message: string): never {
    throw new OnnxError(`${this.#where}: attribute "${name}" ${message}`);
  }

  #get(name: string, type: Type): AttributeProto | undefined {
    const a = this.#byName.get(name);
    if (a && a.type !== type) this.fail(name, `has type ${Type[a.type] ?? a.type}, expected ${Type[type]}`);
    return a;
  }

  #safe(name: string, value: bigint): number {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) this.fail(name, `holds ${value}, out of range`);
    return n;
  }
}

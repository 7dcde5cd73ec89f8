import { SimdnnError, nn, type Tensor } from '../index.js';
import { OnnxError, describeNode } from './errors.js';
import { toTensor, type DimRef } from './host-tensor.js';
import type { RunContext } from './ops/op.js';
import type { Plan, Step } from './plan.js';
import type { ModelProto } from './proto/onnx_pb.js';

/**
 * A model loaded from ONNX (`loadOnnx`): runs the graph's nodes with simdnn's ops on the current
 * backend, records gradients like any module, and holds the graph's float initializers as parameters
 * (BatchNormalization's running statistics as buffers) under their ONNX names, so `stateDict()` keys
 * are the file's initializer names. `train()`/`eval()` switch Dropout and BatchNormalization.
 */
export class OnnxModule extends nn.Module {
  /** The graph's input names, in the order `forward` takes them. */
  readonly inputNames: readonly string[];
  /** The graph's output names, in the order `forwardAll` returns them. */
  readonly outputNames: readonly string[];
  /** The nodes that run when the module runs, in order (constants and shape computations were folded at load time). */
  readonly nodes: readonly { readonly name: string; readonly opType: string }[];
  readonly #plan: Plan;
  /** @internal The decoded file, which toOnnx writes back with the current weights. */
  readonly source: ModelProto;
  /** Parameters, buffers and constants by value name. */
  readonly #held = new Map<string, Tensor>();

  /** @internal Use `loadOnnx`. */
  constructor(plan: Plan, source: ModelProto) {
    super();
    this.#plan = plan;
    this.source = source;
    this.inputNames = plan.inputs.map((i) => i.name);
    this.outputNames = [...plan.outputs];
    this.nodes = plan.steps.map(({ node }) => ({ name: node.name, opType: node.opType }));
    for (const [name, value] of plan.parameters) this.#held.set(name, this.registerParameter(name, toTensor(value, `initializer "${name}"`)));
    for (const [name, value] of plan.buffers) this.#held.set(name, this.registerBuffer(name, toTensor(value, `initializer "${name}"`)));
    for (const [name, value] of plan.constants) this.#held.set(name, toTensor(value, `constant "${name}"`));
  }

  /** Runs the graph on its inputs (in graph-input order) and returns its only output. */
  forward(...inputs: Tensor[]): Tensor {
    if (this.outputNames.length !== 1) {
      throw new OnnxError(`forward: the graph has ${this.outputNames.length} outputs (${this.outputNames.join(', ')}); use forwardAll`);
    }
    return this.forwardAll(...inputs)[0];
  }

  /** Runs the graph on its inputs (in graph-input order) and returns every output, in graph-output order. */
  forwardAll(...inputs: Tensor[]): Tensor[] {
    const values = new Map(this.#held);
    const shapes = new Map<string, readonly number[]>();
    this.#bindInputs(inputs, values);
    for (const [name, t] of values) shapes.set(name, t.shape);
    const run: RunContext = {
      training: this.training,
      dim: (ref: DimRef) => shapes.get(ref.value)![ref.axis],
    };
    const recorded = new Set<string>();
    this.#plan.steps.forEach((step, i) => {
      const args = step.inputs.map((name) => (name === undefined ? undefined : values.get(name)));
      const results = runStep(step, args, run);
      step.outputs.forEach((name, k) => {
        if (name === '') return;
        values.set(name, results[k]);
        shapes.set(name, results[k].shape);
      });
      if (results.some((t) => t.gradFn)) for (const name of step.inputs) if (name !== undefined) recorded.add(name);
      for (const name of this.#plan.releaseAfter[i]) release(name, values, recorded.has(name));
    });
    return this.outputNames.map((name) => values.get(name)!);
  }

  #bindInputs(inputs: readonly Tensor[], values: Map<string, Tensor>): void {
    const declared = this.#plan.inputs;
    if (inputs.length !== declared.length) {
      throw new OnnxError(`forward: the graph takes ${declared.length} input(s) (${this.inputNames.join(', ')}), got ${inputs.length}`);
    }
    const symbols = new Map<string, number>();
    declared.forEach(({ name, dims }, i) => {
      const x = inputs[i];
      const shape = x?.shape;
      if (!shape) throw new OnnxError(`forward: input "${name}" must be a tensor`);
      const fail = (why: string): never => {
        throw new OnnxError(`forward: input "${name}" of shape [${shape.join(', ')}] ${why} (declared [${dims!.map((d) => d ?? '?').join(', ')}])`);
      };
      if (dims && dims.length !== shape.length) fail(`has rank ${shape.length}, expected ${dims.length}`);
      dims?.forEach((d, axis) => {
        if (typeof d === 'number' && d !== shape[axis]) fail(`has size ${shape[axis]} on axis ${axis}, expected ${d}`);
        if (typeof d === 'string' && (symbols.get(d) ?? shape[axis]) !== shape[axis]) fail(`has ${d} = ${shape[axis]} but an earlier input has ${d} = ${symbols.get(d)}`);
        if (typeof d === 'string') symbols.set(d, shape[axis]);
      });
      values.set(name, x);
    });
  }
}

/**
 * Runs one node; an error of simdnn's ops (bad shapes) or a RangeError (a tensor too large to allocate)
 * becomes an OnnxError that names the node.
 */
function runStep(step: Step, args: (Tensor | undefined)[], run: RunContext): Tensor[] {
  try {
    return step.kernel(args, run);
  } catch (e) {
    if (e instanceof OnnxError || !(e instanceof SimdnnError || e instanceof RangeError)) throw e;
    throw new OnnxError(`${describeNode(step.node)}: ${e.message}`, { cause: e });
  }
}

/**
 * Frees an intermediate value nothing reads any more: now, or after backward() when a recorded op
 * holds it. Its memory stays when another value still uses the same storage (views, Identity).
 */
function release(name: string, values: Map<string, Tensor>, recorded: boolean): void {
  const t = values.get(name)!;
  values.delete(name);
  for (const other of values.values()) if (other.storage === t.storage) return;
  if (recorded) t.releaseAfterBackward = true;
  else t.dispose();
}

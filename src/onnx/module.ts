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
  readonly #compiled: Compiled;

  /** @internal Use `loadOnnx`. */
  constructor(plan: Plan, source: ModelProto) {
    super();
    this.#plan = plan;
    this.source = source;
    this.inputNames = plan.inputs.map((i) => i.name);
    this.outputNames = [...plan.outputs];
    this.nodes = plan.steps.flatMap(({ node, fused = [] }) => [node, ...fused]).map(({ name, opType }) => ({ name, opType }));
    const held = new Map<string, Tensor>();
    for (const [name, value] of plan.parameters) held.set(name, this.registerParameter(name, toTensor(value, `initializer "${name}"`)));
    for (const [name, value] of plan.buffers) held.set(name, this.registerBuffer(name, toTensor(value, `initializer "${name}"`)));
    for (const [name, value] of plan.constants) held.set(name, toTensor(value, `constant "${name}"`));
    this.#compiled = compile(plan, held);
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
    const { slots, steps, outputs, heldStorage } = this.#compiled;
    const values = this.#bindInputs(inputs);
    const shapes = values.map((t) => t?.shape);
    const run = new GraphRun(this.training, shapes, slots);
    // How many live intermediates use each storage (views share it); the storage of held tensors and
    // inputs outlives the call.
    const users = new Map<Tensor['storage'], number>();
    const recorded = new Uint8Array(values.length);
    for (const { step, inputs: from, output, release } of steps) {
      const results = runStep(step, from.map((slot) => (slot === undefined ? undefined : values[slot])), run);
      const y = results[0];
      values[output] = y;
      shapes[output] = y.shape;
      users.set(y.storage, (users.get(y.storage) ?? 0) + 1);
      if (y.gradFn) for (const slot of from) if (slot !== undefined) recorded[slot] = 1;
      for (const slot of release) {
        const t = values[slot]!;
        values[slot] = undefined;
        const left = users.get(t.storage)! - 1;
        users.set(t.storage, left);
        if (left === 0 && !heldStorage.has(t.storage) && !inputs.some((x) => x.storage === t.storage)) free(t, recorded[slot] === 1);
      }
    }
    return outputs.map((slot) => values[slot]!);
  }

  /** The module's values by slot: its held tensors and the checked inputs in their slots. */
  #bindInputs(inputs: readonly Tensor[]): (Tensor | undefined)[] {
    const declared = this.#plan.inputs;
    const values = this.#compiled.held.slice();
    if (inputs.length !== declared.length) {
      throw new OnnxError(`forward: the graph takes ${declared.length} input(s) (${this.inputNames.join(', ')}), got ${inputs.length}`);
    }
    const symbols = new Map<string, number>();
    declared.forEach(({ name, dims }, i) => {
      const x = inputs[i];
      const shape = x?.shape;
      if (!shape) throw new OnnxError(`forward: input "${name}" must be a tensor`);
      if (dims && dims.length !== shape.length) badInput(name, shape, dims, `has rank ${shape.length}, expected ${dims.length}`);
      dims?.forEach((d, axis) => {
        if (typeof d === 'number' && d !== shape[axis]) badInput(name, shape, dims, `has size ${shape[axis]} on axis ${axis}, expected ${d}`);
        if (typeof d === 'string' && (symbols.get(d) ?? shape[axis]) !== shape[axis]) badInput(name, shape, dims, `has ${d} = ${shape[axis]} but an earlier input has ${d} = ${symbols.get(d)}`);
        if (typeof d === 'string') symbols.set(d, shape[axis]);
      });
      values[this.#compiled.slots.get(name)!] = x;
    });
    return values;
  }
}

/** Throws the OnnxError of a graph input that does not match its declared dims. */
function badInput(name: string, shape: readonly number[], dims: readonly (number | string | undefined)[], why: string): never {
  throw new OnnxError(`forward: input "${name}" of shape [${shape.join(', ')}] ${why} (declared [${dims.map((d) => d ?? '?').join(', ')}])`);
}

/** What the kernels of one call see: the module's mode and the shapes of the values so far. */
class GraphRun implements RunContext {
  constructor(
    readonly training: boolean,
    private readonly shapes: readonly (readonly number[] | undefined)[],
    private readonly slots: ReadonlyMap<string, number>,
  ) {}

  dim(ref: DimRef): number {
    return this.shapes[this.slots.get(ref.value)!]![ref.axis];
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
    const where = step.fused ? `${describeNode(step.node)} (with ${step.fused.map(describeNode).join(', ')})` : describeNode(step.node);
    throw new OnnxError(`${where}: ${e.message}`, { cause: e });
  }
}

/** Frees an intermediate nothing reads any more: now, or after backward() when a recorded op holds it. */
function free(t: Tensor, recorded: boolean): void {
  if (recorded) t.releaseAfterBackward = true;
  else t.dispose();
}

/** A plan with its values numbered: steps read and write slots of one array per call. */
interface Compiled {
  readonly slots: ReadonlyMap<string, number>;
  /** The held tensors (parameters, buffers, constants) in their slots, the rest undefined. */
  readonly held: readonly (Tensor | undefined)[];
  /** Their storage (fixed: parameters change in place), which a run never frees. */
  readonly heldStorage: ReadonlySet<Tensor['storage']>;
  readonly steps: readonly { step: Step; inputs: readonly (number | undefined)[]; output: number; release: readonly number[] }[];
  readonly outputs: readonly number[];
}

function compile(plan: Plan, held: ReadonlyMap<string, Tensor>): Compiled {
  const slots = new Map<string, number>();
  const slot = (name: string) => slots.get(name) ?? slots.set(name, slots.size).get(name)!;
  for (const name of held.keys()) slot(name);
  for (const input of plan.inputs) slot(input.name);
  const steps = plan.steps.map((step, i) => ({
    step,
    inputs: step.inputs.map((name) => (name === undefined ? undefined : slot(name))),
    output: slot(step.outputs[0]),
    release: plan.releaseAfter[i].map(slot),
  }));
  const outputs = plan.outputs.map(slot);
  const values: (Tensor | undefined)[] = Array(slots.size).fill(undefined);
  for (const [name, t] of held) values[slots.get(name)!] = t;
  return { slots, held: values, heldStorage: new Set([...held.values()].map((t) => t.storage)), steps, outputs };
}

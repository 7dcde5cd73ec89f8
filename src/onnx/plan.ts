// Turns a decoded graph into a plan the module runs: constants folded at load time, every other node
// compiled into a kernel, initializers sorted into parameters, buffers and constants, and for each
// intermediate value the step after which nothing reads it.
import { Attributes } from './attributes.js';
import type { GraphInput, OnnxGraph, OnnxNode } from './decode.js';
import { OnnxError, describeNode } from './errors.js';
import type { HostTensor } from './host-tensor.js';
import { fuseConvBatchNorm } from './fuse.js';
import { PATTERN_ONLY_OPS, fuseGelu } from './gelu.js';
import { OPS } from './ops/index.js';
import type { Kernel, LoadContext, OpSpec } from './ops/op.js';

/** A node compiled for run time. */
export interface Step {
  readonly node: OnnxNode;
  /** Nodes fused into this one's kernel, after it (BatchNormalization after a Conv, see fuse.ts; GELU's, see gelu.ts). */
  readonly fused?: readonly OnnxNode[];
  readonly kernel: Kernel;
  /** The values passed to the kernel (static inputs left out; undefined for an absent optional input). */
  readonly inputs: readonly (string | undefined)[];
  /** The output names the kernel's results are stored under ("" for an output nobody reads). */
  readonly outputs: readonly string[];
}

/** A step before pattern fusion: no kernel for an operator supported only inside a pattern (Erf, see gelu.ts). */
export type PlannedStep = Omit<Step, 'kernel'> & { readonly kernel: Kernel | undefined };

/** What the module needs to run a graph. */
export interface Plan {
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly string[];
  readonly steps: readonly Step[];
  /** Float initializers read as tensors: trainable, named by their ONNX names. */
  readonly parameters: ReadonlyMap<string, HostTensor>;
  /** Float initializers holding running statistics (BatchNormalization's mean and variance). */
  readonly buffers: ReadonlyMap<string, HostTensor>;
  /** Other constants read as tensors at run time (Constant nodes, folded values). */
  readonly constants: ReadonlyMap<string, HostTensor>;
  /** For each step, the values produced by steps that no later step nor the graph's outputs read. */
  readonly releaseAfter: readonly (readonly string[])[];
}

/** What load time knows of a value. */
type Entry =
  | { kind: 'input'; rank: number | undefined }
  | { kind: 'initializer'; value: HostTensor }
  | { kind: 'const'; value: HostTensor }
  | { kind: 'runtime'; rank: number | undefined }
  | { kind: 'unsupported'; reason: string };

/** Builds the plan; every problem is an OnnxError naming the node, op type and what is unsupported. */
export function buildPlan(graph: OnnxGraph): Plan {
  const values = new Map<string, Entry>();
  for (const input of graph.inputs) values.set(input.name, { kind: 'input', rank: input.dims?.length });
  for (const [name, value] of graph.initializers) {
    values.set(name, value.dtype === 'float' ? { kind: 'initializer', value } : { kind: 'const', value });
  }
  const steps: PlannedStep[] = [];
  const uses: { name: string; position: number; spec: OpSpec; node: OnnxNode }[] = [];

  for (const node of graph.nodes) {
    const where = describeNode(node);
    const spec = OPS[node.opType] ?? PATTERN_ONLY_OPS[node.opType];
    if (!spec) throw unsupportedOperator(node);
    checkArity(node, spec, where);
    const entries = node.inputs.map((name) => (name === '' ? undefined : lookup(values, name, where)));
    const ctx = loadContext(node, graph.opset, new Attributes(node.attributes, spec.attributes, where), entries, where);
    const isStatic = (i: number) => spec.staticInputs?.includes(i) ?? false;
    const allConstant = entries.every((e, i) => !e || e.kind === 'const' || (isStatic(i) && e.kind === 'initializer'));

    if (spec.fold && (allConstant || spec.foldsRuntimeInputs)) {
      const results = spec.fold(ctx, entries.map((e) => (e && e.kind === 'const' ? e.value : undefined)));
      node.outputs.forEach((name, i) => define(values, name, results[i] ? { kind: 'const', value: results[i] } : unsupportedOutput(node, i), where));
      continue;
    }
    if (!spec.build && !(node.opType in PATTERN_ONLY_OPS)) {
      const runtime = node.inputs.find((_, i) => entries[i] && entries[i]!.kind !== 'const');
      throw new OnnxError(`${where}: input "${runtime}" is computed at run time, but ${node.opType} is supported only on constants`);
    }
    const kernel = spec.build?.(ctx);
    const runtimeInputs = node.inputs.map((name, i) => (name === '' ? undefined : name)).filter((_, i) => !isStatic(i));
    const step: PlannedStep = { node, kernel, inputs: runtimeInputs, outputs: node.outputs.map((name, i) => (i === 0 ? name : '')) };
    node.inputs.forEach((name, position) => {
      if (name !== '' && !isStatic(position)) uses.push({ name, position, spec, node });
    });
    const ranks = spec.rank ? spec.rank(ctx) : [ctx.rank(0)];
    node.outputs.forEach((name, i) => define(values, name, i === 0 ? { kind: 'runtime', rank: ranks[0] } : unsupportedOutput(node, i), where));
    steps.push(step);
  }

  for (const name of graph.outputs) lookup(values, name, 'graph output');
  const constantOf = (name: string) => {
    const entry = values.get(name);
    return entry?.kind === 'const' ? entry.value : undefined;
  };
  const fused = fuseConvBatchNorm(fuseGelu(steps, graph.outputs, constantOf).map(withKernel), graph.outputs);
  return {
    inputs: graph.inputs,
    outputs: graph.outputs,
    steps: fused,
    ...sortTensors(values, uses, graph.outputs),
    releaseAfter: releases(values, fused, graph.outputs),
  };
}

/** The OnnxError of an operator the importer does not run (or only inside a pattern, e.g. Erf in GELU). */
function unsupportedOperator(node: OnnxNode): OnnxError {
  const onlyIn = PATTERN_ONLY_OPS[node.opType]?.onlyIn;
  const where = onlyIn ? ` outside ${onlyIn}` : '';
  return new OnnxError(`${describeNode(node)}: operator ${node.opType} is unsupported${where} (supported: ${Object.keys(OPS).sort().join(', ')})`);
}

/** A step left with no kernel after fusion is a pattern-only operator outside its pattern. */
function withKernel(step: PlannedStep): Step {
  const { kernel } = step;
  if (!kernel) throw unsupportedOperator(step.node);
  return { ...step, kernel };
}

/** The node gives between spec.inputs[0] and spec.inputs[1] inputs, the required ones not left out, and an output. */
function checkArity(node: OnnxNode, spec: OpSpec, where: string): void {
  const [required, most] = spec.inputs;
  const count = node.inputs.length;
  if (count < required || count > most) {
    const expected = required === most ? `${required}` : most === Infinity ? `at least ${required}` : `${required} to ${most}`;
    throw new OnnxError(`${where}: has ${count} input(s), expected ${expected}`);
  }
  const missing = node.inputs.slice(0, required).indexOf('');
  if (missing >= 0) throw new OnnxError(`${where}: required input #${missing} is missing`);
  if (node.outputs.length === 0 || node.outputs[0] === '') throw new OnnxError(`${where}: has no output`);
}

function lookup(values: Map<string, Entry>, name: string, where: string): Entry {
  const entry = values.get(name);
  if (!entry) throw new OnnxError(`${where}: input "${name}" is neither a graph input, an initializer nor the output of an earlier node`);
  if (entry.kind === 'unsupported') throw new OnnxError(`${where}: reads "${name}", ${entry.reason}`);
  return entry;
}

function define(values: Map<string, Entry>, name: string, entry: Entry, where: string): void {
  if (name === '') return;
  if (values.has(name)) throw new OnnxError(`${where}: output "${name}" is already defined earlier in the graph`);
  values.set(name, entry);
}

function unsupportedOutput(node: OnnxNode, i: number): Entry {
  return { kind: 'unsupported', reason: `output #${i} of ${describeNode(node)}, which the importer does not compute` };
}

function loadContext(node: OnnxNode, opset: number, attrs: Attributes, entries: readonly (Entry | undefined)[], where: string): LoadContext {
  const fail = (message: string): never => {
    throw new OnnxError(`${where}: ${message}`);
  };
  const constant = (i: number) => {
    const e = entries[i];
    return e && (e.kind === 'const' || e.kind === 'initializer') ? e.value : undefined;
  };
  return {
    node, opset, attrs, fail, constant,
    has: (i) => entries[i] !== undefined,
    rank: (i) => {
      const e = entries[i];
      if (!e || e.kind === 'unsupported') return undefined;
      return e.kind === 'const' || e.kind === 'initializer' ? e.value.dims.length : e.rank;
    },
    requireConstant: (i, what) => constant(i) ?? fail(`input ${what} ("${node.inputs[i] ?? ''}") must be a constant known at load time, not computed at run time`),
  };
}

/** Sorts the host values that kernels read as tensors: parameters, buffers (running statistics) and constants. */
function sortTensors(values: Map<string, Entry>, uses: readonly { name: string; position: number; spec: OpSpec; node: OnnxNode }[], outputs: readonly string[]) {
  const parameters = new Map<string, HostTensor>();
  const buffers = new Map<string, HostTensor>();
  const constants = new Map<string, HostTensor>();
  const read = [...uses.map((u) => ({ ...u, asBuffer: u.spec.bufferInputs?.includes(u.position) ?? false })), ...outputs.map((name) => ({ name, node: undefined, asBuffer: false }))];
  for (const { name, node, asBuffer } of read) {
    const entry = values.get(name)!;
    if (entry.kind !== 'initializer' && entry.kind !== 'const') continue;
    if (entry.value.dtype !== 'float') {
      throw new OnnxError(`${node ? describeNode(node) : 'graph output'}: ${entry.value.dtype} tensor "${name}" is used as a run-time tensor; only float tensors are supported there`);
    }
    if (entry.kind === 'const') constants.set(name, entry.value);
    else if (asBuffer && !parameters.has(name)) buffers.set(name, entry.value);
    else {
      buffers.delete(name);
      parameters.set(name, entry.value);
    }
  }
  return { parameters, buffers, constants };
}

/** For each step, the values it was the last to read (produced by steps, not graph outputs). */
function releases(values: Map<string, Entry>, steps: readonly Step[], outputs: readonly string[]): string[][] {
  const last = new Map<string, number>();
  steps.forEach((step, i) => {
    for (const name of step.inputs) if (name !== undefined && values.get(name)?.kind === 'runtime') last.set(name, i);
  });
  const out: string[][] = steps.map(() => []);
  for (const [name, i] of last) if (!outputs.includes(name)) out[i].push(name);
  return out;
}

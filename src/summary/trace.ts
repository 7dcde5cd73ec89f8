// Tracing a model's forward pass for its summary: every leaf module (one without children) is
// hooked for the call, so its output shape and receptive field are recorded in call order. Fields
// come from the recorded autograd graph: from the input, through the window each op records
// (convolutions, pooling, resizing, linear layers), merged where paths join, whatever the model's
// forward does (layers, residual adds, cat, functional ops).
import { zeros } from '../creation.js';
import { SimdnnError, formatShape } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { INPUT_FIELD, mergeFields, throughWindow, type ReceptiveField } from './receptive-field.js';

/** One call of a leaf module during the trace. */
export interface LeafCall {
  name: string;
  layer: Module;
  outputShape: number[];
  field: ReceptiveField;
}

/** Raised inside a hooked call; carries through the model's own code unchanged. */
class LayerFailure extends SimdnnError {}

/**
 * Runs `model` once on zeros of `inputShape` (gradients recorded, so the graph exists) and returns
 * its leaf calls in order. The tensors of the pass are released afterwards, except the model's own
 * parameters and buffers.
 */
export function traceLeafCalls(model: Module, inputShape: readonly number[]): LeafCall[] {
  const input = zeros(inputShape);
  input.requiresGrad = true;
  const fields = new Map<Tensor, ReceptiveField | undefined>([[input, INPUT_FIELD]]);
  const calls: LeafCall[] = [];
  const restore = leafModules(model).map(([name, layer]) => hook(layer, (forward, args) => {
    let y: Tensor;
    try {
      y = forward(...args);
    } catch (cause) {
      if (cause instanceof LayerFailure) throw cause;
      throw new LayerFailure(`summary: layer ${name} (${layer.constructor.name}) failed on an input of shape ${formatShape(args[0].shape)}: ${(cause as Error).message}`, { cause });
    }
    calls.push({ name, layer, outputShape: [...y.shape], field: fieldOf(y, fields) ?? INPUT_FIELD });
    return y;
  }));
  let output: Tensor | undefined;
  try {
    output = model.forward(input);
  } catch (cause) {
    if (cause instanceof LayerFailure) throw cause;
    throw new SimdnnError(`summary: ${model.constructor.name} failed on an input of shape ${formatShape(inputShape)}: ${(cause as Error).message}`, { cause });
  } finally {
    for (const undo of restore) undo();
    release(input, [...(output ? [output] : []), ...fields.keys()], model);
  }
  return calls;
}

/**
 * The field of `t`: its op's inputs' fields merged, then through the op's window; undefined for a
 * tensor the input does not reach (a parameter, a constant). Memoised in `fields`.
 */
function fieldOf(t: Tensor, fields: Map<Tensor, ReceptiveField | undefined>): ReceptiveField | undefined {
  if (fields.has(t)) return fields.get(t);
  const node = t.gradFn;
  const sources = (node?.inputs ?? []).map((i) => i && fieldOf(i, fields)).filter((f): f is ReceptiveField => f !== undefined);
  const merged = sources.length > 0 ? mergeFields(sources) : undefined;
  const field = merged && node?.window ? throughWindow(merged, node.window) : merged;
  fields.set(t, field);
  return field;
}

/** The modules without children, with their dotted names (the model's class name when it is one). */
function leafModules(model: Module): [string, Module][] {
  const walk = (module: Module, prefix: string): [string, Module][] => {
    const children = module.namedChildren();
    if (children.length === 0) return [[prefix || module.constructor.name, module]];
    return children.flatMap(([name, child]) => walk(child, prefix ? `${prefix}.${name}` : name));
  };
  return walk(model, '');
}

type Forward = (...args: Tensor[]) => Tensor;

/** Replaces `layer.forward` by `wrapper(original, args)` for this instance; returns the undo. */
function hook(layer: Module, wrapper: (forward: Forward, args: Tensor[]) => Tensor): () => void {
  const own = Object.getOwnPropertyDescriptor(layer, 'forward');
  const forward = (layer.forward as Forward).bind(layer);
  Object.defineProperty(layer, 'forward', { value: (...args: Tensor[]) => wrapper(forward, args), configurable: true, writable: true });
  return () => {
    if (own) Object.defineProperty(layer, 'forward', own);
    else delete (layer as { forward?: unknown }).forward;
  };
}

/**
 * Frees what the pass made: the input and every tensor recorded in the graph from `roots` (with the
 * scratch its ops saved for backward), except storage shared with a tensor that was already there
 * (parameters, buffers, constants a module keeps), as views share it.
 */
function release(input: Tensor, roots: Iterable<Tensor>, model: Module): void {
  const made: Tensor[] = [];
  const kept = new Set(Object.values(model.stateDict()).map((t) => t.storage));
  const seen = new Set<Tensor>();
  const stack = [...roots];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    if (!t.gradFn) {
      if (t !== input) kept.add(t.storage);
      continue;
    }
    made.push(t);
    for (const i of t.gradFn.inputs) if (i) stack.push(i);
    for (const buffer of t.gradFn.saved) t.backend.free(buffer);
    t.gradFn = undefined;
  }
  for (const t of [input, ...made]) if (!kept.has(t.storage)) t.dispose();
}

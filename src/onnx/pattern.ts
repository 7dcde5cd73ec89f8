// Node patterns: a small expression tree of ONNX operators over one value `x` and f32 scalar
// constants, which toOnnx writes and the importer recognises in a planned graph (gelu.ts).
import type { HostTensor } from './host-tensor.js';

/** `'x'` (the one input), a scalar constant (compared as f32), or an operator applied to patterns. */
export type Pattern = 'x' | { readonly constant: number } | { readonly op: string; readonly inputs: readonly Pattern[] };

/** An operator of `inputs` (a pattern node). */
export const op = (opType: string, ...inputs: Pattern[]): Pattern => ({ op: opType, inputs });
/** A scalar constant (a pattern leaf). */
export const constant = (value: number): Pattern => ({ constant: value });

/** What a matcher sees of a planned graph. */
export interface PatternGraph {
  /** The step writing `value` (its first output), and that step's op type and inputs. */
  producer(value: string): { readonly index: number; readonly opType: string; readonly inputs: readonly (string | undefined)[] } | undefined;
  /** Whether only one step input reads `value` and it is not a graph output (so a fused step may drop it). */
  readOnce(value: string): boolean;
  /** The value of `value` when it is a constant (Constant node or folded; not an initializer, which is a parameter). */
  constant(value: string): HostTensor | undefined;
}

/** A match: the value bound to `x` and the indices of the steps the pattern covers. */
export interface PatternMatch {
  readonly x: string;
  readonly steps: readonly number[];
}

/** Operators whose two inputs may come in either order. */
const COMMUTATIVE = new Set(['Add', 'Mul']);

/**
 * Whether `value` is computed by `pattern` (with the same operators, operands in either order for Add
 * and Mul, the same constants as f32 scalars, one value bound to every `x`, and every value inside
 * the pattern read once, by the pattern); `value` itself may have any readers.
 */
export function matchPattern(pattern: Pattern, value: string, graph: PatternGraph): PatternMatch | undefined {
  const found = match(pattern, value, graph, { x: undefined, steps: [] });
  return found?.x === undefined ? undefined : { x: found.x, steps: found.steps };
}

interface Bound {
  readonly x: string | undefined;
  readonly steps: readonly number[];
}

function match(pattern: Pattern, value: string | undefined, graph: PatternGraph, bound: Bound): Bound | undefined {
  if (value === undefined) return undefined;
  if (pattern === 'x') return bound.x === undefined || bound.x === value ? { ...bound, x: value } : undefined;
  if ('constant' in pattern) return isScalar(graph.constant(value), pattern.constant) ? bound : undefined;
  const step = graph.producer(value);
  const inner = bound.steps.length > 0; // every value but the pattern's output
  if (!step || step.opType !== pattern.op || step.inputs.length !== pattern.inputs.length || (inner && !graph.readOnce(value))) return undefined;
  const orders = COMMUTATIVE.has(pattern.op) ? [step.inputs, [...step.inputs].reverse()] : [step.inputs];
  for (const inputs of orders) {
    let found: Bound | undefined = { ...bound, steps: [...bound.steps, step.index] };
    for (let i = 0; found && i < inputs.length; i++) found = match(pattern.inputs[i], inputs[i], graph, found);
    if (found) return found;
  }
  return undefined;
}

/** A float constant of one element (a scalar or [1]) equal to `value` rounded to f32. */
function isScalar(t: HostTensor | undefined, value: number): boolean {
  return t !== undefined && t.dtype === 'float' && t.dims.length <= 1 && t.data.length === 1 && t.data[0] === Math.fround(value);
}

/** The PatternGraph of planned steps: `outputs` are the graph's outputs, `constant` gives the values of constants. */
export function patternGraph(
  steps: readonly { readonly node: { readonly opType: string }; readonly inputs: readonly (string | undefined)[]; readonly outputs: readonly string[] }[],
  outputs: readonly string[],
  constant: (value: string) => HostTensor | undefined,
): PatternGraph {
  const producers = new Map<string, number>();
  const readers = new Map<string, number>();
  steps.forEach((step, index) => {
    producers.set(step.outputs[0], index);
    for (const name of step.inputs) if (name !== undefined) readers.set(name, (readers.get(name) ?? 0) + 1);
  });
  return {
    producer: (value) => {
      const index = producers.get(value);
      return index === undefined ? undefined : { index, opType: steps[index].node.opType, inputs: steps[index].inputs };
    },
    readOnce: (value) => readers.get(value) === 1 && !outputs.includes(value),
    constant,
  };
}

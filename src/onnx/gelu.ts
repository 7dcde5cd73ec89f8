// GELU in files of opsets before 20, which have no Gelu operator: the node patterns PyTorch 1.13's
// torch.onnx.export writes (and toOnnx writes the same way), recognised at load and run as one
// sn.F.gelu — one op with its own gradient, so the Erf inside needs no kernel of its own.
import * as sn from '../index.js';
import type { OnnxNode } from './decode.js';
import type { HostTensor } from './host-tensor.js';
import type { OpSpec } from './ops/op.js';
import { constant, matchPattern, op, patternGraph, type Pattern, type PatternMatch } from './pattern.js';
import type { PlannedStep } from './plan.js';

/** How nn.GELU() is written: x·(1 + Erf(x/√2))·0.5. */
const EXACT: Pattern = op('Mul', op('Mul', 'x', op('Add', op('Erf', op('Div', 'x', constant(Math.SQRT2))), constant(1))), constant(0.5));

/** x·(x·x), as PyTorch writes x³ in GELU's tanh approximation. */
const CUBE: Pattern = op('Mul', 'x', op('Mul', 'x', 'x'));

/** How nn.GELU(approximate='tanh') is written: 0.5·(x·(1 + Tanh(√(2/π)·(x + 0.044715·x³)))). */
const TANH: Pattern = op('Mul', constant(0.5), op('Mul', 'x', op('Add', constant(1),
  op('Tanh', op('Mul', constant(Math.sqrt(2 / Math.PI)), op('Add', 'x', op('Mul', constant(0.044715), CUBE)))))));

/** Both GELU patterns by sn.F.gelu's `approximate`, operands in PyTorch's order. */
export const GELU_PATTERNS: Readonly<Record<'none' | 'tanh', Pattern>> = { none: EXACT, tanh: TANH };

/** Operators supported only inside a pattern that fuseGelu replaces: a node of one left over is refused at load. */
export const PATTERN_ONLY_OPS: Readonly<Record<string, OpSpec & { readonly onlyIn: string }>> = {
  Erf: { inputs: [1, 1], attributes: [], onlyIn: 'GELU\'s pattern x·(1 + Erf(x/√2))·0.5' },
};

/**
 * The planned steps with each GELU pattern (its inner values read only inside it, not graph outputs,
 * its constants Constant nodes or folded values equal as f32) replaced by one step that runs
 * sn.F.gelu on its x, in the place of the pattern's last node.
 */
export function fuseGelu(steps: readonly PlannedStep[], outputs: readonly string[], constantOf: (value: string) => HostTensor | undefined): PlannedStep[] {
  const graph = patternGraph(steps, outputs, constantOf);
  const claimed = new Set<number>();
  const fusedAt = new Map<number, PlannedStep>();
  steps.forEach((root, index) => {
    for (const approximate of ['none', 'tanh'] as const) {
      const found = matchPattern(GELU_PATTERNS[approximate], root.outputs[0], graph);
      if (!found || found.steps.some((i) => claimed.has(i))) continue;
      for (const i of found.steps) claimed.add(i);
      fusedAt.set(index, geluStep(found, steps, root, approximate));
      return;
    }
  });
  return steps.flatMap((step, i) => fusedAt.get(i) ?? (claimed.has(i) ? [] : [step]));
}

/** One step for a matched pattern: its nodes in graph order, its x in, the root's output out. */
function geluStep({ x, steps: covered }: PatternMatch, steps: readonly PlannedStep[], root: PlannedStep, approximate: 'none' | 'tanh'): PlannedStep {
  const [first, ...rest]: OnnxNode[] = [...covered].sort((a, b) => a - b).map((i) => steps[i].node);
  return { node: first, fused: rest, inputs: [x], outputs: root.outputs, kernel: ([input]) => [sn.F.gelu(input!, { approximate })] };
}

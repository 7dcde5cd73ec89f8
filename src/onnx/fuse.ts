// Conv followed by BatchNormalization, as exports that keep batch norm for fine-tuning write it: in
// eval mode the pair runs as one convolution with the batch norm folded into its weights and bias
// (folded from the current parameters on every call by one small kernel, so no cache can go stale, and
// by differentiable ops when gradients are recorded, so fine-tuning in eval mode stays exact); in
// training mode as the two ops. ONNX runtimes fold the same way.
import * as sn from '../index.js';
import { Attributes } from './attributes.js';
import type { OnnxNode } from './decode.js';
import { describeNode } from './errors.js';
import type { Kernel } from './ops/op.js';
import { OPS } from './ops/index.js';
import { patternGraph } from './pattern.js';
import type { Step } from './plan.js';

/**
 * The steps with each Conv step whose only reader is the next step, a BatchNormalization on its
 * output (not a graph output), merged with it.
 */
export function fuseConvBatchNorm(steps: readonly Step[], graphOutputs: readonly string[]): Step[] {
  const graph = patternGraph(steps, graphOutputs, () => undefined);
  const fused: Step[] = [];
  for (let i = 0; i < steps.length; i++) {
    const [conv, bn] = [steps[i], steps[i + 1]];
    const h = conv.outputs[0];
    if (conv.node.opType !== 'Conv' || bn?.node.opType !== 'BatchNormalization' || bn.inputs[0] !== h || !graph.readOnce(h)) {
      fused.push(conv);
      continue;
    }
    const convInputs = [conv.inputs[0], conv.inputs[1], conv.inputs[2]];
    fused.push({
      node: conv.node,
      fused: [bn.node],
      kernel: convBatchNorm(conv.kernel, bn.kernel, epsilon(bn.node)),
      inputs: [...convInputs, ...bn.inputs.slice(1)],
      outputs: bn.outputs,
    });
    i++;
  }
  return fused;
}

/** The node's epsilon (validated when its kernel was built). */
function epsilon(bn: OnnxNode): number {
  return new Attributes(bn.attributes, OPS.BatchNormalization.attributes, describeNode(bn)).float('epsilon', 1e-5);
}

/**
 * Inputs [x, W, B?, scale, bias, mean, var]. Eval mode: conv(x, W', B') with the batch norm folded
 * into W' and B' (sn.nn.utils.fuseConvBnWeights: one kernel, or differentiable ops when gradients are
 * recorded). Training mode: batch norm of the convolution.
 *
 * The kernel's W' and B' are written into the same two tensors on every call (refolded each time,
 * only their memory is kept): nothing holds them after the call unless the convolution is recorded,
 * which needs x or W', B' to require a gradient; such calls get tensors of their own.
 */
function convBatchNorm(conv: Kernel, bn: Kernel, eps: number): Kernel {
  let reused: [sn.Tensor, sn.Tensor] | undefined;
  return ([x, w, b, scale, bias, mean, variance], run) => {
    if (run.training) {
      const h = conv([x, w, b], run)[0];
      const y = bn([h, scale, bias, mean, variance], run)[0];
      release([h], y);
      return [y];
    }
    const reusable = !x!.requiresGrad;
    const folded = sn.nn.utils.fuseConvBnWeights(w!, b, mean!, variance!, eps, scale!, bias!, reusable ? reused : undefined);
    const y = conv([x, ...folded], run)[0];
    if (reusable && !folded[0].requiresGrad && !folded[1].requiresGrad) reused = folded;
    else release(folded, y);
    return [y];
  };
}

/** Temporaries of the computation of `y`: freed now, or after backward() when it was recorded. */
function release(temporaries: readonly sn.Tensor[], y: sn.Tensor): void {
  for (const t of temporaries) {
    if (y.gradFn) t.releaseAfterBackward = true;
    else if (t.storage !== y.storage) t.dispose();
  }
}

// sn.nn.utils.fuseConvBnWeights: an eval-mode batch norm folded into the convolution before it (PyTorch's
// torch.nn.utils.fuse_conv_bn_weights). When no gradient is recorded it is one backend kernel (into the
// caller's tensors if it gives some); when one is, the same steps run as differentiable ops, which
// round alike, so both routes give the same bits.
import { isGradEnabled } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { add, mul, sub } from '../ops/arithmetic.js';
import { sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/**
 * The weight and bias of one convolution that computes `convWeight`, `convBias` followed by an
 * eval-mode batch norm (running statistics `runningMean`, `runningVar`, `eps`, affine `bnWeight` γ and
 * `bnBias` β): per output channel, s = γ · (1/√(var + eps)), weight = convWeight · s and
 * bias = convBias · s + (β − mean · s), each step rounded to f32 (the reciprocal square root computed
 * in f64 first). `convWeight` is [K, …] (Conv2d's [K, C/groups, kH, kW] or Conv1d's), `convBias` [K]
 * or undefined (0), the rest [K].
 *
 * Differentiable in `convWeight`, `convBias`, `bnWeight` and `bnBias`; the running statistics are
 * constants. The inputs are read, never changed, so the folded pair follows every later change of the
 * parameters when it is computed again.
 *
 * `out`: tensors of the result's shapes to write into when no gradient is recorded (an inference
 * loop then allocates nothing); they are returned. When gradients are recorded the result is new
 * tensors, as without `out`.
 *
 * ```ts
 * const [weight, bias] = sn.nn.utils.fuseConvBnWeights(conv.weight, conv.bias, bn.runningMean, bn.runningVar, bn.eps, bn.weight, bn.bias);
 * const y = sn.F.conv2d(x, weight, bias, { padding: 1 }); // = bn(conv(x)) in eval mode, within rounding
 * ```
 */
export function fuseConvBnWeights(
  convWeight: Tensor, convBias: Tensor | undefined, runningMean: Tensor, runningVar: Tensor, eps: number, bnWeight: Tensor, bnBias: Tensor,
  out?: readonly [Tensor, Tensor],
): [Tensor, Tensor] {
  const k = convWeight.shape[0];
  if (convBias) checkOperand('convBias', convBias, [k], convWeight);
  checkOperand('runningMean', runningMean, [k], convWeight);
  checkOperand('runningVar', runningVar, [k], convWeight);
  checkOperand('bnWeight', bnWeight, [k], convWeight);
  checkOperand('bnBias', bnBias, [k], convWeight);
  const recorded = isGradEnabled() && (convWeight.requiresGrad || convBias?.requiresGrad || bnWeight.requiresGrad || bnBias.requiresGrad);
  if (recorded) return fuseWithOps(convWeight, convBias, runningMean, runningVar, eps, bnWeight, bnBias);
  const backend = convWeight.backend;
  if (out) {
    checkOperand('out[0]', out[0], convWeight.shape, convWeight);
    checkOperand('out[1]', out[1], [k], convWeight);
  }
  const [weight, bias] = out ?? [new Tensor(backend.empty(convWeight.size), convWeight.shape, backend), new Tensor(backend.empty(k), [k], backend)];
  backend.batchNormFold({
    k, p: convWeight.size / k, convWeight: convWeight.storage, convBias: convBias?.storage,
    weight: bnWeight.storage, bias: bnBias.storage, mean: runningMean.storage, variance: runningVar.storage, eps,
    foldedConvWeight: weight.storage, foldedConvBias: bias.storage,
  });
  return [weight, bias];
}

/** Throws unless `t` has `shape` and lives on convWeight's backend. */
function checkOperand(name: string, t: Tensor, shape: readonly number[], convWeight: Tensor): void {
  if (!sameShape(t.shape, shape)) {
    throw new SimdnnError(`fuseConvBnWeights: ${name} of shape ${formatShape(t.shape)} must be ${formatShape(shape)} for convWeight ${formatShape(convWeight.shape)}`);
  }
  if (t.backend !== convWeight.backend) {
    throw new SimdnnError(`fuseConvBnWeights: convWeight and ${name} live on different backends ('${convWeight.backend.name}' and '${t.backend.name}')`);
  }
}

/**
 * The fold as recorded ops, step for step the kernel's: 1/√(var + eps) of the running variance (a
 * constant) on the host in f64, rounded to f32 once; then f32 products and sums on the backend.
 */
function fuseWithOps(
  convWeight: Tensor, convBias: Tensor | undefined, runningMean: Tensor, runningVar: Tensor, eps: number, bnWeight: Tensor, bnBias: Tensor,
): [Tensor, Tensor] {
  const backend = convWeight.backend;
  const k = convWeight.shape[0];
  const invStd = new Tensor(backend.fromValues(runningVar.toFloat32Array().map((v) => 1 / Math.sqrt(v + eps))), [k], backend);
  const s = mul(bnWeight, invStd);
  const meanS = mul(runningMean.detach(), s);
  const shift = sub(bnBias, meanS);
  const weight = mul(convWeight, s.reshape([k, ...convWeight.shape.slice(1).map(() => 1)]));
  const biasS = convBias && mul(convBias, s);
  const bias = biasS ? add(biasS, shift) : shift;
  // Intermediates no caller holds: freed once backward() is done with them (or by the GC).
  for (const t of [invStd, s, meanS, ...(biasS ? [biasS, shift] : [])]) t.releaseAfterBackward = true;
  return [weight, bias];
}

// sn.nn.utils.fuseConvBnWeights: an eval-mode batch norm folded into the convolution before it (PyTorch's
// torch.nn.utils.fuse_conv_bn_weights). When no gradient is recorded it is one backend kernel; when one
// is, the same steps run as differentiable ops, which round alike, so both routes give the same bits.
import { isGradEnabled } from '../autograd.js';
import { SimdnnError, formatShape } from '../errors.js';
import { add, mul, sub } from '../ops/arithmetic.js';
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
 * constants. Returns new tensors: the inputs are read, never changed, so the folded pair follows
 * every later change of the parameters when it is computed again.
 *
 * ```ts
 * const [weight, bias] = sn.nn.utils.fuseConvBnWeights(conv.weight, conv.bias, bn.runningMean, bn.runningVar, bn.eps, bn.weight, bn.bias);
 * const y = sn.F.conv2d(x, weight, bias, { padding: 1 }); // = bn(conv(x)) in eval mode, within rounding
 * ```
 */
export function fuseConvBnWeights(
  convWeight: Tensor, convBias: Tensor | undefined, runningMean: Tensor, runningVar: Tensor, eps: number, bnWeight: Tensor, bnBias: Tensor,
): [Tensor, Tensor] {
  const k = convWeight.shape[0];
  const perChannel = { convBias, runningMean, runningVar, bnWeight, bnBias };
  for (const name in perChannel) {
    const t = perChannel[name as keyof typeof perChannel];
    if (t && (t.ndim !== 1 || t.shape[0] !== k)) {
      throw new SimdnnError(`fuseConvBnWeights: ${name} of shape ${formatShape(t.shape)} must be [${k}], one value per output channel of convWeight ${formatShape(convWeight.shape)}`);
    }
    if (t && t.backend !== convWeight.backend) {
      throw new SimdnnError(`fuseConvBnWeights: convWeight and ${name} live on different backends ('${convWeight.backend.name}' and '${t.backend.name}')`);
    }
  }
  const recorded = isGradEnabled() && (convWeight.requiresGrad || convBias?.requiresGrad || bnWeight.requiresGrad || bnBias.requiresGrad);
  return recorded
    ? fuseWithOps(convWeight, convBias, runningMean, runningVar, eps, bnWeight, bnBias)
    : fuseWithKernel(convWeight, convBias, runningMean, runningVar, eps, bnWeight, bnBias);
}

/** The fold in one backend call (nothing is recorded). */
function fuseWithKernel(
  convWeight: Tensor, convBias: Tensor | undefined, runningMean: Tensor, runningVar: Tensor, eps: number, bnWeight: Tensor, bnBias: Tensor,
): [Tensor, Tensor] {
  const backend = convWeight.backend;
  const k = convWeight.shape[0];
  const weight = new Tensor(backend.empty(convWeight.size), convWeight.shape, backend);
  const bias = new Tensor(backend.empty(k), [k], backend);
  backend.batchNormFold({
    k, p: convWeight.size / k, convWeight: convWeight.storage, convBias: convBias?.storage,
    weight: bnWeight.storage, bias: bnBias.storage, mean: runningMean.storage, variance: runningVar.storage, eps,
    foldedConvWeight: weight.storage, foldedConvBias: bias.storage,
  });
  return [weight, bias];
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

// sn.nn.utils: gradient clipping as PyTorch 1.13's torch.nn.utils.clip_grad_norm_ / clip_grad_value_.
// Both change the parameters' `.grad` in place, between backward() and the optimiser's step().
// Conv and batch-norm fusion (fuse_conv_bn_weights) lives in fusion.ts.
import { SimdnnError } from '../errors.js';
import { Tensor } from '../tensor.js';

export { fuseConvBnWeights } from './fusion.js';

/** Options of `clipGradNorm`. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false, as PyTorch). */
  errorIfNonfinite?: boolean;
}

/**
 * Rescales the gradients of `params` together so that their total norm is at most `maxNorm`
 * (PyTorch's `clip_grad_norm_`): the total norm is the `normType`-norm of every gradient's own norm
 * (of all their values together), and each gradient is multiplied by min(1, maxNorm / (total + 1e-6)),
 * computed in f32 as PyTorch does. Parameters without a gradient are skipped. Returns the total
 * norm before clipping (0 when no parameter has a gradient).
 *
 * ```ts
 * loss.backward();
 * const norm = sn.nn.utils.clipGradNorm(model.parameters(), 1.0);
 * optimizer.step();
 * ```
 *
 * @param normType a number > 0, or `Infinity` (or `'inf'`) for the largest absolute value.
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, normType: number | 'inf' = 2, options: ClipGradNormOptions = {}): number {
  const op = 'clipGradNorm';
  const grads = gradients(op, params);
  if (!(typeof maxNorm === 'number' && maxNorm >= 0)) throw new SimdnnError(`${op}: maxNorm must be a number ≥ 0, got ${String(maxNorm)}`);
  const p = normType === 'inf' ? Infinity : normType;
  if (!(typeof p === 'number' && p > 0)) throw new SimdnnError(`${op}: normType must be a number > 0 or Infinity, got ${String(normType)}`);
  const { errorIfNonfinite = false } = options;
  if (grads.length === 0) return 0;

  let total: number;
  if (p === Infinity) {
    total = 0;
    for (const g of grads) {
      const m = Math.fround(g.backend.powerSum(g.storage, g.size, Infinity));
      total = Number.isNaN(m) || m > total ? m : total;
      if (Number.isNaN(total)) break;
    }
  } else {
    // torch.norm(torch.stack([torch.norm(g, p) for g in grads]), p): each gradient's norm in f32,
    // then the norm of those.
    const backend = grads[0].backend;
    const root = (s: number) => (p === 1 ? s : p === 2 ? Math.sqrt(s) : backend.scalarPow(s, 1 / p));
    const powerOf = (x: number) => (p === 1 ? x : p === 2 ? x * x : backend.scalarPow(x, p));
    let sum = 0;
    for (const g of grads) sum += powerOf(Math.fround(root(g.backend.powerSum(g.storage, g.size, p))));
    total = Math.fround(root(sum));
  }
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new SimdnnError(`${op}: the total norm of order ${p} of the gradients is ${total}, so they cannot be clipped; pass { errorIfNonfinite: false } to scale by it anyway`);
  }
  // clip_coef = max_norm / (total_norm + 1e-6) on f32 tensors: (1 / t) · max_norm, clamped to 1.
  const t = Math.fround(total + Math.fround(1e-6));
  let coef = Math.fround(Math.fround(1 / t) * Math.fround(maxNorm));
  if (coef > 1) coef = 1;
  if (coef !== 1) for (const g of grads) g.backend.scale(g.storage, coef, g.size);
  return total;
}

/**
 * Clamps every gradient value of `params` to [−clipValue, clipValue] in place (PyTorch's
 * `clip_grad_value_`). Parameters without a gradient are skipped; NaN stays NaN.
 */
export function clipGradValue(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  const op = 'clipGradValue';
  const grads = gradients(op, params);
  if (!(typeof clipValue === 'number' && clipValue >= 0)) throw new SimdnnError(`${op}: clipValue must be a number ≥ 0, got ${String(clipValue)}`);
  for (const g of grads) g.backend.clamp(g.storage, -clipValue, clipValue, g.size);
}

/** The gradients of the parameters that have one. */
function gradients(op: string, params: Iterable<Tensor> | Tensor): Tensor[] {
  const list = params instanceof Tensor ? [params] : params != null && typeof (params as Iterable<Tensor>)[Symbol.iterator] === 'function' ? [...params] : undefined;
  if (!list) throw new SimdnnError(`${op}: params must be a tensor or an iterable of tensors (e.g. model.parameters()), got ${String(params)}`);
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new SimdnnError(`${op}: params[${i}] is not a Tensor (got ${String(t)})`);
  });
  return list.flatMap((t) => (t.grad ? [t.grad] : []));
}

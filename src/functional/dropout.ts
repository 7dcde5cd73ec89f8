import { recordOp } from '../autograd.js';
import { SimdnnError } from '../errors.js';
import { randomBits } from '../random.js';
import { Tensor } from '../tensor.js';

/**
 * Inverted dropout, as PyTorch's `F.dropout`: in training, each element is zeroed with probability
 * `p` and the kept ones are scaled by 1/(1 − p), so the expected value is unchanged; with
 * `training = false` or `p = 0` it returns `x` itself; `p = 1` gives zeros. The mask comes from the
 * seeded generator (`sn.manualSeed`), one 32-bit word per element compared as an integer, so a seed
 * gives the same mask on every backend and engine. Differentiable in `x` (through the same mask).
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  if (!(p >= 0 && p <= 1)) throw new SimdnnError(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const backend = x.backend;
  // Dropped when bits < threshold: probability threshold / 2³² ≈ p. For p = 1 every element is
  // kept with scale 0 (x · 0, as PyTorch computes it).
  const threshold = p === 1 ? 0 : Math.min(Math.round(p * 2 ** 32), 2 ** 32 - 1);
  const scale = p === 1 ? 0 : Math.fround(1 / (1 - p));
  const mask = backend.alloc(x.size);
  backend.dropoutMask(mask, randomBits(x.size), threshold, scale);
  const out = backend.alloc(x.size);
  backend.dropoutApply(out, x.storage, mask, x.size);
  return recordOp('dropout', new Tensor(out, x.shape, backend), [x], (gy) => {
    const gx = backend.alloc(x.size);
    backend.dropoutApply(gx, gy.storage, mask, x.size);
    return [new Tensor(gx, x.shape, backend)];
  }, [mask]);
}

// Activations: Relu, LeakyRelu, Sigmoid, Tanh, Clip, HardSigmoid, HardSwish, Softmax, LogSoftmax.
import * as sn from '../../index.js';
import { hostNumbers } from '../host-tensor.js';
import { normalizeAxis } from './axes.js';
import type { LoadContext, OpSpec } from './op.js';

function unary(f: (x: sn.Tensor) => sn.Tensor): OpSpec {
  return { inputs: [1, 1], attributes: [], build: () => ([x]) => [f(x!)] };
}

/**
 * min(max(x, lo), hi): ReLU6 and ReLU for their bounds, else exact inside [lo, hi] as
 * max(x, lo) = x + relu(lo − x) and min(y, hi) = y − relu(y − hi).
 */
export function clamp(x: sn.Tensor, lo: number, hi: number): sn.Tensor {
  if (lo === 0 && hi === 6) return sn.F.relu6(x);
  let y = x;
  if (lo === 0) y = sn.F.relu(y);
  else if (lo > -Infinity) y = sn.add(y, sn.F.relu(sn.sub(lo, y)));
  if (hi < Infinity) y = sn.sub(y, sn.F.relu(sn.sub(y, hi)));
  return y;
}

/** Clip's bounds: inputs since opset 11 (absent: unbounded), which must be constants. */
function clipBounds(ctx: LoadContext): [number, number] {
  const bound = (i: number, what: string, fallback: number) => {
    if (!ctx.has(i)) return fallback;
    const t = ctx.requireConstant(i, what);
    if (t.data.length !== 1) ctx.fail(`${what} must be a scalar, got dims [${t.dims.join(', ')}]`);
    return hostNumbers(t, what)[0];
  };
  return [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
}

/** PyTorch's hardsigmoid's alpha (1/6 as f32), which HardSigmoid nodes from PyTorch carry. */
const SIXTH = Math.fround(1 / 6);

/** max(0, min(1, alpha·x + beta)): sn.F.hardsigmoid for PyTorch's alpha = 1/6, beta = 0.5. */
function hardSigmoid(x: sn.Tensor, alpha: number, beta: number): sn.Tensor {
  if (Math.fround(alpha) === SIXTH && beta === 0.5) return sn.F.hardsigmoid(x);
  return clamp(sn.add(sn.mul(x, alpha), beta), 0, 1);
}

/**
 * Softmax and LogSoftmax: along one axis since opset 13 (default −1); before, over the input
 * flattened to 2-D at `axis` (default 1), i.e. over all dimensions from `axis` on.
 */
function softmaxLike(f: (x: sn.Tensor, dim: number) => sn.Tensor): OpSpec {
  return {
    inputs: [1, 1],
    attributes: ['axis'],
    build: (ctx) => {
      const axisAttr = ctx.attrs.int('axis', ctx.opset >= 13 ? -1 : 1);
      return ([x]) => {
        const axis = normalizeAxis(ctx, axisAttr, x!.ndim);
        if (ctx.opset >= 13 || axis === x!.ndim - 1) return [f(x!, axis)];
        const outer = x!.shape.slice(0, axis).reduce((a, d) => a * d, 1);
        return [f(x!.reshape(outer, -1), 1).reshape([...x!.shape])];
      };
    },
  };
}

/** Activation operators by ONNX op type. */
export const ACTIVATION_OPS: Record<string, OpSpec> = {
  Relu: unary(sn.F.relu),
  Sigmoid: unary(sn.F.sigmoid),
  Tanh: unary(sn.F.tanh),
  LeakyRelu: {
    inputs: [1, 1],
    attributes: ['alpha'],
    build: (ctx) => {
      const alpha = ctx.attrs.float('alpha', 0.01);
      return ([x]) => [sn.F.leakyRelu(x!, alpha)];
    },
  },
  Clip: {
    inputs: [1, 3],
    attributes: [],
    staticInputs: [1, 2],
    build: (ctx) => {
      const [lo, hi] = clipBounds(ctx);
      return ([x]) => [clamp(x!, lo, hi)];
    },
  },
  HardSigmoid: {
    inputs: [1, 1],
    attributes: ['alpha', 'beta'],
    build: (ctx) => {
      const alpha = ctx.attrs.float('alpha', 0.2);
      const beta = ctx.attrs.float('beta', 0.5);
      return ([x]) => [hardSigmoid(x!, alpha, beta)];
    },
  },
  HardSwish: unary(sn.F.hardswish),
  Softmax: softmaxLike(sn.F.softmax),
  LogSoftmax: softmaxLike(sn.F.logSoftmax),
};

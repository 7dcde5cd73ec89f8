// sn.nn.init: PyTorch's torch.nn.init, filling an existing tensor in place from simdnn's one seeded
// generator (sn.manualSeed). Gains and bounds use IEEE arithmetic and sqrt only, uniform values come
// from integer bits and normal values from the backend's Box–Muller (in wasm for the wasm backend),
// so every engine gives the same bits. Nothing is recorded for autograd (PyTorch's no_grad).
import { SimdnnError, formatShape } from '../errors.js';
import { randomBits } from '../random.js';
import { Tensor } from '../tensor.js';
import { symmetricUniformValues } from './default-init.js';

/** Nonlinearities `calculateGain` knows, PyTorch's names (and camelCase twins). */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'convTranspose1d' | 'convTranspose2d' | 'convTranspose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'leakyRelu' | 'selu';

/** Which fan Kaiming initialisation divides by: 'fan_in' keeps the forward pass's variance, 'fan_out' the backward's. */
export type FanMode = 'fan_in' | 'fan_out' | 'fanIn' | 'fanOut';

/** Options of `kaimingUniform` and `kaimingNormal`, PyTorch's in camelCase. */
export interface KaimingOptions {
  /** The negative slope of the leaky ReLU that follows (default 0, i.e. ReLU's gain √2). */
  a?: number;
  /** 'fan_in' (default) or 'fan_out'. */
  mode?: FanMode;
  /** Default 'leaky_relu' (with slope `a`). */
  nonlinearity?: Nonlinearity;
}

/** Options of `xavierUniform` and `xavierNormal`. */
export interface XavierOptions {
  /** Scales the standard deviation (default 1; e.g. `calculateGain('tanh')`). */
  gain?: number;
}

const LINEAR = new Set(['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'convTranspose1d', 'convTranspose2d', 'convTranspose3d']);

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`): 1 for linear layers and
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (`param` is the slope,
 * default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (LINEAR.has(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu' || nonlinearity === 'leakyRelu') {
    const slope = param ?? 0.01;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new SimdnnError(`calculateGain: the negative slope must be a finite number, got ${String(param)}`);
    return Math.sqrt(2.0 / (1 + slope * slope));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new SimdnnError(`calculateGain: unsupported nonlinearity ${describe(nonlinearity)}; use one of linear, conv1d, conv2d, conv3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu`);
}

/**
 * Fills `tensor` with U(−bound, bound), bound = gain·√(3 / fan) and gain = calculateGain(nonlinearity, a)
 * (He et al. 2015; PyTorch's `kaiming_uniform_`). Returns `tensor`.
 *
 * ```ts
 * sn.nn.init.kaimingUniform(conv.weight, { mode: 'fan_out', nonlinearity: 'relu' });
 * ```
 */
export function kaimingUniform(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const op = 'kaimingUniform';
  checkTensor(op, tensor);
  if (tensor.size === 0) return tensor;
  const std = kaimingStd(op, tensor, options);
  const bound = Math.sqrt(3.0) * std;
  return fill(tensor, symmetricUniformValues(tensor.size, bound));
}

/** Fills `tensor` with N(0, std²), std = gain / √fan (PyTorch's `kaiming_normal_`). Returns `tensor`. */
export function kaimingNormal(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const op = 'kaimingNormal';
  checkTensor(op, tensor);
  if (tensor.size === 0) return tensor;
  return fillNormal(tensor, 0, kaimingStd(op, tensor, options));
}

/**
 * Fills `tensor` with U(−a, a), a = gain·√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010; PyTorch's
 * `xavier_uniform_`). Returns `tensor`.
 */
export function xavierUniform(tensor: Tensor, options: XavierOptions = {}): Tensor {
  const op = 'xavierUniform';
  checkTensor(op, tensor);
  const std = xavierStd(op, tensor, options);
  return fill(tensor, symmetricUniformValues(tensor.size, Math.sqrt(3.0) * std));
}

/** Fills `tensor` with N(0, std²), std = gain·√(2 / (fanIn + fanOut)) (PyTorch's `xavier_normal_`). Returns `tensor`. */
export function xavierNormal(tensor: Tensor, options: XavierOptions = {}): Tensor {
  const op = 'xavierNormal';
  checkTensor(op, tensor);
  return fillNormal(tensor, 0, xavierStd(op, tensor, options));
}

/** Fills `tensor` with U(a, b): a + (b − a)·u, u uniform in [0, 1) (PyTorch's `uniform_`). Returns `tensor`. */
export function uniform(tensor: Tensor, a = 0, b = 1): Tensor {
  const op = 'uniform';
  checkTensor(op, tensor);
  checkNumber(op, 'a', a);
  checkNumber(op, 'b', b);
  if (!(a <= b)) throw new SimdnnError(`${op}: a must not exceed b, got a = ${a} and b = ${b}`);
  const bits = randomBits(tensor.size);
  const values = new Float32Array(tensor.size);
  for (let i = 0; i < values.length; i++) values[i] = a + (b - a) * (bits[i] / 4294967296);
  return fill(tensor, values);
}

/** Fills `tensor` with N(mean, std²) (PyTorch's `normal_`). Returns `tensor`. */
export function normal(tensor: Tensor, mean = 0, std = 1): Tensor {
  const op = 'normal';
  checkTensor(op, tensor);
  checkNumber(op, 'mean', mean);
  checkNumber(op, 'std', std);
  if (std < 0) throw new SimdnnError(`${op}: std must be ≥ 0, got ${std}`);
  return fillNormal(tensor, mean, std);
}

/** Fills `tensor` with `value` (PyTorch's `constant_`). Returns `tensor`. */
export function constant(tensor: Tensor, value: number): Tensor {
  checkTensor('constant', tensor);
  if (typeof value !== 'number') throw new SimdnnError(`constant: value must be a number, got ${describe(value)}`);
  return fill(tensor, new Float32Array(tensor.size).fill(value));
}

/** Fills `tensor` with 0 (PyTorch's `zeros_`). Returns `tensor`. */
export function zeros(tensor: Tensor): Tensor {
  checkTensor('zeros', tensor);
  return fill(tensor, new Float32Array(tensor.size));
}

/** Fills `tensor` with 1 (PyTorch's `ones_`). Returns `tensor`. */
export function ones(tensor: Tensor): Tensor {
  checkTensor('ones', tensor);
  return fill(tensor, new Float32Array(tensor.size).fill(1));
}

/** PyTorch's `_calculate_fan_in_and_fan_out`: [size(1)·receptive field, size(0)·receptive field]. */
function fans(op: string, tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new SimdnnError(`${op}: fan in and fan out cannot be computed for a tensor with fewer than 2 dimensions (shape ${formatShape(tensor.shape)})`);
  }
  const receptiveField = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.shape[1] * receptiveField, tensor.shape[0] * receptiveField];
}

function kaimingStd(op: string, tensor: Tensor, options: KaimingOptions): number {
  checkOptionsObject(op, options, ['a', 'mode', 'nonlinearity']);
  const { a = 0, mode = 'fan_in', nonlinearity = 'leaky_relu' } = options;
  checkNumber(op, 'a', a);
  if (!['fan_in', 'fan_out', 'fanIn', 'fanOut'].includes(mode)) throw new SimdnnError(`${op}: mode must be 'fan_in' or 'fan_out', got ${describe(mode)}`);
  const [fanIn, fanOut] = fans(op, tensor);
  const fan = mode === 'fan_in' || mode === 'fanIn' ? fanIn : fanOut;
  let gain: number;
  try {
    gain = calculateGain(nonlinearity, a);
  } catch (error) {
    throw new SimdnnError(`${op}: nonlinearity ${describe(nonlinearity)} is not supported; use one of linear, conv2d, sigmoid, tanh, relu, leaky_relu, selu`, { cause: error });
  }
  return gain / Math.sqrt(fan);
}

function xavierStd(op: string, tensor: Tensor, options: XavierOptions): number {
  checkOptionsObject(op, options, ['gain']);
  const { gain = 1 } = options;
  checkNumber(op, 'gain', gain);
  const [fanIn, fanOut] = fans(op, tensor);
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/** Overwrites the tensor's values (rounded to f32) without recording anything. */
function fill(tensor: Tensor, values: Float32Array): Tensor {
  tensor.backend.write(tensor.storage, values);
  return tensor;
}

/** mean + std·z with z standard normal from the backend's Box–Muller over seeded bits. */
function fillNormal(tensor: Tensor, mean: number, std: number): Tensor {
  const backend = tensor.backend;
  backend.fillNormal(tensor.storage, randomBits(tensor.size));
  if (mean === 0 && std === 1) return tensor;
  const z = backend.read(tensor.storage);
  for (let i = 0; i < z.length; i++) z[i] = mean + std * z[i];
  return fill(tensor, z);
}

function checkTensor(op: string, tensor: unknown): asserts tensor is Tensor {
  if (!(tensor instanceof Tensor)) throw new SimdnnError(`${op}: expected a tensor to fill (e.g. layer.weight), got ${describe(tensor)}`);
}

function checkNumber(op: string, name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SimdnnError(`${op}: ${name} must be a finite number, got ${describe(value)}`);
}

function checkOptionsObject(op: string, options: unknown, allowed: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SimdnnError(`${op}: options must be an object (${allowed.join(', ')}), got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new SimdnnError(`${op}: unknown option '${key}'; the options are ${allowed.join(', ')}`);
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : value instanceof Tensor ? value.toString() : String(value);
}
